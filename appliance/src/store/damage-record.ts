// A damage report outlives the open that found it: LevelDB replays and deletes the damaged log, so the next
// open would look clean. The report is kept in the store (meta!damage) and keeps health `degraded` until an
// admin acknowledges it.
import type { IntegrityReport } from './integrity.ts';
import type { StoreOp, Sub } from './store.ts';

export interface StoredDamage {
  /** Newest first, at most five. */
  reports: IntegrityReport[];
  acknowledgedAt?: string;
  acknowledgedBy?: string;
}

export class DamageRecord {
  private pending?: StoredDamage;
  constructor(private readonly meta: Sub<unknown>, private current: StoredDamage | undefined) {}

  /** The unacknowledged damage, if any. */
  open(): StoredDamage | undefined {
    return this.current && !this.current.acknowledgedAt ? this.current : undefined;
  }

  view() { return this.current ?? null; }

  /** Operations that store a new report (reopening the record if it was acknowledged). */
  add(report: IntegrityReport): StoreOp[] {
    const prev = this.current && !this.current.acknowledgedAt ? this.current.reports : [];
    this.current = { reports: [report, ...prev].slice(0, 5) };
    return [{ type: 'put', sublevel: this.meta, key: 'damage', value: this.current }];
  }

  acknowledge(by: string): StoreOp[] {
    if (!this.open()) return [];
    this.pending = { ...this.current!, acknowledgedAt: new Date().toISOString(), acknowledgedBy: by };
    return [{ type: 'put', sublevel: this.meta, key: 'damage', value: this.pending }];
  }

  applied() {
    if (this.pending) this.current = this.pending;
    this.pending = undefined;
  }
}
