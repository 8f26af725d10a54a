import { z } from 'zod';
import { isoTime, open } from './common.ts';

/** Without sign-in only the verdict; signed in, the details too. */
export const health = open({ status: z.enum(['ok', 'degraded']) });
/** The store's part of the status (store/store.ts status()). */
export const storeStatus = open({
  state: z.enum(['ok', 'disk-full', 'failed', 'closed']), commitSeq: z.number(),
  health: open({ status: z.enum(['ok', 'degraded', 'failed']), reasons: z.array(z.string()) }),
  writes: open({ failedBatches: z.number(), failedOps: z.number(), refused: z.number(), commitMarkFailures: z.number() }),
  integrity: open({ checkedAt: isoTime, clean: z.boolean(), findings: z.array(open({ source: z.string(), severity: z.enum(['lost', 'damaged', 'unacknowledged']), detail: z.string() })),
    missingCommits: z.number(), devicesLost: z.array(z.string()) }),
});
export const status = open({ version: z.string(), devices: z.number(), store: storeStatus.optional(),
  health: open({ status: z.enum(['ok', 'degraded']), problems: z.array(z.string()) }) });
export const damageAcknowledged = open({ acknowledged: z.literal(true) });
export const captures = open({ enabled: z.boolean(), captures: z.array(z.unknown()) });
export const dnsCheck = open({});
export const auditEntry = open({ at: isoTime, action: z.string() });
export const audit = open({ durable: z.boolean(), entries: z.array(auditEntry) });
export const announcementsPerHour = open({ hours: z.array(open({ start: z.union([isoTime, z.number()]), count: z.number() })) });
