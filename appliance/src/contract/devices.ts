import { z } from 'zod';
import { isoTime, open, serial } from './common.ts';

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
});

const foundRecord = open({ first: isoTime, last: isoTime, taskId: z.string().optional() });

export const device = open({
  serialNumber: serial, macAddress: z.string(), model: z.string(), ipv4: z.string().optional(), ipv6: z.array(z.string()).optional(),
  hostname: z.string().optional(), firmware: z.string().optional(), authMode: z.string().optional(), snmpPort: z.number(),
  discoveredBy: z.string().optional(), foundBy: z.record(z.string(), foundRecord).optional(), vendor: z.enum(['hp', 'other']).optional(),
  firstSeen: isoTime, lastSeen: isoTime, lastReason: z.string().optional(), peerAddress: z.string(), announceCount: z.number(),
  authMethod: z.enum(['anonymous', 'mutual']).optional(),
  clientCert: open({ subject: z.string(), fingerprint256: z.string() }).optional(), lastAuth: lastAuth.optional(),
  forwardedBy: z.array(open({ listenerId: z.string(), peerAddress: z.string(), receivedAt: isoTime })).optional(),
  compliance: complianceRecord.optional(), lastPolicy: open({ id: z.string(), name: z.string(), at: isoTime }).optional(),
  credentialRef: open({ source: z.enum(['device', 'default', 'global']), index: z.number().optional() }).optional(),
  announcing: open({ lastHour: z.number(), tooOften: z.boolean() }).optional(),
});
export type DeviceView = z.infer<typeof device>;

export const historyEntry = open({
  seq: z.number(), at: isoTime, kind: z.string(), via: z.string().optional(), taskId: z.string().optional(), reason: z.string().optional(),
  messageId: z.string().optional(), peerAddress: z.string().optional(),
  // A device first found by a sweep has no authMode until it announces: that change is from nothing (JSON drops undefined).
  changes: z.record(z.string(), open({ from: z.unknown().optional(), to: z.unknown().optional() })).optional(),
  assessment: open({ status: complianceStatus, policyId: z.string(), policyName: z.string(), taskId: z.string(), run: z.number(),
    changed: z.record(z.string(), open({ from: z.unknown(), to: z.unknown() })), nonCompliant: z.array(z.string()) }).optional(),
});
export type HistoryEntryView = z.infer<typeof historyEntry>;

export const deviceList = open({ total: z.number(), devices: z.array(device) });
export const deviceDetail = device.extend({ history: z.array(historyEntry) });
export type DeviceDetail = z.infer<typeof deviceDetail>;
