// Groups and autogroups (issue 15). The request body is the group room's own schema (it validates the
// filter field by field); the answers are described here for the routes, the page and the contract check.
import { z } from 'zod';
import { isoTime, open, serial, startedTask } from './common.ts';
import { GroupInputSchema } from '../autogroups/index.ts';

export const groupInput = GroupInputSchema;

export const group = open({
  id: z.string(), name: z.string(), kind: z.enum(['auto', 'manual']), filter: z.unknown().optional(), members: z.array(serial).optional(),
  policyId: z.string().nullable(), policyName: z.string().nullable(), priority: z.number().int(), description: z.string().optional(),
  createdAt: isoTime, updatedAt: isoTime, memberCount: z.number().int(),
});
export type GroupView = z.infer<typeof group>;

export const groupList = open({
  groups: z.array(group),
  /** Trigger C's filter runs since start. */
  refresh: open({ refreshRuns: z.number(), lastRefreshAt: isoTime.nullable(), nextRunAt: isoTime.nullable(), tasks: z.record(z.string(), z.number()) }),
});

const memberDevice = open({ serialNumber: serial, model: z.string(), ipv4: z.string().optional(), hostname: z.string().optional(),
  firmware: z.string().optional(), compliance: z.string().nullable(), foundBy: z.array(z.string()) });

export const previewPost = z.object({ filter: z.unknown().refine((v) => v !== undefined, 'a filter is required'), limit: z.number().int().min(1).max(100).optional() }).strict();
export const preview = open({ count: z.number().int(), members: z.array(memberDevice) });
export const members = open({ total: z.number().int(), offset: z.number().int(), members: z.array(memberDevice.extend({ joinedAt: isoTime })) });
export const fields = open({ fields: z.record(z.string(), open({ ops: z.array(z.string()), help: z.string(), values: z.array(z.string()).optional() })),
  ops: z.array(z.string()), limits: z.record(z.string(), z.number()) });

export const assessPost = z.object({
  policyId: z.string().min(1).max(64).optional(), remediate: z.boolean().default(false), name: z.string().max(100).optional(),
  schedule: z.object({ kind: z.enum(['once', 'daily', 'weekly', 'monthly', 'every']), every: z.string().max(32).optional(), startAt: z.string().max(64).optional() }).strict().optional(),
}).strict();
export const assessStarted = z.union([startedTask, open({ scheduleId: z.string(), nextRunAt: isoTime.nullable() })]);

/** What the device detail adds: its groups (highest priority first) and where its group policy comes from. */
export const deviceGroups = {
  groups: z.array(open({ id: z.string(), name: z.string(), kind: z.enum(['auto', 'manual']), priority: z.number(), policyId: z.string().nullable(),
    policyName: z.string().nullable(), joinedAt: isoTime })).optional(),
  groupPolicy: open({ policyId: z.string(), policyName: z.string(), groupId: z.string(), groupName: z.string(), priority: z.number(), reason: z.string() }).nullable().optional(),
};
