// Long-term history for the dashboard (issue 16 §6): one record per hour in the store's `counters` sublevel —
// announcements accepted and rejected (by reason) in that hour, and the fleet's compliance at the hour's last
// sample. The current hour lives in memory and is written every minute and at stop, so a restart loses at
// most a minute and the charts come from the disk, not from memory since start. A year of hours is ~8,800
// records of a few hundred bytes; older ones are pruned, and the count is capped even if the clock jumps.
import type { Store } from '../store/index.ts';

const HOUR = 3600_000;
export const RETENTION_HOURS = 366 * 24;
const MAX_RECORDS = RETENTION_HOURS + 48;

/** Cumulative counts since the process started (the announcement listener's counters). */
export interface AnnounceTotals { accepted: number; rejected: Record<string, number> }

export interface HourRecord {
  /** UTC hour, `YYYY-MM-DDTHH` (sorts in time order as a store key). */
  hour: string;
  accepted: number;
  rejected: Record<string, number>;
  /** Devices by compliance status at the last sample of the hour. */
  compliance: Record<string, number>;
  devices: number;
}

export interface HistoryPoint {
  start: string;
  accepted: number;
  rejected: number;
  rejectedBy: Record<string, number>;
  /** null when nothing was recorded in that interval (the appliance was off). */
  compliance: Record<string, number> | null;
  devices: number | null;
}

export interface HourlyHistoryDeps {
  store: Store;
  announcements: () => AnnounceTotals;
  compliance: () => { devices: number; byStatus: Record<string, number> };
  now?: () => number;
  flushMs?: number;
  onError?: (err: Error) => void;
}

export const hourKey = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR).toISOString().slice(0, 13);
const hourStart = (key: string) => Date.parse(`${key}:00:00.000Z`);

export class HourlyHistory {
  private current?: HourRecord;
  private finished: HourRecord[] = [];
  private baseline: AnnounceTotals = { accepted: 0, rejected: {} };
  private timer?: NodeJS.Timeout;
  private running = false;
  private flushing?: Promise<void>;

  constructor(private readonly d: HourlyHistoryDeps) {}

  private now() { return this.d.now?.() ?? Date.now(); }

  /** Continues the current hour from the store (a restart within the hour adds to it) and starts sampling. */
  async start(): Promise<void> {
    const key = hourKey(this.now());
    this.current = (await this.d.store.get<HourRecord>('counters', key)) ?? empty(key);
    this.baseline = copyTotals(this.d.announcements());
    await this.prune();
    this.running = true;
    this.schedule();
  }

  /** Every flushMs, and just after each hour begins, so an hour's counts are not booked to the next one. */
  private schedule() {
    if (!this.running) return;
    const toNextHour = HOUR - (this.now() % HOUR) + 50;
    this.timer = setTimeout(() => {
      void this.flush().catch((err) => this.d.onError?.(err)).finally(() => this.schedule());
    }, Math.min(this.d.flushMs ?? 60_000, toNextHour));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Folds what happened since the last sample into the current hour (in memory). */
  sample(): void {
    const key = hourKey(this.now());
    if (!this.current) this.current = empty(key);
    if (this.current.hour !== key) {
      this.finished.push(this.current);
      this.current = empty(key);
    }
    const totals = this.d.announcements();
    const c = this.current;
    // The listener's counters only grow within a process; a smaller value means they were reset: count it whole.
    c.accepted += totals.accepted >= this.baseline.accepted ? totals.accepted - this.baseline.accepted : totals.accepted;
    for (const [reason, n] of Object.entries(totals.rejected)) {
      const before = this.baseline.rejected[reason] ?? 0;
      const delta = n >= before ? n - before : n;
      if (delta) c.rejected[reason] = (c.rejected[reason] ?? 0) + delta;
    }
    this.baseline = copyTotals(totals);
    const fleet = this.d.compliance();
    c.compliance = fleet.byStatus;
    c.devices = fleet.devices;
  }

  /** Samples and writes the current hour (and any finished one) in one batch; prunes on a new hour. */
  flush(): Promise<void> {
    const run = (this.flushing ?? Promise.resolve()).then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async write() {
    this.sample();
    const done = this.finished.splice(0);
    const records = [...done, { ...this.current! }];
    const sub = this.d.store.sub<HourRecord>('counters');
    try {
      await this.d.store.commit(records.map((r) => ({ type: 'put' as const, sublevel: sub, key: r.hour, value: r })));
    } catch (err) {
      this.finished.unshift(...done); // kept for the next flush
      throw err;
    }
    if (done.length) await this.prune();
  }

  private async prune() {
    const sub = this.d.store.sub<HourRecord>('counters');
    const cutoff = hourKey(this.now() - RETENTION_HOURS * HOUR);
    const old = await sub.keys({ lt: cutoff }).all();
    // A clock that jumped ahead and back can leave records "in the future": the cap still bounds the size.
    const newest = await sub.keys({ gte: cutoff, reverse: true }).all();
    const excess = newest.slice(MAX_RECORDS);
    const drop = [...old, ...excess];
    if (drop.length) await this.d.store.commit(drop.map((key) => ({ type: 'del' as const, sublevel: sub, key })));
  }

  /**
   * Points from `from` to `to` (inclusive hours), hourly or per UTC day; hours the appliance was off are
   * zeros with compliance null. The current hour includes everything up to now.
   */
  async series(fromMs: number, toMs: number, step: 'hour' | 'day'): Promise<HistoryPoint[]> {
    this.sample();
    const from = hourKey(fromMs);
    const to = hourKey(toMs);
    const stored = new Map<string, HourRecord>();
    for (const r of await this.d.store.values<HourRecord>('counters', { gte: from, lt: `${to}~` })) stored.set(r.hour, r);
    for (const r of [...this.finished, this.current!]) if (r && r.hour >= from && r.hour <= to) stored.set(r.hour, r);
    const unit = step === 'hour' ? HOUR : 24 * HOUR;
    const first = Math.floor(hourStart(from) / unit) * unit;
    const points: HistoryPoint[] = [];
    for (let t = first; t <= hourStart(to); t += unit) {
      const p: HistoryPoint = { start: new Date(t).toISOString(), accepted: 0, rejected: 0, rejectedBy: {}, compliance: null, devices: null };
      for (let h = Math.max(t, hourStart(from)); h < t + unit && h <= hourStart(to); h += HOUR) {
        const r = stored.get(hourKey(h));
        if (!r) continue;
        p.accepted += r.accepted;
        for (const [k, n] of Object.entries(r.rejected)) { p.rejectedBy[k] = (p.rejectedBy[k] ?? 0) + n; p.rejected += n; }
        // The latest snapshot in the interval stands for it (a gauge, not a sum).
        if (r.devices || Object.keys(r.compliance).length) { p.compliance = r.compliance; p.devices = r.devices; }
      }
      points.push(p);
    }
    return points;
  }
}

function empty(hour: string): HourRecord {
  return { hour, accepted: 0, rejected: {}, compliance: {}, devices: 0 };
}

function copyTotals(t: AnnounceTotals): AnnounceTotals {
  return { accepted: t.accepted, rejected: { ...t.rejected } };
}
