// Scheduled assessments (issue 5 §4): once, daily, weekly, monthly, or every d:h:m:s. A one-second tick
// starts what is due; runs missed while the appliance was off are not replayed one by one — the next run
// is the first due time after now, so a week of downtime does not start a week of assessments at once.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../util/log.ts';
import type { Store } from '../store/store.ts';
import type { TaskEngine } from './engine.ts';
import { nextRun, type ScheduleRecord } from './task.ts';

export class Scheduler {
  private schedules = new Map<string, ScheduleRecord>();
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(private readonly deps: { store: Store; engine: TaskEngine; allSerials: () => string[]; log: Logger; tickMs?: number }) {}

  async start(): Promise<void> {
    for (const s of await this.deps.store.values<ScheduleRecord>('schedules')) this.schedules.set(s.id, s);
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs ?? 1000);
    this.timer.unref();
  }

  stop() { clearInterval(this.timer); }

  list(): ScheduleRecord[] { return [...this.schedules.values()]; }
  get(id: string) { return this.schedules.get(id); }

  async create(input: Omit<ScheduleRecord, 'id' | 'nextRunAt' | 'cancelled' | 'runs'>): Promise<ScheduleRecord> {
    const s: ScheduleRecord = { ...input, id: `sch-${randomUUID().slice(0, 8)}`, nextRunAt: input.startAt, cancelled: false, runs: 0 };
    await this.save(s);
    void this.tick();
    return s;
  }

  async cancel(id: string): Promise<ScheduleRecord | undefined> {
    const s = this.schedules.get(id);
    if (!s) return undefined;
    s.cancelled = true;
    s.nextRunAt = null;
    await this.save(s);
    if (s.lastTaskId) await this.deps.engine.cancel(s.lastTaskId);
    return s;
  }

  private async save(s: ScheduleRecord) {
    await this.deps.store.commit([{ type: 'put', sublevel: this.deps.store.sub('schedules'), key: s.id, value: s }]);
    this.schedules.set(s.id, s);
  }

  private async tick() {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = new Date();
      for (const s of this.schedules.values()) {
        if (s.cancelled || !s.nextRunAt || new Date(s.nextRunAt) > now) continue;
        const serials = s.serials.length ? s.serials : this.deps.allSerials();
        const task = await this.deps.engine.createAssessment(s.policyId, serials, s.remediate, `schedule:${s.id}`);
        let next = nextRun(s, new Date(s.nextRunAt));
        while (next && next <= now) next = nextRun(s, next);
        await this.save({ ...s, lastTaskId: task.id, runs: s.runs + 1, nextRunAt: next?.toISOString() ?? null });
        this.deps.log.info({ schedule: s.id, task: task.id, devices: serials.length, next: next?.toISOString() ?? null }, 'scheduled assessment started');
      }
    } catch (err) {
      this.deps.log.error({ err: (err as Error).message }, 'scheduler tick failed');
    } finally {
      this.ticking = false;
    }
  }
}
