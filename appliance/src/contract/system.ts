import { z } from 'zod';
import { isoTime, open } from './common.ts';

/** Without sign-in only the verdict; signed in, the details too. */
export const health = open({ status: z.enum(['ok', 'degraded']) });
export const status = open({ version: z.string(), devices: z.number() });
export const captures = open({ enabled: z.boolean(), captures: z.array(z.unknown()) });
export const dnsCheck = open({});
export const auditEntry = open({ at: isoTime, action: z.string() });
export const audit = open({ durable: z.boolean(), entries: z.array(auditEntry) });
export const announcementsPerHour = open({ hours: z.array(open({ start: z.union([isoTime, z.number()]), count: z.number() })) });
