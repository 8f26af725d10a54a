import { z } from 'zod';
import { isoTime, open, serial, startedTask } from './common.ts';

const namedValue = open({ name: z.string(), wire: z.number(), label: z.string(), reportOnly: z.boolean().optional() });
export const valueType = z.enum(['boolean', 'enum', 'flags', 'integer', 'string', 'ip', 'secret']);
export const catalogEntry = open({
  id: z.string(), title: z.string(), help: z.string(), area: z.string(), family: z.string(), oid: z.string(), wireType: z.enum(['Integer', 'OctetString', 'IpAddress']),
  valueType, allowed: z.string(), wire: open({ on: z.number(), off: z.number() }).optional(), values: z.array(namedValue).optional(),
  min: z.number().optional(), max: z.number().optional(), maxLength: z.number().optional(), minLength: z.number().optional(),
  factoryDefault: z.union([z.boolean(), z.string(), z.number()]).nullable(), sources: z.array(z.string()), models: z.array(z.string()),
  guard: z.string().optional(), secret: open({ readBack: z.string(), verifyOid: z.string().optional() }).optional(), acceptsThisAppliance: z.boolean().optional(),
});
export type CatalogEntryView = z.infer<typeof catalogEntry>;
const unavailable = open({ id: z.string(), title: z.string(), oid: z.string(), sources: z.array(z.string()), reason: z.string() });
export const catalog = open({
  settings: z.array(catalogEntry), areas: z.array(open({ id: z.string(), title: z.string() })), families: z.array(open({ id: z.string(), convention: z.string() })),
  notSupported: z.array(unavailable.extend({ models: z.array(z.string()) })), retired: z.array(unavailable),
  sources: z.record(z.string(), open({ title: z.string(), model: z.string().optional() })),
});
export type CatalogView = z.infer<typeof catalog>;
const modelCount = open({ model: z.string(), devices: z.number() });
export const catalogSupport = open({ assessedDevices: z.number(), settings: z.record(z.string(), open({ supportedBy: z.array(modelCount), unsupportedBy: z.array(modelCount) })) });
export type CatalogSupportView = z.infer<typeof catalogSupport>;

/** A secret in a policy: typed once, then shown (and kept on save) as `{ "set": true }`. */
export const keptSecret = z.object({ set: z.literal(true) }).strict();
export const policyValue = z.union([z.boolean(), z.string(), z.number(), keptSecret]);
export const policyTemplates = open({ templates: z.array(open({ id: z.string(), name: z.string(), description: z.string(),
  settings: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])), prompts: z.array(z.string()) })) });
export type PolicyTemplateView = z.infer<typeof policyTemplates>['templates'][number];
export const policyInput = open({ name: z.string(), settings: z.record(z.string(), policyValue) });
export const policy = policyInput.extend({ id: z.string(), createdAt: isoTime, updatedAt: isoTime });
export type PolicyView = z.infer<typeof policy>;
export const policyList = open({ policies: z.array(policy) });
export const created = open({ id: z.string() });

const credentialView = open({ version: z.enum(['2c', '3']), user: z.string().optional(), authProtocol: z.string().optional(), privProtocol: z.string().optional() });
/** PUT /api/v1/credentials/default and /devices/:serial/credentials: one credential (the SNMP room's schema); global: a list. */
export { CredentialSchema as credentialInput } from '../snmp/credentials.ts';
export const credentials = open({ default: credentialView.nullable(), global: z.array(credentialView), device: credentialView.nullable().optional() });

export const instantOnPut = z.object({
  acceptAnnouncements: z.boolean(), allowAutomaticRemediation: z.boolean(), initialPolicyId: z.string().max(64),
  authentication: z.enum(['none', 'mutual']), useSerialList: z.boolean(),
  /** With useSerialList: put every device in the table (not retired) on the list first, so Stay Secure goes on for them. */
  addManagedToSerialList: z.boolean(),
}).partial().strict();
export const instantOn = open({
  acceptAnnouncements: z.boolean(), allowAutomaticRemediation: z.boolean(), initialPolicyId: z.string().nullable(),
  authentication: z.enum(['none', 'mutual']), useSerialList: z.boolean(),
  /** The TCP port printers announce to (the real one, not the default 3329). */
  announcePort: z.number(),
  /** After enabling: the firewall reminder naming that port. */
  reminder: z.string().optional(),
  /** After turning automatic remediation on: devices already known (not retired), which it does not reach until they announce again. */
  knownDevices: z.number().optional(),
  /** After addManagedToSerialList: how many serials were added. */
  serialsAdded: z.number().optional(),
});
export type InstantOnView = z.infer<typeof instantOn>;

export const assessPost = z.object({ policyId: z.string().min(1), remediate: z.boolean().default(false) });
export const assessStarted = startedTask;

export const taskState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export const taskType = z.enum(['instant-on', 'assessment', 'assessment-child', 'discovery']);
/** Tasks counted by state: `queued` waits for a slot, `running` has a device (or the work) under way. */
export const stateCounts = z.object({ queued: z.number(), running: z.number(), done: z.number(), failed: z.number(), cancelled: z.number() });
export const taskSummary = open({
  id: z.string(), type: taskType, state: taskState, policyId: z.string().optional(), remediate: z.boolean().optional(),
  serials: z.array(z.string()), createdAt: isoTime, startedAt: isoTime.optional(), finishedAt: isoTime.optional(), trigger: z.string(),
  /** The trigger in words: "Schedule "Nightly"", "Instant-On (announcement: power cycle)", "Manual". */
  triggerLabel: z.string(),
  parentId: z.string().optional(), childIds: z.array(z.string()).optional(), runs: z.number(), error: z.string().optional(),
  /** Devices (or a kind's own units) finished and in all; an assessment counts its parts' devices. */
  done: z.number(), total: z.number(), progress: z.record(z.string(), z.number()).optional(),
  /** An assessment's parts by state. */
  children: stateCounts.optional(),
  policyIds: z.array(z.string()).optional(), groupId: z.string().optional(), groupName: z.string().optional(),
});
export type TaskSummaryView = z.infer<typeof taskSummary>;
export const outcome = open({ status: z.string(), at: isoTime, detail: z.string().optional() });
export const taskDetail = taskSummary.extend({ outcomes: z.record(z.string(), outcome) });
export type TaskDetailView = z.infer<typeof taskDetail>;
export const taskStats = open({
  queued: z.number(), running: z.number(), byState: stateCounts, byType: z.record(z.string(), stateCounts),
  devicesInFlight: z.number(), devicesWaiting: z.number(),
});
/** GET /api/v1/tasks: newest first; `cursor` is the previous answer's `nextCursor`. */
export const taskListQuery = z.object({
  type: taskType.optional(),
  state: z.enum([...taskState.options, 'active']).optional(),
  level: z.enum(['top', 'all']).default('all'),
  parent: z.string().max(40).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(200),
  cursor: z.string().max(40).regex(/^[a-z0-9-]+$/, 'must be a task id').optional(),
  csrf: z.string().max(200).optional(),
}).strict();
export type TaskListQuery = z.input<typeof taskListQuery>;
export const taskList = open({
  /** Tasks the appliance holds, those the filters keep, and every count by state and kind (not just this page's). */
  total: z.number(), matched: z.number(), stats: taskStats, tasks: z.array(taskSummary), nextCursor: z.string().nullable(),
});
/** POST /api/v1/tasks/cancel: every active task of a kind. */
export const cancelAllBody = z.object({ type: taskType }).strict();
export const cancelAllAnswer = open({ cancelled: z.number(), stats: taskStats });

export const scheduleInput = z.object({
  kind: z.enum(['once', 'daily', 'weekly', 'monthly', 'every']),
  every: z.string().max(20).optional(),
  startAt: z.string().max(40).optional(),
});
export const taskPost = z.object({
  policyId: z.string().min(1), remediate: z.boolean().default(false), serials: z.array(serial).optional(),
  name: z.string().max(100).optional(), schedule: scheduleInput.optional(),
});
/** POST /api/v1/tasks: a started task, or (with `schedule`) the schedule made. */
export const taskPosted = z.union([startedTask, open({ scheduleId: z.string(), nextRunAt: isoTime.nullable() })]);

export const schedule = open({
  id: z.string(), name: z.string(), kind: z.enum(['once', 'daily', 'weekly', 'monthly', 'every']), every: z.string().optional(),
  startAt: isoTime, nextRunAt: isoTime.nullable(), action: open({ type: z.string() }), cancelled: z.boolean(),
  lastTaskId: z.string().optional(), lastRunAt: isoTime.optional(), lastError: z.string().optional(), runs: z.number(),
});
export type ScheduleView = z.infer<typeof schedule>;
export const scheduleList = open({ schedules: z.array(schedule) });
export const schedulePatch = z.object({
  name: z.string().min(1).max(100), kind: z.enum(['once', 'daily', 'weekly', 'monthly', 'every']), every: z.string().max(20),
  startAt: z.string().max(40), action: z.looseObject({ type: z.string().min(1).max(40) }),
}).partial().strict();
