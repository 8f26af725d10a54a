// The persistent task engine (issue 5). Tasks live in the store and survive kill -9: on start, queued and
// running tasks are queued again and continue; a device whose outcome is already recorded for the current
// run is skipped, and each device step re-reads the device before writing (so repeating it is harmless).
// A result and the task state that records it are written in one batch, so no result is recorded twice.
//
// Concurrency: `maxConcurrentDevices` bounds SNMP conversations across all tasks. Instant-On tasks (one
// device each) take only a device slot; assessment child tasks also take one of `maxNumberTasks` task
// slots. In compatibility mode every task takes a task slot and runs one device at a time, as the vendor
// product does (the benchmark baseline).
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../util/log.ts';
import type { Store, StoreOp } from '../store/index.ts';
import type { DeviceRegistry } from '../devices/index.ts';
import type { ComplianceRecord, Device, HistoryEntry } from '../devices/index.ts';
import type { PolicyRepo, StoredPolicy } from '../policy/index.ts';
import { Semaphore } from './semaphore.ts';
import { isActive, policiesOf, type DeviceOutcome, type TaskProgress, type TaskRecord, type TaskState, type TaskType } from './task.ts';

export interface DeviceRun {
  record: Omit<ComplianceRecord, 'taskId' | 'run' | 'policyId' | 'policyName' | 'at' | 'remediate'>;
  credentialRef?: Device['credentialRef'];
}
export type RunDevice = (device: Device, policy: StoredPolicy, remediate: boolean, compatibility: boolean) => Promise<DeviceRun>;

export interface EngineLimits { maxNumberTasks: number; maxConcurrentDevices: number; childTaskSize: number; compatibilityMode: boolean }

export interface EngineEvents { task: [TaskRecord] }

export interface TaskStats {
  /** Tasks waiting for a slot, and tasks with at least one device under way. */
  queued: number; running: number;
  byState: Record<TaskState, number>;
  byType: Record<string, Record<TaskState, number>>;
  devicesInFlight: number; devicesWaiting: number;
}

const zeroCounts = (): Record<TaskState, number> => ({ queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 });

/** What a task is for, when a group asked for it (group assessments, autogroup triggers B–D). */
export interface TaskGroup { groupId: string; groupName: string }

/** A device the SNMP step could not reach or log in to: later policies in the same run would fail alike. */
const UNREACHABLE = new Set(['unreachable', 'auth-failed']);

/**
 * What a registered runner gets for one run of its task. `progress` may be called as often as the work
 * likes: events go out a few times a second and the record is stored every few seconds (and at the end).
 * The signal aborts on cancel and on shutdown; a task interrupted by shutdown (or kill -9) runs again from the
 * start after the restart, so a runner's work must be safe to repeat.
 */
export interface TaskRun {
  task: TaskRecord;
  signal: AbortSignal;
  progress(p: TaskProgress): void;
  /** Stores the record now (e.g. after recording a result the task names). */
  save(): Promise<void>;
}
export type TaskRunner = (run: TaskRun) => Promise<void>;

const PROGRESS_EVENT_MS = 250;
const PROGRESS_SAVE_MS = 3000;

const FINISHED_KEPT = 2000;

export class TaskEngine extends EventEmitter<EngineEvents> {
  private tasks = new Map<string, TaskRecord>();
  private queue: string[] = [];
  private activeInstantOn = new Map<string, string>();
  private runningSlots = 0;
  private readonly devices: Semaphore;
  private stopped = false;
  private inFlight = new Set<Promise<unknown>>();
  private runners = new Map<TaskType, TaskRunner>();
  private aborts = new Map<string, AbortController>();

  constructor(private readonly deps: { store: Store; registry: DeviceRegistry; policies: PolicyRepo; runDevice: RunDevice; limits: () => EngineLimits; log: Logger;
    /** Why SNMP to a device is held (devices/identity.ts: an unapproved identity change), or undefined. */
    holdReason?: (device: Device) => string | undefined; }) {
    super();
    this.devices = new Semaphore(() => (deps.limits().compatibilityMode ? deps.limits().maxNumberTasks : deps.limits().maxConcurrentDevices));
  }

  async load(): Promise<{ resumed: number }> {
    const all = await this.deps.store.values<TaskRecord>('tasks');
    let resumed = 0;
    for (const t of all.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      if (t.state === 'running') t.state = 'queued';
      this.tasks.set(t.id, t);
      if (t.state === 'queued') {
        resumed++;
        if (t.type !== 'assessment') this.queue.push(t.id);
        if (t.type === 'instant-on') this.activeInstantOn.set(t.serials[0], t.id);
      }
    }
    if (resumed) this.deps.log.info({ resumed }, 'resuming tasks left from the last run');
    // A crash between a parent's last child finishing and the parent being closed leaves it open: close it.
    for (const t of this.tasks.values()) {
      if (t.type === 'assessment' && isActive(t) && (t.childIds ?? []).every((id) => { const c = this.tasks.get(id); return !c || !isActive(c); })) await this.updateParent(t.id);
    }
    this.pump();
    return { resumed };
  }

  list(filter: { type?: TaskType; state?: string } = {}): TaskRecord[] {
    return [...this.tasks.values()].filter((t) => (!filter.type || t.type === filter.type) && (!filter.state || t.state === filter.state || (filter.state === 'active' && isActive(t))))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(id: string): TaskRecord | undefined { return this.tasks.get(id); }

  /** Counts of every task the engine holds, by state and by kind (the dashboard's numbers, not a page of them). */
  stats(): TaskStats {
    const byState = zeroCounts();
    const byType: Record<string, Record<TaskState, number>> = {};
    for (const t of this.tasks.values()) { byState[t.state]++; (byType[t.type] ??= zeroCounts())[t.state]++; }
    return { queued: byState.queued, running: byState.running, byState, byType, devicesInFlight: this.devices.active, devicesWaiting: this.devices.waiting };
  }

  /** A parent's children counted by state (an assessment's parts); undefined for a task without children. */
  childCounts(t: TaskRecord): Record<TaskState, number> | undefined {
    if (!t.childIds?.length) return undefined;
    const out = zeroCounts();
    for (const id of t.childIds) { const c = this.tasks.get(id); if (c) out[c.state]++; }
    return out;
  }

  /**
   * Instant-On, step 1 (inside the announcement's batch): at most one pending task per device. Returns the
   * operations that create it, or [] when one is already pending (then it runs once more, at most once).
   */
  reserveInstantOn(serial: string, policy: string | string[], trigger: string): { ops: StoreOp[]; task?: TaskRecord } {
    const ids = Array.isArray(policy) ? policy : [policy];
    const existing = this.activeInstantOn.get(serial);
    if (existing) {
      const t = this.tasks.get(existing)!;
      // The newest announcement decides which policies apply (its group may have changed meanwhile).
      const same = policiesOf(t).join() === ids.join();
      if (t.state === 'running') { t.runAgain = true; if (!same) t.nextPolicyIds = ids; return { ops: [] }; }
      if (same) return { ops: [] }; // a queued task will read the new state anyway
      Object.assign(t, policyFields(ids));
      return { ops: [this.putOp({ ...t, outcomes: { ...t.outcomes } })] };
    }
    const task = { ...this.newTask('instant-on', ids[0], true, [serial], trigger), ...policyFields(ids) };
    this.activeInstantOn.set(serial, task.id);
    return { ops: [this.putOp(task)], task };
  }

  /** Instant-On, step 2 (after the batch is durable): start it. */
  adopt(task: TaskRecord) {
    this.tasks.set(task.id, task);
    this.queue.push(task.id);
    this.emit('task', task);
    this.pump();
  }

  /** The announcement's batch failed: forget the reservation. */
  release(task: TaskRecord) {
    if (this.activeInstantOn.get(task.serials[0]) === task.id) this.activeInstantOn.delete(task.serials[0]);
  }

  /** An assessment of a policy over devices, split into child tasks of `childTaskSize`. */
  async createAssessment(policyId: string, serials: string[], remediate: boolean, trigger: string, group?: TaskGroup): Promise<TaskRecord> {
    const parent = { ...this.newTask('assessment', policyId, remediate, serials, trigger), ...group };
    const size = this.deps.limits().childTaskSize;
    const children: TaskRecord[] = [];
    for (let i = 0; i < serials.length; i += size) {
      const c = { ...this.newTask('assessment-child', policyId, remediate, serials.slice(i, i + size), trigger), ...group };
      c.parentId = parent.id;
      children.push(c);
    }
    parent.childIds = children.map((c) => c.id);
    if (children.length === 0) { parent.state = 'done'; parent.finishedAt = parent.createdAt; }
    await this.deps.store.commit([parent, ...children].map((t) => this.putOp(t)));
    for (const t of [parent, ...children]) this.tasks.set(t.id, t);
    this.queue.push(...children.map((c) => c.id));
    this.emit('task', parent);
    this.pump();
    return parent;
  }

  /**
   * Coalescing for remediation that many triggers may ask for at once (autogroup triggers B–D): the serials
   * that have no task pending that will still apply this policy to them.
   */
  withoutPending(policyId: string, serials: string[]): string[] {
    const pending = new Set<string>();
    for (const t of this.tasks.values()) {
      if (!isActive(t) || t.type === 'assessment' || !t.remediate || !policiesOf(t).includes(policyId)) continue;
      for (const s of t.serials) if (!t.outcomes[s]) pending.add(s);
    }
    return pending.size ? serials.filter((s) => !pending.has(s)) : serials;
  }

  /** Lets another room run tasks of its own kind (progress, cancel, resume) through this engine. */
  registerRunner(type: TaskType, runner: TaskRunner) { this.runners.set(type, runner); }

  /** A task of a registered kind; it takes a task slot like an assessment part while it runs. */
  async createTask(type: TaskType, opts: { trigger: string; params?: unknown; policyId?: string; remediate?: boolean; progress?: TaskProgress }): Promise<TaskRecord> {
    if (!this.runners.has(type)) throw new Error(`no runner for tasks of type ${type}`);
    const t = { ...this.newTask(type, opts.policyId ?? '', opts.remediate ?? false, [], opts.trigger), params: opts.params, progress: opts.progress };
    await this.deps.store.commit([this.putOp(t)]);
    this.tasks.set(t.id, t);
    this.queue.push(t.id);
    this.emit('task', t);
    this.pump();
    return t;
  }

  /**
   * Cancels a task and, for an assessment, its parts. Devices not started yet are dropped at once (they
   * leave the device queue); a device whose SNMP conversation is under way finishes it and its result is
   * recorded (the printer did change), and nothing after it starts.
   */
  async cancel(id: string): Promise<TaskRecord | undefined> {
    const t = this.tasks.get(id);
    if (!t) return undefined;
    await this.cancelMany([t]);
    return t;
  }

  /** Cancels every active task of a kind (e.g. 1,500 Instant-On tasks after a flood); returns how many. */
  async cancelAll(filter: { type?: TaskType }): Promise<number> {
    return this.cancelMany([...this.tasks.values()].filter((t) => isActive(t) && (!filter.type || t.type === filter.type)));
  }

  private async cancelMany(list: TaskRecord[]): Promise<number> {
    const targets = new Set<TaskRecord>();
    for (const t of list) {
      if (isActive(t)) targets.add(t);
      for (const c of t.childIds ?? []) { const x = this.tasks.get(c); if (x && isActive(x)) targets.add(x); }
    }
    if (!targets.size) return 0;
    const now = new Date().toISOString();
    for (const x of targets) { x.state = 'cancelled'; x.finishedAt = now; if (x.type === 'instant-on') this.release(x); this.aborts.get(x.id)?.abort(); }
    // One batch for them all: cancelling a flood of tasks is one write, not thousands.
    await this.deps.store.commit([...targets].map((x) => this.putOp({ ...x, outcomes: { ...x.outcomes } })));
    for (const x of targets) this.emit('task', x);
    const parents = new Set([...targets].map((x) => x.parentId).filter((p): p is string => !!p));
    for (const p of parents) await this.updateParent(p);
    this.pump();
    return targets.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const a of this.aborts.values()) a.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private newTask(type: TaskType, policyId: string, remediate: boolean, serials: string[], trigger: string): TaskRecord {
    return { id: `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`, type, state: 'queued', policyId, remediate, serials,
      outcomes: {}, createdAt: new Date().toISOString(), trigger, runs: 1 };
  }

  private putOp(t: TaskRecord): StoreOp {
    return { type: 'put', sublevel: this.deps.store.sub('tasks'), key: t.id, value: t };
  }

  private needsSlot(t: TaskRecord) {
    return this.deps.limits().compatibilityMode || t.type === 'assessment-child' || this.runners.has(t.type);
  }

  /** Starts every queued task that has room, in arrival order (a blocked task does not block other kinds). */
  private pump() {
    if (this.stopped) return;
    const { maxNumberTasks } = this.deps.limits();
    const keep: string[] = [];
    for (const id of this.queue) {
      const t = this.tasks.get(id);
      if (!t || t.state !== 'queued') continue;
      if (this.needsSlot(t)) {
        if (this.runningSlots >= maxNumberTasks) { keep.push(id); continue; }
        this.runningSlots++;
      }
      this.track(this.run(t));
    }
    this.queue = keep;
  }

  private track(p: Promise<unknown>) {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async run(t: TaskRecord) {
    const runner = this.runners.get(t.type);
    if (runner) return this.runKind(t, runner);
    const slot = this.needsSlot(t);
    const abort = new AbortController();
    this.aborts.set(t.id, abort);
    const runsAtStart = t.runs;
    try {
      this.policiesFor(t); // a policy deleted meanwhile fails the task before any device is touched
      const pending = t.serials.filter((s) => !t.outcomes[s]);
      if (this.deps.limits().compatibilityMode) {
        for (const s of pending) { if (!isActive(t) || this.stopped) break; await this.runOne(t, s, abort.signal); }
      } else await Promise.all(pending.map((s) => this.runOne(t, s, abort.signal)));
      if (!this.stopped) await this.finish(t, runsAtStart);
    } catch (err) {
      if (isActive(t)) {
        this.deps.log.error({ task: t.id, err: (err as Error).message }, 'task failed');
        abort.abort();
        t.state = 'failed';
        t.error = (err as Error).message;
        t.finishedAt = new Date().toISOString();
        if (t.type === 'instant-on') this.release(t);
        // The failure may itself be the store's; the task stays failed in memory and is resumed after a restart.
        await this.deps.store.commit([this.putOp(t)]).catch((e) => this.deps.log.error({ task: t.id, err: (e as Error).message }, 'could not store that the task failed'));
        this.emit('task', t);
        if (t.parentId) await this.updateParent(t.parentId);
      }
    } finally {
      if (this.aborts.get(t.id) === abort) this.aborts.delete(t.id);
      if (slot) this.runningSlots--;
      this.pump();
    }
  }

  private policiesFor(t: TaskRecord): StoredPolicy[] {
    const policies = policiesOf(t).map((id) => this.deps.policies.get(id) ?? id);
    const gone = policies.find((p) => typeof p === 'string');
    if (gone) throw new Error(`policy ${gone} no longer exists`);
    return policies as StoredPolicy[];
  }

  /**
   * A task is "running" once one of its devices has an SNMP slot, not while it waits for one: with 1,500
   * Instant-On tasks and 64 slots, 64 run and the rest are queued. Its parent runs once a part does.
   */
  private markRunning(t: TaskRecord) {
    if (t.state !== 'queued') return;
    const now = new Date().toISOString();
    t.state = 'running';
    t.startedAt ??= now;
    this.emit('task', t);
    const p = t.parentId ? this.tasks.get(t.parentId) : undefined;
    if (p?.state === 'queued') { p.state = 'running'; p.startedAt ??= now; this.emit('task', p); }
  }

  /** A task of a registered kind: the runner does the work; progress is throttled; cancel aborts it. */
  private async runKind(t: TaskRecord, runner: TaskRunner) {
    const abort = new AbortController();
    this.aborts.set(t.id, abort);
    t.state = 'running';
    t.startedAt = new Date().toISOString();
    let emitTimer: NodeJS.Timeout | undefined;
    let savedAt = Date.now();
    const save = () => this.deps.store.commit([this.putOp({ ...t })]);
    const progress = (p: TaskProgress) => {
      t.progress = p;
      emitTimer ??= setTimeout(() => { emitTimer = undefined; this.emit('task', t); }, PROGRESS_EVENT_MS);
      if (Date.now() - savedAt > PROGRESS_SAVE_MS && isActive(t)) { savedAt = Date.now(); void save().catch((err) => this.deps.log.error({ task: t.id, err: err.message }, 'could not store task progress')); }
    };
    this.emit('task', t);
    try {
      await save();
      await runner({ task: t, signal: abort.signal, progress, save });
      if (t.state === 'running' && !this.stopped) { t.state = 'done'; t.finishedAt = new Date().toISOString(); }
    } catch (err) {
      if (t.state === 'running' && !this.stopped) {
        this.deps.log.error({ task: t.id, type: t.type, err: (err as Error).message }, 'task failed');
        Object.assign(t, { state: 'failed', error: (err as Error).message, finishedAt: new Date().toISOString() });
      }
    } finally {
      clearTimeout(emitTimer);
      this.aborts.delete(t.id);
      // Cancelled or finished: the final record; stopping: left 'running', so the next start runs it again.
      if (!this.stopped) await save().catch((err) => this.deps.log.error({ task: t.id, err: err.message }, 'could not store a finished task'));
      this.emit('task', t);
      this.runningSlots--;
      this.pump();
    }
  }

  /** Applies the task's policies to one device in order; each result is its own durable step. */
  private async runOne(t: TaskRecord, serial: string, signal: AbortSignal) {
    const release = await this.devices.acquire(signal);
    if (!release) return; // cancelled while waiting: this device never started
    try {
      if (!isActive(t) || this.stopped) return;
      this.markRunning(t);
      const policies = this.policiesFor(t);
      const steps: NonNullable<DeviceOutcome['steps']> = [];
      for (let i = t.applied?.[serial] ?? 0; i < policies.length; i++) {
        if (!isActive(t) || this.stopped) return;
        const policy = policies[i];
        const device = this.deps.registry.get(serial);
        if (!device) { t.outcomes[serial] = { status: 'missing', at: new Date().toISOString() }; return; }
        const hold = this.deps.holdReason?.(device);
        if (hold) return await this.recordHeld(t, serial, hold);
        const run = await this.deps.runDevice(device, policy, t.remediate, this.deps.limits().compatibilityMode);
        if (this.stopped) return;
        const at = new Date().toISOString();
        const record: ComplianceRecord = { ...run.record, policyId: policy.id, policyName: policy.name, at, taskId: t.id, run: t.runs, remediate: t.remediate };
        steps.push({ policyId: policy.id, status: record.status });
        const last = i === policies.length - 1 || UNREACHABLE.has(record.status);
        await this.deps.registry.apply(serial, (cur) => {
          // Runs synchronously right before this batch is queued for the disk, so the task snapshot written
          // with it only names results whose batches are already queued ahead of it: after a crash the task
          // never claims a result that is not on disk, and a result on disk is never run again.
          if (last) {
            t.outcomes[serial] = { status: record.status, at, detail: record.detail, ...(policies.length > 1 ? { steps } : {}) };
            if (t.applied) delete t.applied[serial];
          } else (t.applied ??= {})[serial] = i + 1;
          if (t.type === 'instant-on' && isActive(t) && Object.keys(t.outcomes).length >= t.serials.length) Object.assign(t, this.finishedState(t));
          return {
            patch: { compliance: record, lastPolicy: { id: policy.id, name: policy.name, at }, ...(run.credentialRef ? { credentialRef: run.credentialRef } : {}) },
            entries: [assessmentEntry(cur, record, t)],
            ops: [this.putOp({ ...t, outcomes: { ...t.outcomes }, ...(t.applied ? { applied: { ...t.applied } } : {}) })],
          };
        });
        this.emit('task', t);
        if (last) return;
      }
    } finally {
      release();
    }
  }

  /** No SNMP at all for this device: its outcome says why; its compliance record stays what it was. */
  private async recordHeld(t: TaskRecord, serial: string, detail: string) {
    this.deps.log.warn({ task: t.id, serial, detail }, 'SNMP held for this device');
    t.outcomes[serial] = { status: 'held', at: new Date().toISOString(), detail };
    if (t.applied) delete t.applied[serial];
    if (t.type === 'instant-on' && Object.keys(t.outcomes).length >= t.serials.length) Object.assign(t, this.finishedState(t));
    await this.deps.store.commit([this.putOp({ ...t, outcomes: { ...t.outcomes }, ...(t.applied ? { applied: { ...t.applied } } : {}) })]);
    this.emit('task', t);
  }

  /** Instant-On: finished, or back in the queue once more if the device announced while it ran. */
  private finishedState(t: TaskRecord): Partial<TaskRecord> {
    if (t.runAgain) {
      return { state: 'queued', runAgain: false, outcomes: {}, applied: undefined, runs: t.runs + 1,
        ...(t.nextPolicyIds ? { ...policyFields(t.nextPolicyIds), nextPolicyIds: undefined } : {}) };
    }
    return { state: 'done', finishedAt: new Date().toISOString() };
  }

  private async finish(t: TaskRecord, runsAtStart: number) {
    if (t.type === 'instant-on') {
      if (t.state === 'queued' && t.runs > runsAtStart) { this.queue.push(t.id); return; } // run once more (coalesced announcements)
      if (isActive(t)) {
        // No result was recorded (the device vanished): close the task on its own.
        Object.assign(t, this.finishedState({ ...t, runAgain: false }));
        await this.deps.store.commit([this.putOp(t)]);
      }
      this.release(t);
      this.emit('task', t);
      this.prune();
      return;
    }
    if (isActive(t)) {
      t.state = 'done';
      t.finishedAt = new Date().toISOString();
    }
    // Cancelled meanwhile: the results of the devices that were under way are stored with it.
    await this.deps.store.commit([this.putOp({ ...t, outcomes: { ...t.outcomes } })]);
    this.emit('task', t);
    if (t.parentId) await this.updateParent(t.parentId);
  }

  /**
   * A parent's outcomes are its parts' outcomes; it ends when they all have: failed if one failed, cancelled
   * if one was cancelled, else done. A cancelled parent still collects the results of parts under way.
   */
  private async updateParent(parentId: string) {
    const p = this.tasks.get(parentId);
    if (!p) return;
    const children = (p.childIds ?? []).map((id) => this.tasks.get(id)).filter((c): c is TaskRecord => Boolean(c));
    p.outcomes = Object.assign({}, ...children.map((c) => c.outcomes));
    if (isActive(p) && children.every((c) => !isActive(c))) {
      p.state = children.some((c) => c.state === 'failed') ? 'failed' : children.some((c) => c.state === 'cancelled') ? 'cancelled' : 'done';
      p.finishedAt = new Date().toISOString();
    }
    if (!isActive(p)) await this.deps.store.commit([this.putOp({ ...p, outcomes: { ...p.outcomes } })]);
    this.emit('task', p);
  }

  /** Keeps the newest finished tasks only; Instant-On makes one per announcement burst. */
  private prune() {
    const finished = [...this.tasks.values()].filter((t) => !isActive(t) && !t.parentId);
    if (finished.length <= FINISHED_KEPT + 100) return;
    const drop = finished.sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '')).slice(0, finished.length - FINISHED_KEPT);
    const ops: StoreOp[] = [];
    for (const t of drop) for (const id of [t.id, ...(t.childIds ?? [])]) { this.tasks.delete(id); ops.push({ type: 'del', sublevel: this.deps.store.sub('tasks'), key: id }); }
    void this.deps.store.commit(ops).catch((err) => this.deps.log.error({ err: err.message, tasks: ops.length }, 'could not prune old tasks (they come back after a restart)'));
  }
}

/** policyId is the first policy (what lists show); policyIds only when there are several. */
function policyFields(ids: string[]): Pick<TaskRecord, 'policyId' | 'policyIds'> {
  return { policyId: ids[0], policyIds: ids.length > 1 ? ids : undefined };
}

/**
 * The history entry of one result. Its trigger is the task's (an announcement's reason only for Instant-On:
 * a manual or scheduled run is not "initial-boot" because that was the device's last announcement).
 */
function assessmentEntry(device: Device, r: ComplianceRecord, t: TaskRecord): Omit<HistoryEntry, 'seq'> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const s of r.settings) if (s.changed) changed[s.id] = { from: s.before, to: s.actual };
  const instantOn = t.type === 'instant-on';
  return { at: r.at, kind: 'assessment', ...(instantOn ? { reason: device.lastReason, messageId: device.lastMessageId } : {}), peerAddress: device.peerAddress,
    assessment: { status: r.status, policyId: r.policyId, policyName: r.policyName, taskId: r.taskId, run: r.run, changed,
      nonCompliant: r.settings.filter((s) => !s.compliant).map((s) => s.id), trigger: instantOn ? `announcement:${t.trigger}` : t.trigger,
      ...(t.groupName ? { groupName: t.groupName } : {}) } };
}
