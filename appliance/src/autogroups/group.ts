// A group as stored and as the API takes it. Autogroups hold a filter, manual groups an explicit list of
// serial numbers; either may carry a policy. Priorities are unique so "the highest-priority group with a
// policy" is never a tie: a higher number wins.
import { z } from 'zod';
import { serialNumberSchema } from '../protocol/index.ts';
import { FilterSchema, type FilterNode } from './filter.ts';

export type GroupKind = 'auto' | 'manual';

export interface GroupRecord {
  id: string;
  name: string;
  kind: GroupKind;
  /** Autogroups only. */
  filter?: FilterNode;
  /** Manual groups only: serial numbers. */
  members?: string[];
  policyId: string | null;
  /** Unique; the higher number wins when a device is in several groups with a policy. */
  priority: number;
  description?: string;
  createdAt: string;
  updatedAt: string;
}

export const GROUP_LIMITS = { groups: 500, manualMembers: 10_000, priorityMax: 1_000_000 } as const;

export const GroupInputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters'),
  kind: z.enum(['auto', 'manual'], { message: 'must be "auto" or "manual"' }),
  filter: FilterSchema.optional(),
  members: z.array(serialNumberSchema).max(GROUP_LIMITS.manualMembers, `at most ${GROUP_LIMITS.manualMembers} members`).optional(),
  policyId: z.string().min(1).max(64).nullable().optional(),
  priority: z.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(GROUP_LIMITS.priorityMax, `must be at most ${GROUP_LIMITS.priorityMax}`),
  description: z.string().max(500, 'must be at most 500 characters').optional(),
}).strict().superRefine((g, ctx) => {
  if (g.kind === 'auto' && g.filter === undefined) ctx.addIssue({ code: 'custom', path: ['filter'], message: 'an autogroup needs a filter' });
  if (g.kind === 'auto' && g.members !== undefined) ctx.addIssue({ code: 'custom', path: ['members'], message: 'an autogroup\'s members come from its filter; use kind "manual" for a list' });
  if (g.kind === 'manual' && g.filter !== undefined) ctx.addIssue({ code: 'custom', path: ['filter'], message: 'a manual group has members, not a filter' });
});

export type GroupInput = z.infer<typeof GroupInputSchema>;

/** Issues as the API's error details: [{field, message}], the field a dotted path (filter.all.0.op). */
export function issuesOf(err: z.ZodError): { field: string; message: string }[] {
  return err.issues.map((i) => ({ field: i.path.length ? i.path.map(String).join('.') : '(body)', message: i.message }));
}
