import { z } from 'zod';
import { isoTime, open, serial } from './common.ts';
import { deviceGroups } from './groups.ts';

export const complianceStatus = z.enum(['compliant', 'non-compliant', 'remediated', 'unsupported', 'unreachable', 'auth-failed']);

export const lastAuth = open({
  at: isoTime, mode: z.enum(['none', 'mutual']), method: z.enum(['anonymous', 'mutual']), result: z.string(),
  detail: z.string().optional(), subject: z.string().optional(), fingerprint: z.string().optional(), warnings: z.array(z.string()).optional(),
});

export const complianceSetting = open({
  id: z.string(), expected: z.unknown(), before: z.unknown(), actual: z.unknown(), changed: z.boolean(), compliant: z.boolean(),
  supported: z.boolean(), outcome: z.string(), deviceAnswer: z.string().optional(), setAnswer: z.string().optional(), note: z.string().optional(),
});

export const complianceRecord = open({
  status: complianceStatus, policyId: z.string(), policyName: z.string(), at: isoTime, taskId: z.string(), run: z.number(),
  remediate: z.boolean(), settings: z.array(complianceSetting), detail: z.string().optional(), roundTrips: z.number().optional(),
  /** The device's own SNMP credential failed and a fallback answered. */
  credentialProblem: z.string().optional(),
});

const foundRecord = open({ first: isoTime, last: isoTime, taskId: z.string().optional() });

/** A certificate a device presented on 3329 (devices/identity.ts). */
export const certificate = open({ subject: z.string(), fingerprint256: z.string(), issuer: z.string().optional(), validFrom: isoTime.optional(),
  validTo: z.string().optional(), selfSigned: z.boolean().optional() });
export const addressMismatch = open({ claimed: z.array(z.string()), actual: z.string(), at: isoTime });
export const identityChange = open({ at: isoTime, from: certificate.nullable(), to: certificate.nullable(), fromAddress: z.string(), toAddress: z.string() });
/** GET /api/v1/devices/:serial/identity, and `identity` in the device detail. */
export const identity = open({
  pending: z.boolean(), held: z.boolean(), presented: certificate.nullable(), onRecord: certificate.nullable(),
  lastChange: identityChange.nullable(), approved: open({ at: isoTime, by: z.string() }).nullable(), addressMismatch: addressMismatch.nullable(),
});

export const device = open({
  serialNumber: serial, macAddress: z.string(), model: z.string(), ipv4: z.string().optional(), ipv6: z.array(z.string()).optional(),
  hostname: z.string().optional(), firmware: z.string().optional(), authMode: z.string().optional(), snmpPort: z.number(),
  discoveredBy: z.string().optional(), foundBy: z.record(z.string(), foundRecord).optional(), vendor: z.enum(['hp', 'other']).optional(),
  firstSeen: isoTime, lastSeen: isoTime, lastReason: z.string().optional(), peerAddress: z.string(), announceCount: z.number(),
  authMethod: z.enum(['anonymous', 'mutual']).optional(),
  clientCert: certificate.optional(), lastAuth: lastAuth.optional(),
  addressMismatch: addressMismatch.optional(), trustedCert: certificate.nullable().optional(), identityChange: identityChange.optional(),
  identityApproved: open({ at: isoTime, by: z.string() }).optional(),
  forwardedBy: z.array(open({ listenerId: z.string(), peerAddress: z.string(), receivedAt: isoTime })).optional(),
  compliance: complianceRecord.optional(), lastPolicy: open({ id: z.string(), name: z.string(), at: isoTime }).optional(),
  credentialRef: open({ source: z.enum(['device', 'default', 'global']), index: z.number().optional() }).optional(),
  announcing: open({ lastHour: z.number(), tooOften: z.boolean() }).optional(),
  retired: open({ at: isoTime, by: z.string(), note: z.string().optional() }).optional(),
});
export type DeviceView = z.infer<typeof device>;

export const historyEntry = open({
  seq: z.number(), at: isoTime, kind: z.string(), via: z.string().optional(), taskId: z.string().optional(), reason: z.string().optional(),
  messageId: z.string().optional(), peerAddress: z.string().optional(),
  // A device first found by a sweep has no authMode until it announces: that change is from nothing (JSON drops undefined).
  changes: z.record(z.string(), open({ from: z.unknown().optional(), to: z.unknown().optional() })).optional(),
  claimedAddresses: z.array(z.string()).optional(),
  identity: open({ from: certificate.nullable(), to: certificate.nullable(), approvedBy: z.string().optional() }).optional(),
  assessment: open({ status: complianceStatus, policyId: z.string(), policyName: z.string(), taskId: z.string(), run: z.number(),
    changed: z.record(z.string(), open({ from: z.unknown(), to: z.unknown() })), nonCompliant: z.array(z.string()),
    /** Why it ran: the task's trigger, and in words (absent on entries recorded before triggers were kept). */
    trigger: z.string().optional(), triggerLabel: z.string().optional(), groupName: z.string().optional() }).optional(),
  group: open({ id: z.string(), name: z.string(), cause: z.string() }).optional(),
});
export type HistoryEntryView = z.infer<typeof historyEntry>;

/** In lists a device's last assessment comes without its per-setting details (GET /api/v1/devices/:serial has them). */
export const complianceSummary = complianceRecord.omit({ settings: true }).extend({ nonCompliant: z.array(z.string()), changed: z.number() });
export const deviceListItem = device.extend({
  compliance: complianceSummary.optional(),
  groups: z.array(open({ id: z.string(), name: z.string() })),
});
export type DeviceListItem = z.infer<typeof deviceListItem>;

export const deviceSorts = ['lastSeen', 'firstSeen', 'serial', 'model', 'ip', 'hostname', 'mac', 'compliance', 'policy'] as const;
export type DeviceSortKey = (typeof deviceSorts)[number];
export const complianceFilter = z.enum([...complianceStatus.options, 'not-assessed']);
export const foundWay = z.enum(['announcement', 'discovery', 'manual']);

/**
 * GET /api/v1/devices: one page, searched (`q`: words in serial, model, MAC, IP, host name, policy), filtered
 * and sorted by the server. `cursor` is the previous answer's `nextCursor`; `counts=1` adds the fleet counts.
 */
export const deviceListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(600).optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(deviceSorts).default('lastSeen'),
  /** Default: newest first for times, A→Z for the rest. */
  dir: z.enum(['asc', 'desc']).optional(),
  compliance: complianceFilter.optional(),
  foundBy: foundWay.optional(),
  retired: z.enum(['include', 'exclude', 'only']).default('include'),
  counts: z.enum(['0', '1']).optional(),
  csrf: z.string().max(200).optional(),
}).strict();
export type DeviceListQuery = z.input<typeof deviceListQuery>;

export const deviceCounts = open({
  fleet: z.number(), retired: z.number(), compliance: z.record(z.string(), z.number()),
  foundBy: open({ announcement: z.number(), discovery: z.number(), manual: z.number() }),
});
export const deviceList = open({
  /** Every device; `matched`: those the search and filters keep; `nextCursor`: null on the last page. */
  total: z.number(), matched: z.number(), devices: z.array(deviceListItem), nextCursor: z.string().nullable(),
  counts: deviceCounts.optional(),
});
export const deviceDetail = device.extend({ history: z.array(historyEntry), identity: identity.optional(), ...deviceGroups });
export type DeviceDetail = z.infer<typeof deviceDetail>;
