// What GET /api/v1/events sends (server-sent events): the event name and its JSON data. Not checked at run
// time (a stream, not an answer); the page reads its events through these types, so a change here is a
// type error there.
import { z } from 'zod';
import { open } from './common.ts';
import { device } from './devices.ts';
import { taskSummary } from './compliance.ts';
import { auditEntry } from './system.ts';

export const deviceEvent = open({ type: z.enum(['discovered', 'changed', 'announced', 'found']), reason: z.string().optional(), via: z.string().optional(), device });
/** A task's record as it changes: the list's fields without the ones the list adds (label, parts' counts). */
export const taskEvent = taskSummary.omit({ triggerLabel: true, children: true });
export const deviceRemoved = z.object({ serialNumber: z.string() });

export interface ServerEvents {
  hello: { at: string };
  device: z.infer<typeof deviceEvent>;
  'device-removed': z.infer<typeof deviceRemoved>;
  task: z.infer<typeof taskEvent>;
  audit: z.infer<typeof auditEntry>;
  /** An alert raised or resolved: the page refetches the summary. */
  alert: unknown;
  membership: unknown;
  'identity-changed': { serialNumber: string; held: boolean };
}
