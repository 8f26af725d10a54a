// The alert room's heart: an alert is one (kind, key) condition — "device X refuses our SNMP credentials" —
// raised once, kept open while it holds (repeats only bump a counter and lastSeenAt), and ended by resolve().
// Every record is in the store's 'alerts' sublevel (keyed by the time it was raised), so the page, e-mail and
// syslog agree after a restart. Sinks get each change: their store operations ride in the alert's own batch
// (the mail queue: a raised alert and the e-mail that reports it are written together), then they are told.
import { randomBytes } from 'node:crypto';
import type { Store, StoreOp } from '../store/index.ts';
import type { Logger } from '../util/log.ts';
import { ALERT_KINDS, type AlertKind, type AlertSeverity } from './kinds.ts';

export type DetailValue = string | number | boolean | null;
/** What a source says about the condition: `message` is the one-line text, the rest become fields. */
export type AlertInput = { message?: string } & Record<string, DetailValue | undefined>;

export interface AlertRecord {
  id: string;
  kind: AlertKind;
  key: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  detail: Record<string, DetailValue>;
  raisedAt: string;
  lastSeenAt: string;
  /** How many times the condition was reported while open (1 = once). */
  occurrences: number;
  resolvedAt?: string;
}

export interface AlertChange { type: 'raised' | 'resolved'; alert: AlertRecord }

/** The interface other rooms call; they need nothing else from here. */
export interface Alerts {
  raise(kind: AlertKind, key: string, detail?: AlertInput): void;
  resolve(kind: AlertKind, key: string): void;
}

export interface AlertSink {
  /** Operations written in the same batch as the alert change (durable delivery queues). */
  ops?(change: AlertChange): StoreOp[];
  /** Told after the change is on disk. Must not throw (a throw is logged and ignored). */
  changed?(change: AlertChange): void;
}

export interface AlertCenterOptions {
  store: Store;
  log: Logger;
  now?: () => Date;
  /** Records kept (open ones always); the oldest resolved ones are pruned beyond it. */
  historyLimit?: number;
  /** Open alerts of one kind; more are counted but not stored (one per device covers 10,000 devices). */
  maxOpenPerKind?: number;
}

const MAX_FIELDS = 12;
const MAX_VALUE = 256;
const MAX_MESSAGE = 500;
const MAX_KEY = 200;
// Control characters would let LAN-supplied text (a device's model string) forge lines in mail or syslog.
const clean = (s: string, max: number) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);

function sanitize(input: AlertInput | undefined): { message: string; detail: Record<string, DetailValue> } {
  const detail: Record<string, DetailValue> = {};
  let message = '';
  for (const [k, v] of Object.entries(input ?? {})) {
    if (k === 'message') { message = clean(String(v ?? ''), MAX_MESSAGE); continue; }
    if (v === undefined || !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(k) || Object.keys(detail).length >= MAX_FIELDS) continue;
    detail[k] = typeof v === 'string' ? clean(v, MAX_VALUE) : typeof v === 'number' ? (Number.isFinite(v) ? v : null) : v;
  }
  return { message, detail };
}

const slot = (kind: string, key: string) => `${kind}\u0000${key}`;

export class AlertCenter implements Alerts {
  private readonly open = new Map<string, AlertRecord>();
  private readonly openCount = new Map<AlertKind, number>();
  private readonly sinks: AlertSink[] = [];
  private readonly suppressed: Partial<Record<AlertKind, number>> = {};
  private writes = 0;
  private failures = 0;
  private readonly now: () => Date;

  constructor(private readonly opts: AlertCenterOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  async load(): Promise<void> {
    for await (const a of this.opts.store.sub<AlertRecord>('alerts').values()) {
      if (!a.resolvedAt && Object.hasOwn(ALERT_KINDS, a.kind)) this.track(a);
    }
  }

  addSink(sink: AlertSink): void { this.sinks.push(sink); }

  raise(kind: AlertKind, key: string, input?: AlertInput): void {
    key = clean(key, MAX_KEY);
    const at = this.now().toISOString();
    const current = this.open.get(slot(kind, key));
    const { message, detail } = sanitize(input);
    if (current) {
      // Still true: no new alert, no write (a flood of repeats costs nothing); the page sees the count.
      current.occurrences++;
      current.lastSeenAt = at;
      if (message) current.message = message;
      Object.assign(current.detail, detail);
      return;
    }
    if (this.countOpen(kind) >= (this.opts.maxOpenPerKind ?? 10_000)) {
      this.suppressed[kind] = (this.suppressed[kind] ?? 0) + 1;
      return;
    }
    const def = ALERT_KINDS[kind];
    const alert: AlertRecord = { id: `${at}!${randomBytes(4).toString('hex')}`, kind, key, severity: def.severity, title: def.title,
      message: message || `${def.title}: ${key}`, detail, raisedAt: at, lastSeenAt: at, occurrences: 1 };
    this.track(alert);
    this.write({ type: 'raised', alert });
  }

  resolve(kind: AlertKind, key: string): void {
    key = clean(key, MAX_KEY);
    const alert = this.open.get(slot(kind, key));
    if (!alert) return;
    this.open.delete(slot(kind, key));
    this.openCount.set(kind, (this.openCount.get(kind) ?? 1) - 1);
    this.write({ type: 'resolved', alert: { ...alert, detail: { ...alert.detail }, resolvedAt: this.now().toISOString() } });
  }

  /** The page's "resolve": for events with no natural end (an identity change), or a condition the admin dealt with. */
  resolveById(id: string, by: string): AlertRecord | undefined {
    const alert = [...this.open.values()].find((a) => a.id === id);
    if (!alert) return undefined;
    alert.detail.resolvedBy = clean(by, 64);
    this.resolve(alert.kind, alert.key);
    return { ...alert, resolvedAt: this.now().toISOString() };
  }

  /**
   * For conditions found by looking (a poll): every key in `present` is raised, every open alert of the
   * kind that is not in it is resolved.
   */
  sync(kind: AlertKind, present: Map<string, AlertInput>): void {
    for (const [key, input] of present) this.raise(kind, key, input);
    for (const a of [...this.open.values()]) if (a.kind === kind && !present.has(a.key)) this.resolve(kind, a.key);
  }

  isOpen(kind: AlertKind, key: string): boolean { return this.open.has(slot(kind, key)); }

  /** Open alerts, newest first. */
  openAlerts(kind?: AlertKind): AlertRecord[] {
    return [...this.open.values()].filter((a) => !kind || a.kind === kind).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }

  /** One line per kind with open alerts: what the dashboard shows. */
  summary(): { kind: AlertKind; title: string; severity: AlertSeverity; open: number; suppressed: number; newest: string; keys: string[] }[] {
    const by = new Map<AlertKind, AlertRecord[]>();
    for (const a of this.open.values()) by.set(a.kind, [...(by.get(a.kind) ?? []), a]);
    for (const k of Object.keys(this.suppressed) as AlertKind[]) if (!by.has(k)) by.set(k, []);
    const rank = { critical: 0, error: 1, warning: 2 };
    return [...by.entries()].map(([kind, list]) => {
      list.sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
      return { kind, title: ALERT_KINDS[kind].title, severity: ALERT_KINDS[kind].severity, open: list.length, suppressed: this.suppressed[kind] ?? 0,
        newest: list[0]?.raisedAt ?? '', keys: list.slice(0, 5).map((a) => a.key) };
    }).sort((a, b) => rank[a.severity] - rank[b.severity] || b.open - a.open);
  }

  /** Stored records (open and resolved), newest first; `before` is an id to page back from. */
  async history(opts: { kind?: AlertKind; state?: 'open' | 'resolved'; limit?: number; before?: string } = {}): Promise<AlertRecord[]> {
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    // Open alerts are authoritative in memory (a repeat is not written; a new one may still be on its way to disk).
    if (opts.state === 'open') return this.openAlerts(opts.kind).filter((a) => !opts.before || a.id < opts.before).slice(0, limit);
    const out: AlertRecord[] = [];
    for await (const a of this.opts.store.sub<AlertRecord>('alerts').values({ reverse: true, ...(opts.before ? { lt: opts.before } : {}) })) {
      const live = this.open.get(slot(a.kind, a.key));
      const rec = live?.id === a.id ? live : a;
      if (opts.kind && rec.kind !== opts.kind) continue;
      if (opts.state === 'resolved' && !rec.resolvedAt) continue;
      out.push(rec);
      if (out.length >= limit) break;
    }
    return out;
  }

  stats() {
    const open: Partial<Record<AlertKind, number>> = {};
    for (const a of this.open.values()) open[a.kind] = (open[a.kind] ?? 0) + 1;
    return { open, suppressed: { ...this.suppressed }, writeFailures: this.failures };
  }

  private countOpen(kind: AlertKind): number {
    return this.openCount.get(kind) ?? 0;
  }

  private track(a: AlertRecord): void {
    if (!this.open.has(slot(a.kind, a.key))) this.openCount.set(a.kind, this.countOpen(a.kind) + 1);
    this.open.set(slot(a.kind, a.key), a);
  }

  private write(change: AlertChange): void {
    const { store, log } = this.opts;
    const ops: StoreOp[] = [{ type: 'put', sublevel: store.sub('alerts'), key: change.alert.id, value: change.alert }];
    for (const s of this.sinks) if (s.ops) ops.push(...s.ops(change));
    log[change.type === 'raised' ? 'warn' : 'info']({ kind: change.alert.kind, key: change.alert.key, detail: change.alert.detail }, `alert ${change.type}: ${change.alert.message}`);
    store.commit(ops).then(() => {
      for (const s of this.sinks) {
        try { s.changed?.(change); } catch (err) { log.error({ err }, 'alert sink failed'); }
      }
      if (++this.writes % 100 === 0) void this.prune().catch((err) => log.error({ err }, 'alert history pruning failed'));
    }, (err) => {
      // The store is failing: the alert stays in memory (page, metrics) and the failure is counted and logged.
      this.failures++;
      log.error({ err, kind: change.alert.kind, key: change.alert.key }, 'alert could not be stored');
    });
  }

  private async prune(): Promise<void> {
    const { store } = this.opts;
    const limit = this.opts.historyLimit ?? 5000;
    const all = await store.sub<AlertRecord>('alerts').values().all();
    let excess = all.length - limit;
    const del: StoreOp[] = [];
    for (const a of all) {
      if (excess <= 0) break;
      if (!a.resolvedAt) continue;
      del.push({ type: 'del', sublevel: store.sub('alerts'), key: a.id });
      excess--;
    }
    if (del.length) await store.commit(del);
  }
}
