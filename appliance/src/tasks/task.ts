// Task records as stored, and the schedule formats (issue 5 §4).
/** `discovery` (and any later kind) is run by a runner registered with the engine (engine.registerRunner). */
export type TaskType = 'instant-on' | 'assessment' | 'assessment-child' | 'discovery';
export type TaskState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface DeviceOutcome { status: string; at: string; detail?: string }

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
  /** Kinds with a registered runner: what the task was asked to do (validated before it was created). */
  params?: unknown;
  /** Kinds with a registered runner: counts shown as progress; `done` of `total` drives the progress bar. */
  progress?: TaskProgress;
  /** Kinds with a registered runner: what it produced, bounded by the runner. */
  result?: unknown;
}

export type TaskProgress = { done: number; total: number } & Record<string, number>;

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
