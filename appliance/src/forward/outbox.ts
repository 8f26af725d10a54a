// The durable forwarding outbox: one FIFO queue per secondary listener in the store's `outbox` sublevel,
// keyed `<listenerId>!<seq>`. Entries are written in the same batch as the device they belong to (so an
// acknowledged announcement can never miss its relay), and deleted only after the listener acknowledged
// them. FIFO per listener keeps each device's announcements in order. Caps on entries, bytes and age bound
// the disk; whatever a cap drops is counted by reason, logged and raised as an alert — never silent.
import type { Store, StoreOp, Sub } from '../store/index.ts';
import type { Logger } from '../util/log.ts';
import type { Announcement } from '../protocol/index.ts';

export interface OutboxEntry { seq: number; serial: string; at: number; bytes: number; ann: Announcement }
export interface OutboxItem { key: string; entry: OutboxEntry }
export interface OutboxCaps { maxEntries: number; maxBytes: number; maxAgeMs: number }
export interface OutboxAlert { at: string; code: 'outbox-full' | 'outbox-expired'; message: string }

interface Backlog { count: number; bytes: number }

const SEQ_DIGITS = 16;
const keyOf = (listenerId: string, seq: number) => `${listenerId}!${String(seq).padStart(SEQ_DIGITS, '0')}`;
const range = (listenerId: string) => ({ gte: `${listenerId}!`, lt: `${listenerId}!~` });
const MAX_ALERTS = 20;
const ALERT_EVERY_MS = 60_000;

export class Outbox {
  private seq = 0;
  private readonly backlogs = new Map<string, Backlog>();
  /** Entries written by a batch that has not been confirmed yet (counted against the caps already). */
  private readonly pending = new Map<string, { listenerId: string; bytes: number }[]>();
  private pendingTotal: Backlog = { count: 0, bytes: 0 };
  readonly dropped: Record<string, number> = {};
  readonly alerts: OutboxAlert[] = [];
  peakBytes = 0;
  private lastAlertAt: Record<string, number> = {};
  private readonly sub: Sub<OutboxEntry>;

  constructor(private readonly store: Store, private readonly caps: () => OutboxCaps, private readonly log: Logger,
    private readonly now: () => number = Date.now) {
    this.sub = store.sub<OutboxEntry>('outbox');
  }

  /** Rebuilds the counters; entries of listeners that no longer exist are deleted. */
  async load(listenerIds: Set<string>): Promise<void> {
    const orphans: StoreOp[] = [];
    for await (const [key, entry] of this.sub.iterator()) {
      const id = key.slice(0, key.lastIndexOf('!'));
      this.seq = Math.max(this.seq, entry.seq);
      if (!listenerIds.has(id)) { orphans.push({ type: 'del', sublevel: this.sub, key }); continue; }
      this.add(id, 1, entry.bytes);
    }
    if (orphans.length) {
      await this.store.commit(orphans);
      this.log.warn({ entries: orphans.length }, 'deleted outbox entries of removed listeners');
    }
    this.peakBytes = this.totals().bytes;
  }

  /**
   * Store operations that queue `ann` for each listener; called inside the device's batch. When a cap is
   * reached the announcement is not queued (the oldest, already queued, keep their order) and the drop is
   * counted and alerted.
   */
  reserve(ann: Announcement, listenerIds: string[]): StoreOp[] {
    if (listenerIds.length === 0) return [];
    const at = this.now();
    const base = { serial: ann.device.serialNumber, at, ann };
    const bytes = Buffer.byteLength(JSON.stringify({ ...base, seq: this.seq + 1, bytes: 0 })) + 16;
    const caps = this.caps();
    const t = this.totals();
    const n = listenerIds.length;
    if (t.count + n > caps.maxEntries || t.bytes + n * bytes > caps.maxBytes) {
      const code = t.count + n > caps.maxEntries ? 'entry-cap' : 'byte-cap';
      this.drop(code, n, 'outbox-full', `outbox full (${t.count} entries, ${t.bytes} bytes; caps ${caps.maxEntries} / ${caps.maxBytes}): announcements are being dropped`,
        { serial: ann.device.serialNumber, messageId: ann.messageId });
      return [];
    }
    const ops: StoreOp[] = [];
    const reserved = this.pending.get(ann.messageId) ?? [];
    for (const listenerId of listenerIds) {
      const seq = ++this.seq;
      ops.push({ type: 'put', sublevel: this.sub, key: keyOf(listenerId, seq), value: { ...base, seq, bytes } satisfies OutboxEntry });
      reserved.push({ listenerId, bytes });
      this.pendingTotal.count++;
      this.pendingTotal.bytes += bytes;
    }
    this.pending.set(ann.messageId, reserved);
    this.peakBytes = Math.max(this.peakBytes, this.totals().bytes);
    return ops;
  }

  /** The batch holding `reserve`'s operations is on disk. Returns the listeners that now have work. */
  confirm(messageId: string): string[] {
    const reserved = this.unpend(messageId);
    for (const r of reserved) this.add(r.listenerId, 1, r.bytes);
    return reserved.map((r) => r.listenerId);
  }

  /** The batch failed: forget what `reserve` counted. */
  release(messageId: string): void { this.unpend(messageId); }

  /** The oldest entries queued for a listener, in order. */
  async peek(listenerId: string, limit: number): Promise<OutboxItem[]> {
    const items = await this.sub.iterator({ ...range(listenerId), limit }).all();
    return items.map(([key, entry]) => ({ key, entry }));
  }

  /** Deletes delivered (or finally refused) entries in one durable batch. */
  async remove(listenerId: string, items: OutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.store.commit(items.map((i) => ({ type: 'del' as const, sublevel: this.sub, key: i.key })));
    for (const i of items) this.add(listenerId, -1, -i.entry.bytes);
  }

  /** Counts entries a listener refused for good (e.g. loop-detected): they are removed by the caller. */
  countRefused(reason: string, n: number): void { this.dropped[reason] = (this.dropped[reason] ?? 0) + n; }

  /** Deletes entries older than the age cap, oldest first, for every listener. */
  async expire(): Promise<number> {
    const cutoff = this.now() - this.caps().maxAgeMs;
    let total = 0;
    for (const listenerId of this.backlogs.keys()) {
      for (;;) {
        const old = (await this.peek(listenerId, 500)).filter((i) => i.entry.at < cutoff);
        if (old.length === 0) break;
        await this.remove(listenerId, old);
        total += old.length;
      }
    }
    if (total > 0) this.drop('age-cap', total, 'outbox-expired', `${total} queued announcements were older than the age cap and were dropped`, {});
    return total;
  }

  /** Removes a listener's whole queue (the listener was deleted). */
  async purge(listenerId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const items = await this.peek(listenerId, 1000);
      if (items.length === 0) break;
      await this.remove(listenerId, items);
      total += items.length;
    }
    this.backlogs.delete(listenerId);
    return total;
  }

  backlog(listenerId: string): Backlog {
    const b = this.backlogs.get(listenerId) ?? { count: 0, bytes: 0 };
    return { count: Math.max(0, b.count), bytes: Math.max(0, b.bytes) };
  }

  totals(): Backlog {
    let count = this.pendingTotal.count;
    let bytes = this.pendingTotal.bytes;
    for (const b of this.backlogs.values()) { count += b.count; bytes += b.bytes; }
    return { count: Math.max(0, count), bytes: Math.max(0, bytes) };
  }

  private add(listenerId: string, count: number, bytes: number) {
    const b = this.backlogs.get(listenerId) ?? { count: 0, bytes: 0 };
    // May dip below zero for a moment when a relay is acknowledged before its batch's confirm() ran.
    b.count += count;
    b.bytes += bytes;
    this.backlogs.set(listenerId, b);
  }

  private unpend(messageId: string) {
    const reserved = this.pending.get(messageId) ?? [];
    this.pending.delete(messageId);
    for (const r of reserved) { this.pendingTotal.count--; this.pendingTotal.bytes -= r.bytes; }
    return reserved;
  }

  private drop(reason: string, n: number, code: OutboxAlert['code'], message: string, detail: Record<string, unknown>) {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
    const now = this.now();
    // Every drop is counted; the log and the alert list get one line per reason a minute, not one per drop.
    if (now - (this.lastAlertAt[reason] ?? 0) < ALERT_EVERY_MS) return;
    this.lastAlertAt[reason] = now;
    this.log.error({ reason, dropped: this.dropped[reason], ...detail }, message);
    this.alerts.push({ at: new Date(now).toISOString(), code, message });
    if (this.alerts.length > MAX_ALERTS) this.alerts.shift();
  }
}
