// Schedules: once, daily, weekly, monthly or every d:h:m:s, each starting an *action* registered by the room
// that owns it (assessments here; discovery, group assessments, backups elsewhere). One timer is armed for
// the earliest due schedule — no polling. Runs missed while the appliance was off are not replayed one by
// one: the next run is the first due time after now, so a week of downtime does not start a week of work.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../util/log.ts';
import type { Store } from '../store/index.ts';
import type { ScheduleAction, ScheduleRecord } from './task.ts';
import { nextOccurrence, parseEvery, shortestInterval, type ScheduleKind } from './schedule.ts';

export interface ScheduleActionHandler {
  /** Starts the work; returns the task that does it. */
  run(action: ScheduleAction, schedule: ScheduleRecord): Promise<{ taskId: string }>;
  /** Throws a ScheduleError naming the field when the parameters are not valid (checked on create and edit). */
  validate?(action: ScheduleAction): void;
}

export interface ScheduleInput { name: string; kind: ScheduleKind; every?: string; startAt?: string; action: ScheduleAction }

/** A schedule that cannot be made as asked: `field` names what to fix. */
export class ScheduleError extends Error {
  readonly status = 400;
  readonly expose = true;
  constructor(readonly code: string, readonly field: string, message: string) { super(message); }
  get details() { return [{ field: this.field, message: this.message }]; }
}

/** Longest single wait: a timer further out is re-armed, so a changed wall clock is noticed within this. */
const MAX_WAIT_MS = 3_600_000;
/** A start time this far in the past is still "now" (a form filled in a minute ago). */
const PAST_GRACE_MS = 60_000;

export class Scheduler {
  private schedules = new Map<string, ScheduleRecord>();
  private actions = new Map<string, ScheduleActionHandler>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly deps: { store: Store; log: Logger; minIntervalMs: () => number; now?: () => Date }) {}

  private now(): Date { return this.deps.now?.() ?? new Date(); }

  registerAction(type: string, handler: ScheduleActionHandler): void { this.actions.set(type, handler); }

  async start(): Promise<void> {
    for (const s of await this.deps.store.values<ScheduleRecord & LegacyFields>('schedules')) this.schedules.set(s.id, upgrade(s));
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  list(): ScheduleRecord[] { return [...this.schedules.values()]; }
  get(id: string) { return this.schedules.get(id); }

  async create(input: ScheduleInput): Promise<ScheduleRecord> {
    const startAt = this.checkInput(input);
    const s: ScheduleRecord = { id: `sch-${randomUUID().slice(0, 8)}`, name: input.name, kind: input.kind, every: input.kind === 'every' ? input.every : undefined,
      startAt: startAt.toISOString(), nextRunAt: startAt.toISOString(), action: input.action, cancelled: false, runs: 0 };
    await this.save(s);
    this.deps.log.info({ schedule: s.id, name: s.name, kind: s.kind, action: s.action.type, next: s.nextRunAt }, 'schedule created');
    this.arm();
    return s;
  }

  /** Edits name, recurrence, start or action; the next run is computed again from the new start. */
  async update(id: string, patch: Partial<ScheduleInput>): Promise<ScheduleRecord | undefined> {
    const prev = this.schedules.get(id);
    if (!prev) return undefined;
    if (prev.cancelled) throw new ScheduleError('schedule-cancelled', 'id', `schedule ${id} is cancelled; create a new one`);
    const merged: ScheduleInput = { name: patch.name ?? prev.name, kind: patch.kind ?? prev.kind, every: patch.every ?? prev.every,
      action: patch.action ?? prev.action, startAt: patch.startAt };
    // A newly given start must not be in the past; otherwise the runs keep counting from the old start.
    const checked = this.checkInput(merged);
    const startAt = patch.startAt === undefined ? new Date(prev.startAt) : checked;
    const next = nextOccurrence(merged, startAt, new Date(this.now().getTime() - 1));
    const s: ScheduleRecord = { ...prev, name: merged.name, kind: merged.kind, every: merged.kind === 'every' ? merged.every : undefined,
      startAt: startAt.toISOString(), action: merged.action, nextRunAt: next?.toISOString() ?? null };
    await this.save(s);
    this.arm();
    return s;
  }

  async cancel(id: string, cancelTask?: (taskId: string) => Promise<unknown>): Promise<ScheduleRecord | undefined> {
    const s = this.schedules.get(id);
    if (!s) return undefined;
    const done: ScheduleRecord = { ...s, cancelled: true, nextRunAt: null };
    await this.save(done);
    if (s.lastTaskId && cancelTask) await cancelTask(s.lastTaskId);
    this.arm();
    return done;
  }

  private checkInput(input: ScheduleInput): Date {
    if (!input.name.trim()) throw new ScheduleError('invalid-schedule', 'name', 'a schedule needs a name');
    if (input.kind === 'every' && parseEvery(input.every ?? '') === null) {
      throw new ScheduleError('invalid-schedule', 'every', 'every must be d:h:m:s, e.g. 1:0:0:0 for once a day (not zero)');
    }
    const interval = shortestInterval(input);
    const min = this.deps.minIntervalMs();
    if (interval !== null && interval < min) {
      throw new ScheduleError('interval-too-short', 'every', `runs must be at least ${Math.round(min / 1000)} s apart (setting scheduleMinIntervalSeconds)`);
    }
    const handler = this.actions.get(input.action?.type);
    if (!handler) throw new ScheduleError('unknown-action', 'action.type', `no scheduled action ${input.action?.type}; known: ${[...this.actions.keys()].join(', ')}`);
    handler.validate?.(input.action);
    const now = this.now();
    if (input.startAt === undefined) return now;
    const at = new Date(input.startAt);
    if (Number.isNaN(at.getTime())) throw new ScheduleError('invalid-schedule', 'startAt', 'startAt must be an ISO date and time, e.g. 2026-12-01T02:00:00Z');
    if (at.getTime() < now.getTime() - PAST_GRACE_MS) throw new ScheduleError('start-in-past', 'startAt', `startAt ${input.startAt} is in the past`);
    return at < now ? now : at;
  }

  private async save(s: ScheduleRecord) {
    await this.deps.store.commit([{ type: 'put', sublevel: this.deps.store.sub('schedules'), key: s.id, value: s }]);
    this.schedules.set(s.id, s);
  }

  /** Arms one timer for the earliest due schedule. */
  private arm() {
    clearTimeout(this.timer);
    if (this.stopped) return;
    let earliest = Infinity;
    for (const s of this.schedules.values()) if (!s.cancelled && s.nextRunAt) earliest = Math.min(earliest, Date.parse(s.nextRunAt));
    if (earliest === Infinity) return;
    const wait = Math.max(0, Math.min(earliest - this.now().getTime(), MAX_WAIT_MS));
    this.timer = setTimeout(() => { this.running = this.runDue().finally(() => { this.running = undefined; this.arm(); }); }, wait);
    this.timer.unref();
  }

  private async runDue() {
    const now = this.now();
    for (const s of [...this.schedules.values()]) {
      if (this.stopped) return;
      if (s.cancelled || !s.nextRunAt || Date.parse(s.nextRunAt) > now.getTime()) continue;
      const next = nextOccurrence(s, new Date(s.startAt), now);
      let taskId: string | undefined;
      let error: string | undefined;
      try {
        const handler = this.actions.get(s.action.type);
        if (!handler) throw new Error(`no handler for scheduled action ${s.action.type}`);
        taskId = (await handler.run(s.action, s)).taskId;
        this.deps.log.info({ schedule: s.id, name: s.name, task: taskId, next: next?.toISOString() ?? null }, 'scheduled run started');
      } catch (err) {
        // The run is skipped, not retried in a loop: the schedule shows why and tries again at its next time.
        error = (err as Error).message;
        this.deps.log.error({ schedule: s.id, name: s.name, err: error }, 'scheduled run could not start');
      }
      await this.save({ ...s, lastTaskId: taskId ?? s.lastTaskId, lastRunAt: now.toISOString(), lastError: error, runs: s.runs + 1, nextRunAt: next?.toISOString() ?? null });
    }
  }
}

/** Schedules stored before actions existed were all assessments with these fields at the top. */
interface LegacyFields { policyId?: string; remediate?: boolean; serials?: string[] }

function upgrade(s: ScheduleRecord & LegacyFields): ScheduleRecord {
  if (s.action) return s;
  const { policyId, remediate, serials, ...rest } = s;
  return { ...rest, action: { type: 'assessment', policyId, remediate: remediate ?? false, serials: serials ?? [] } };
}
