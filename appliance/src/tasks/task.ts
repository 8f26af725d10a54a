// Task records as stored, and the schedule formats (issue 5 §4).
/** `discovery` (and any later kind) is run by a runner registered with the engine (engine.registerRunner). */
export type TaskType = 'instant-on' | 'assessment' | 'assessment-child' | 'discovery';
export type TaskState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface DeviceOutcome {
  status: string; at: string; detail?: string;
  /** With several policies (Instant-On: initial, then group): each one's result, in the order applied. */
  steps?: { policyId: string; status: string }[];
}

export interface TaskRecord {
  id: string;
  type: TaskType;
  state: TaskState;
  policyId: string;
  remediate: boolean;
  serials: string[];
  /** serial → outcome of the current run; a serial with an outcome is never run again in that run. */
  outcomes: Record<string, DeviceOutcome>;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why it was created: an announcement reason, 'manual' or 'schedule'. */
  trigger: string;
  parentId?: string;
  childIds?: string[];
  /** Instant-On coalescing: the device announced again while this task was pending (set at most once). */
  runAgain?: boolean;
  runs: number;
  error?: string;
  /** Policies applied one after the other (Instant-On with a group policy: initial, then group); absent = [policyId]. */
  policyIds?: string[];
  /** serial → how many of policyIds are already applied in this run (a restart resumes after them). */
  applied?: Record<string, number>;
  /** Instant-On coalescing: the policies the extra run applies, when the later announcement asked for others. */
  nextPolicyIds?: string[];
  /** The group a group assessment or an autogroup remediation (triggers B–D) was made for. */
  groupId?: string;
  groupName?: string;
  /** Kinds with a registered runner: what the task was asked to do (validated before it was created). */
  params?: unknown;
  /** Kinds with a registered runner: counts shown as progress; `done` of `total` drives the progress bar. */
  progress?: TaskProgress;
  /** Kinds with a registered runner: what it produced, bounded by the runner. */
  result?: unknown;
}

/** The policies a task applies, in order. */
export const policiesOf = (t: Pick<TaskRecord, 'policyId' | 'policyIds'>): string[] => t.policyIds ?? [t.policyId];

export type { ScheduleKind } from './schedule.ts';
export { parseEvery } from './schedule.ts';

/** What a schedule starts: a type registered with the scheduler ('assessment', 'discovery', …) and its parameters. */
export interface ScheduleAction { type: string; [param: string]: unknown }

export type TaskProgress = { done: number; total: number } & Record<string, number>;

export interface ScheduleRecord {
  id: string;
  name: string;
  kind: import('./schedule.ts').ScheduleKind;
  /** For `every`: the vendor's d:h:m:s format (autoGroupFilterExecutionFrequency), e.g. 1:0:0:0. */
  every?: string;
  /** First run (ISO); run n is counted from it (so month ends clamp without drifting). */
  startAt: string;
  nextRunAt: string | null;
  action: ScheduleAction;
  cancelled: boolean;
  lastTaskId?: string;
  lastRunAt?: string;
  lastError?: string;
  runs: number;
}

export const isActive = (t: TaskRecord) => t.state === 'queued' || t.state === 'running';
