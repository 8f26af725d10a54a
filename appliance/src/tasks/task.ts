// Task records as stored, and the schedule formats (issue 5 §4).
export type TaskType = 'instant-on' | 'assessment' | 'assessment-child';
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
}

/** The policies a task applies, in order. */
export const policiesOf = (t: Pick<TaskRecord, 'policyId' | 'policyIds'>): string[] => t.policyIds ?? [t.policyId];

export type ScheduleKind = 'once' | 'daily' | 'weekly' | 'monthly' | 'every';

export interface ScheduleRecord {
  id: string;
  name: string;
  kind: ScheduleKind;
  /** For `every`: the vendor's d:h:m:s format (autoGroupFilterExecutionFrequency), e.g. 1:0:0:0. */
  every?: string;
  /** First run (ISO); later runs follow the kind. */
  startAt: string;
  nextRunAt: string | null;
  policyId: string;
  remediate: boolean;
  /** Devices to assess; empty = every known device at run time. */
  serials: string[];
  cancelled: boolean;
  lastTaskId?: string;
  runs: number;
}

/** Parses d:h:m:s into milliseconds; null when malformed or zero. */
export function parseEvery(text: string): number | null {
  const m = /^(\d{1,4}):(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const [d, h, min, s] = m.slice(1).map(Number);
  if (h > 23 || min > 59 || s > 59) return null;
  const ms = (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
  return ms > 0 ? ms : null;
}

/** The run after `from` for a schedule, or null when it does not repeat. */
export function nextRun(s: Pick<ScheduleRecord, 'kind' | 'every'>, from: Date): Date | null {
  const d = new Date(from);
  switch (s.kind) {
    case 'once': return null;
    case 'daily': d.setDate(d.getDate() + 1); return d;
    case 'weekly': d.setDate(d.getDate() + 7); return d;
    case 'monthly': d.setMonth(d.getMonth() + 1); return d;
    case 'every': { const ms = parseEvery(s.every ?? ''); return ms ? new Date(from.getTime() + ms) : null; }
  }
}

export const isActive = (t: TaskRecord) => t.state === 'queued' || t.state === 'running';
