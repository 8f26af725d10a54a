// The compliance journal: what the reports read (issue 16 §1). Device history is pruned to a few dozen entries
// per device, too short for a year's audit, so every assessment result that matters is also kept here, in
// the same batch as the device record (a registry apply hook): a result whose status differs from the last
// one for that device and policy, any result that changed a setting, and otherwise at most one a day (so
// "assessed in the period" is known to the day). A compliant fleet assessed hourly costs one entry per
// device and policy a day. Kept a year, capped in count.
//
// Keys: `j!<at>!<serial>!<policyId>` for entries (time order, so a period is one range read) and
// `l!<serial>!<policyId>` for the latest entry of each pair (loaded at start; bounded by devices × policies).
import type { Store, StoreOp } from '../store/index.ts';
import type { ComplianceRecord, Device } from '../devices/index.ts';

export interface JournalEntry {
  at: string;
  serial: string;
  policyId: string;
  policyName: string;
  status: ComplianceRecord['status'];
  taskId: string;
  remediate: boolean;
  /** Settings this assessment changed on the device. */
  changed?: { id: string; from: unknown; to: unknown }[];
  /** Settings still not compliant afterwards. */
  nonCompliant?: string[];
  detail?: string;
}

interface Latest { at: string; status: string }

const DAY = 86_400_000;
export const JOURNAL_RETENTION_DAYS = 366;
const SEP = '!';

const entryKey = (e: Pick<JournalEntry, 'at' | 'serial' | 'policyId'>) => `j${SEP}${e.at}${SEP}${e.serial}${SEP}${e.policyId}`;
const latestKey = (serial: string, policyId: string) => `l${SEP}${serial}${SEP}${policyId}`;

export class ComplianceJournal {
  private latest = new Map<string, Latest>();
  private writes = 0;

  constructor(private readonly store: Store, private readonly opts: { maxEntries?: () => number; now?: () => number; onError?: (err: Error) => void } = {}) {}

  private get sub() { return this.store.sub<JournalEntry | Latest>('assessments'); }
  private now() { return this.opts.now?.() ?? Date.now(); }

  async load(): Promise<void> {
    this.latest.clear();
    for await (const [k, v] of this.sub.iterator({ gte: `l${SEP}`, lt: `l${SEP}~` })) this.latest.set(k, v as Latest);
  }

  /** The registry apply hook: journal operations when `after` carries a new assessment worth keeping. */
  readonly hook = (before: Device, after: Device): StoreOp[] => {
    const r = after.compliance;
    if (!r || r === before.compliance || r.at === before.compliance?.at) return [];
    const lk = latestKey(after.serialNumber, r.policyId);
    const prev = this.latest.get(lk);
    const changed = r.settings.filter((x) => x.changed).map((x) => ({ id: x.id, from: x.before, to: x.actual }));
    const worth = !prev || prev.status !== r.status || changed.length > 0 || Date.parse(r.at) - Date.parse(prev.at) >= DAY;
    if (!worth) return [];
    const entry: JournalEntry = { at: r.at, serial: after.serialNumber, policyId: r.policyId, policyName: r.policyName, status: r.status,
      taskId: r.taskId, remediate: r.remediate, ...(changed.length ? { changed } : {}),
      ...(r.settings.some((x) => !x.compliant) ? { nonCompliant: r.settings.filter((x) => !x.compliant).map((x) => x.id) } : {}),
      ...(r.detail ? { detail: r.detail.slice(0, 300) } : {}) };
    const latest: Latest = { at: r.at, status: r.status };
    this.latest.set(lk, latest);
    if (++this.writes % 500 === 0) void this.prune().catch((err) => this.opts.onError?.(err));
    return [{ type: 'put', sublevel: this.sub, key: entryKey(entry), value: entry }, { type: 'put', sublevel: this.sub, key: lk, value: latest }];
  };

  knowsPolicy(id: string): boolean {
    for (const k of this.latest.keys()) if (k.endsWith(`${SEP}${id}`)) return true;
    return false;
  }

  /** Entries with from ≤ at ≤ to, oldest first, streamed. */
  async *entries(fromIso: string, toIso: string): AsyncGenerator<JournalEntry> {
    for await (const v of this.sub.values({ gte: `j${SEP}${fromIso}`, lt: `j${SEP}${toIso}~` })) yield v as JournalEntry;
  }

  /** Operations that delete every journal record of these devices (a deleted device takes its records along). */
  async deleteOps(serials: Iterable<string>): Promise<StoreOp[]> {
    const gone = new Set(serials);
    const ops: StoreOp[] = [];
    for await (const [k, v] of this.sub.iterator({ gte: `j${SEP}`, lt: `j${SEP}~` })) {
      if (gone.has((v as JournalEntry).serial)) ops.push({ type: 'del', sublevel: this.sub, key: k });
    }
    for (const k of this.latest.keys()) if (gone.has(k.split(SEP)[1])) ops.push({ type: 'del', sublevel: this.sub, key: k });
    return ops;
  }

  /** After deleteOps were committed: forget the latest entries of those devices. */
  forget(serials: Iterable<string>): void {
    const gone = new Set(serials);
    for (const k of [...this.latest.keys()]) if (gone.has(k.split(SEP)[1])) this.latest.delete(k);
  }

  /** Drops entries older than the retention and the oldest beyond the cap. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now() - JOURNAL_RETENTION_DAYS * DAY).toISOString();
    const old = await this.sub.keys({ gte: `j${SEP}`, lt: `j${SEP}${cutoff}` }).all();
    const max = this.opts.maxEntries?.() ?? 250_000;
    let excess: string[] = [];
    const count = await this.countEntries();
    if (count - old.length > max) excess = await this.sub.keys({ gte: `j${SEP}${cutoff}`, lt: `j${SEP}~`, limit: count - old.length - max }).all();
    const drop = [...old, ...excess];
    if (drop.length) await this.store.commit(drop.map((key) => ({ type: 'del' as const, sublevel: this.sub, key })));
    return drop.length;
  }

  private async countEntries(): Promise<number> {
    let n = 0;
    for await (const _ of this.sub.keys({ gte: `j${SEP}`, lt: `j${SEP}~` })) n++;
    return n;
  }
}
