import { z } from 'zod';
import { open } from './common.ts';

export const listener = open({ id: z.string(), host: z.string(), port: z.number(), enabled: z.boolean(), validateIdentityCertificate: z.boolean(),
  status: open({ backlog: z.number() }) });
export const listenerList = open({ listeners: z.array(listener) });
export const forwarding = open({});
