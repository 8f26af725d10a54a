// Discovery (issue 14): start a sweep or add printers by address, schedule sweeps, read the last results.
// The route validates with these schemas; the page reads its answers through their types.
import { z } from 'zod';
import { isoTime, open } from './common.ts';
import { taskSummary } from './compliance.ts';

export const targets = z.array(z.string().max(255, 'must be at most 255 characters')).min(1, 'name at least one address, range, CIDR or host name').max(10_000);
export const assessAfter = z.object({ policyId: z.string().min(1).max(64), remediate: z.boolean().default(false) }).strict();
/** POST /api/v1/discovery. */
export const start = z.object({ targets, snmpPort: z.number().int().min(1).max(65535).default(161), assess: assessAfter.optional() }).strict();
export const started = open({ taskId: z.string(), addresses: z.number(), targets: z.number().optional() });
/** POST /api/v1/discovery/schedules: a sweep on a schedule. */
export const schedulePost = start.extend({
  name: z.string().min(1).max(100),
  kind: z.enum(['once', 'daily', 'weekly', 'monthly', 'every']),
  every: z.string().max(20).optional(),
  startAt: z.string().max(40).optional(),
}).strict();
/** POST /api/v1/discovery/upload?…: the list is the text/plain body. */
export const uploadQuery = z.object({
  snmpPort: z.coerce.number().int().min(1).max(65535).default(161),
  policyId: z.string().min(1).max(64).optional(),
  remediate: z.enum(['true', 'false']).optional(),
  csrf: z.string().max(200).optional(),
});

const counts = z.record(z.string(), z.number());
/** A discovery task as the Discovery screen shows it: counts, targets, what was found and the bounded lists of the rest. */
export const job = taskSummary.omit({ triggerLabel: true }).extend({
  targets: z.array(z.string()).optional(), targetCount: z.number(), snmpPort: z.number().optional(), assess: z.unknown().optional(),
  progress: counts.optional(),
  found: z.array(open({ serial: z.string(), status: z.string(), at: isoTime, detail: z.string().optional() })),
  result: open({
    notPrinters: z.array(open({ address: z.string(), sysDescr: z.string(), sysObjectID: z.string() })),
    unidentified: z.array(open({ address: z.string(), detail: z.string(), model: z.string().optional() })),
    authFailed: z.array(z.string()), errors: z.array(open({ target: z.string(), message: z.string() })),
    durationMs: z.number().optional(), assessmentTaskId: z.string().optional(),
  }).optional(),
});
export type DiscoveryJob = z.infer<typeof job>;
export const overview = open({
  settings: open({ rate: z.number(), concurrency: z.number(), timeoutMs: z.number(), retries: z.number(), maxAddresses: z.number() }),
  tasks: z.array(job),
});
