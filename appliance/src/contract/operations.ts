// Operations (issue 16): compliance reports, device retirement and bulk actions, stored history, backups.
import { z } from 'zod';
import { isoTime, open, serial } from './common.ts';

// ——— reports ———
export const reportQuery = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  policyId: z.string().min(1).max(64).optional(),
  groupId: z.string().min(1).max(64).optional(),
  rows: z.enum(['devices', 'changes']).default('devices'),
});

const category = z.enum(['compliant', 'remediated', 'non-compliant', 'unreachable', 'not-assessed']);
const counts = z.record(category, z.number());

export const complianceReport = open({
  period: open({ from: isoTime, to: isoTime }),
  generatedAt: isoTime,
  scope: open({ policyId: z.string().nullable(), groupId: z.string().nullable(), groupName: z.string().nullable() }),
  totals: counts,
  policies: z.array(open({
    policyId: z.string(), policyName: z.string(), counts,
    devices: z.array(open({ serial, model: z.string(), hostname: z.string(), ip: z.string(), retired: z.boolean(), category, status: z.string(),
      lastAssessedAt: z.string(), settingsChanged: z.number(), nonCompliant: z.array(z.string()), detail: z.string().optional() })),
  })),
  changes: z.array(open({ at: isoTime, serial, policyId: z.string(), policyName: z.string(), setting: z.string(), from: z.unknown(), to: z.unknown() })),
  changesTotal: z.number(),
  changesTruncated: z.boolean(),
});

export const reportMailPost = z.object({ to: z.array(z.string().max(254).regex(/^[^\s<>@,]+@[^\s<>@,]+$/, 'an e-mail address')).max(20).optional() }).strict();
export const reportMailLast = open({ at: isoTime, to: z.array(z.string()), period: open({ from: isoTime, to: isoTime }), error: z.string().optional() });
export const reportMailStatus = open({ to: z.array(z.string()), every: z.string(), last: reportMailLast.nullable() });

// ——— devices retire ———
export const BULK_MAX = 10_000;
export const bulkRequest = z.object({
  action: z.enum(['assess', 'remediate', 'delete', 'retire', 'reinstate', 'add-to-group']),
  serials: z.array(serial).min(1, 'select at least one device').max(BULK_MAX, `at most ${BULK_MAX} devices at once`),
  policyId: z.string().min(1).max(64).optional(),
  groupId: z.string().min(1).max(64).optional(),
  note: z.string().max(200).optional(),
}).strict().superRefine((b, ctx) => {
  if ((b.action === 'assess' || b.action === 'remediate') && !b.policyId) ctx.addIssue({ code: 'custom', path: ['policyId'], message: `${b.action} needs a policyId` });
  if (b.action === 'add-to-group' && !b.groupId) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'add-to-group needs a groupId' });
});
export const bulkResult = open({ action: z.string(), done: z.array(serial), skipped: z.record(z.string(), z.string()), taskId: z.string().optional() });
export const retiredPut = z.object({ retired: z.boolean(), note: z.string().max(200).optional() }).strict();
export const deviceDeleted = open({ deleted: serial });

// ——— stored history ———
export const historyQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  step: z.enum(['hour', 'day']).default('hour'),
});
export const historyAnswer = open({
  step: z.enum(['hour', 'day']),
  points: z.array(open({ start: isoTime, accepted: z.number(), rejected: z.number(), rejectedBy: z.record(z.string(), z.number()),
    compliance: z.record(z.string(), z.number()).nullable(), devices: z.number().nullable() })),
});

// ——— backup and restore ———
export const backupPost = z.object({ passphrase: z.string().max(1024), devices: z.boolean().default(false) }).strict();
export const backupPassphrasePut = z.object({ passphrase: z.string().max(1024).nullable() }).strict();
export const restoreAnswer = open({
  restored: z.record(z.string(), z.number()),
  archive: open({ listenerId: z.string(), createdAt: z.string(), appVersion: z.string(), devices: z.boolean() }),
  restart: z.enum(['restarting', 'required']),
});
export const backupStatus = open({
  folder: z.string(), intervalHours: z.number(), keep: z.number(), devices: z.boolean(), enabled: z.boolean(), passphraseSet: z.boolean(),
  last: open({ at: z.string(), file: z.string().optional(), error: z.string().optional() }).nullable(), nextRunAt: z.string().nullable(), files: z.array(z.string()),
});
export const backupRun = open({ at: z.string(), file: z.string().optional(), error: z.string().optional() });
