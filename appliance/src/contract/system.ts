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
const familyLookup = open({ status: z.enum(['ok', 'nodata', 'nxdomain', 'refused', 'servfail', 'timeout', 'unreachable', 'error']), addresses: z.array(z.string()), detail: z.string().optional() });
const nameLookup = open({ a: familyLookup, aaaa: familyLookup, pointsAtAppliance: z.boolean(), foreignAddresses: z.array(z.string()) });
const dhcpNote = open({ note: z.string(), dnsmasq: z.string(), iscDhcpd: z.string(), windows: z.array(z.string()) });
/** GET /api/v1/dns/check: what resolvers answer for hp-print-mgmt (bare, then per suffix) and records to paste (dns/admin-records.ts). */
export const dnsCheck = open({
  checkedAt: isoTime, systemResolvers: z.array(z.string()), responder: z.string().optional(),
  applianceAddresses: open({ ipv4: z.array(z.string()), ipv6: z.array(z.string()) }),
  entries: z.array(open({ name: z.string(), system: nameLookup, appliance: nameLookup.optional() })),
  printersWillFindAppliance: z.boolean(), summary: z.string(),
  records: open({
    bind: z.array(z.string()),
    bindZones: z.array(open({ zone: z.string(), kind: z.enum(['records', 'zone']), lines: z.array(z.string()), namedConf: z.string().optional() })),
    dnsmasq: z.array(z.string()), windows: z.array(z.string()),
    dhcpOption119: dhcpNote.extend({ encodedHex: z.array(z.string()) }), dhcpDnsServer: dhcpNote,
  }),
});
export const auditEntry = open({
  id: z.string(), at: isoTime, user: z.string(), ip: z.string(), method: z.string(), path: z.string(), status: z.number(), action: z.string(),
  request: z.unknown().optional(), before: z.unknown().optional(), after: z.unknown().optional(),
});
export type AuditEntryView = z.infer<typeof auditEntry>;
/** GET /api/v1/audit: newest first; `cursor` (or `before`) is the previous answer's `nextCursor`. */
export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(100).optional(),
  before: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  user: z.string().max(64).optional(),
  since: z.string().max(40).optional(),
  outcome: z.enum(['ok', 'failed']).optional(),
  q: z.string().max(200).optional(),
  csrf: z.string().max(200).optional(),
}).strict();
export type AuditQueryInput = z.input<typeof auditQuery>;
export const audit = open({ durable: z.boolean(), total: z.number(), matched: z.number(), entries: z.array(auditEntry), nextCursor: z.string().nullable() });
export const announcementsPerHour = open({ hours: z.array(open({ start: z.union([isoTime, z.number()]), count: z.number() })) });

/** GET /api/v1/setup: the first-run checklist; each step is done when the appliance sees it work. */
export const setupStep = open({ id: z.string(), title: z.string(), done: z.boolean(), detail: z.string(), href: z.string(), at: isoTime.optional() });
export const setup = open({ announcePort: z.number(), done: z.boolean(), steps: z.array(setupStep), dnsCheckedAt: isoTime });
export type SetupView = z.infer<typeof setup>;
/** GET /api/v1/first-start (no sign-in): the first-start password file, while it exists. */
export const firstStart = z.object({ initialPasswordFile: z.string().nullable() });
