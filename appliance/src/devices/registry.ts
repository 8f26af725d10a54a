// The device registry: an in-memory index (fast lists for the page and the API, ~1 KB per device) backed by
// the store. Every change is written durably, with its history entries, in one group-committed batch before
// the caller may acknowledge. Announcements for the same serial are serialised so two racing announcements
// never reconcile against the same stale record.
import { EventEmitter } from 'node:events';
import type { Store, StoreOp } from '../store/index.ts';
import type { Announcement } from '../protocol/index.ts';
import type { Device, FoundWay, HistoryEntry, IdentityChange, PeerInfo } from './device.ts';
import { reconcile, type Reconciled } from './reconcile.ts';
import { reconcileFound, type FoundPrinter } from './found.ts';

export interface RecordResult extends Reconciled { duplicate: boolean }

/**
 * `discovered`: a new device; `announced`: an announcement that changed no attribute; `found`: discovery
 * found a known device again, nothing changed; `changed`: attributes or another room's data (compliance).
 * `via` says which way brought the event (absent for changes made by other rooms).
 */
export interface DeviceEvent { type: 'discovered' | 'changed' | 'announced' | 'found'; device: Device; reason?: Announcement['reason']; via?: FoundWay }

export interface RegistryEvents {
  device: [DeviceEvent];
  /** The certificate a known serial presents changed (devices/identity.ts). */
  identity: [{ device: Device; change: IdentityChange }];
  /** A device was deleted (with its history); it is no longer in the registry. */
  removed: [{ serialNumber: string; device: Device }];
}

/** Adds operations to every apply() batch, given the device before and after (e.g. a compliance journal). */
export type ApplyHook = (before: Device, after: Device) => StoreOp[];

const historyKey = (serial: string, seq: number) => `${serial}!${String(seq).padStart(10, '0')}`;

export class DeviceRegistry extends EventEmitter<RegistryEvents> {
  private devices = new Map<string, Device>();
  private locks = new Map<string, Promise<unknown>>();
  private applyHooks: ApplyHook[] = [];

  constructor(private readonly store: Store, private readonly historyLimit: () => number, private readonly clock: () => Date = () => new Date()) {
    super();
  }

  async load(): Promise<number> {
    for (const d of await this.store.values<Device>('devices')) {
      // Records from before discovery existed were all made by announcements.
      d.foundBy ??= { announcement: { first: d.firstSeen, last: d.lastSeen } };
      this.devices.set(d.serialNumber, d);
    }
    return this.devices.size;
  }

  get size(): number { return this.devices.size; }
  get(serial: string): Device | undefined { return this.devices.get(serial); }
  list(): Device[] { return [...this.devices.values()]; }

  async history(serial: string, limit = 100): Promise<HistoryEntry[]> {
    return this.store.values<HistoryEntry>('history', { gte: `${serial}!`, lt: `${serial}!~`, reverse: true, limit });
  }

  /**
   * Records an announcement; resolves once it is on disk. `extraOps` ride in the same batch (the forwarding
   * outbox uses this so a relay is stored atomically with the device it belongs to).
   */
  record(ann: Announcement, peer: PeerInfo, extraOps: (r: RecordResult) => StoreOp[] = () => []): Promise<RecordResult> {
    return this.withLock(ann.device.serialNumber, async () => {
      const previous = this.devices.get(ann.device.serialNumber);
      if (previous && previous.lastMessageId === ann.messageId) {
        // At-least-once senders (relays, retrying devices) repeat a message: acknowledge it again, record nothing.
        return { device: previous, entries: [], outcome: 'unchanged', identityChanged: false, duplicate: true } satisfies RecordResult;
      }
      const r = reconcile(previous, ann, peer, this.clock());
      const ops = this.writeOps(r);
      const result: RecordResult = { ...r, duplicate: false };
      ops.push(...extraOps(result));
      await this.store.commit(ops);
      this.devices.set(r.device.serialNumber, r.device);
      this.emit('device', { type: r.outcome === 'new' ? 'discovered' : r.outcome === 'changed' ? 'changed' : 'announced', device: r.device, reason: ann.reason, via: 'announcement' });
      if (r.identityChanged) this.emit('identity', { device: r.device, change: r.device.identityChange! });
      return result;
    });
  }

  /**
   * Records a printer found by discovery (`way` 'discovery' for sweeps, 'manual' for addresses an admin
   * gave); resolves once it is on disk. Same identity rule as announcements: one device per serial.
   */
  recordFound(found: FoundPrinter, way: 'discovery' | 'manual', taskId: string): Promise<Reconciled> {
    return this.withLock(found.serialNumber, async () => {
      const r = reconcileFound(this.devices.get(found.serialNumber), found, way, taskId, this.clock());
      await this.store.commit(this.writeOps(r));
      this.devices.set(r.device.serialNumber, r.device);
      this.emit('device', { type: r.outcome === 'new' ? 'discovered' : r.outcome === 'changed' ? 'changed' : 'found', device: r.device, via: way });
      return r;
    });
  }

  /** The device, its new history entries (older ones beyond the limit pruned), in one list of operations. */
  private writeOps(r: Reconciled): StoreOp[] {
    const ops: StoreOp[] = [];
    if (r.device.retired) {
      // A retired device that announces or answers a sweep is back in service; its history says so.
      const { retired, ...rest } = r.device;
      r.device = rest as Device;
      r.entries.push({ at: r.device.lastSeen, kind: 'reinstated', via: r.entries[0]?.via, detail: `retired ${retired.at} by ${retired.by}; seen again` });
    }
    let seq = r.device.historySeq;
    const history = this.store.sub<HistoryEntry>('history');
    for (const e of r.entries) {
      seq++;
      ops.push({ type: 'put', sublevel: history, key: historyKey(r.device.serialNumber, seq), value: { ...e, seq } });
      const stale = seq - this.historyLimit();
      if (stale > 0) ops.push({ type: 'del', sublevel: history, key: historyKey(r.device.serialNumber, stale) });
    }
    r.device.historySeq = seq;
    ops.push({ type: 'put', sublevel: this.store.sub<Device>('devices'), key: r.device.serialNumber, value: r.device });
    return ops;
  }

  /**
   * Changes a device on behalf of another room (a compliance result, a remembered credential), with history
   * entries and the caller's own operations in the same durable batch, so a result and the task state
   * that records it can never disagree after a crash. `quiet` writes without a device event: for notes
   * about the device (group membership) that change nothing a listener of device changes cares about.
   */
  async apply(serial: string, change: (cur: Device) => { patch: Partial<Device>; entries?: Omit<HistoryEntry, 'seq'>[]; ops?: StoreOp[] }, opts: { quiet?: boolean } = {}): Promise<Device | undefined> {
    return this.withLock(serial, async () => {
      const cur = this.devices.get(serial);
      if (!cur) return undefined;
      const { patch, entries = [], ops = [] } = change(cur);
      const next: Device = { ...cur, ...patch, serialNumber: serial };
      const batch: StoreOp[] = [];
      const history = this.store.sub<HistoryEntry>('history');
      for (const e of entries) {
        next.historySeq++;
        batch.push({ type: 'put', sublevel: history, key: historyKey(serial, next.historySeq), value: { ...e, seq: next.historySeq } });
        const stale = next.historySeq - this.historyLimit();
        if (stale > 0) batch.push({ type: 'del', sublevel: history, key: historyKey(serial, stale) });
      }
      batch.push({ type: 'put', sublevel: this.store.sub<Device>('devices'), key: serial, value: next }, ...ops);
      for (const hook of this.applyHooks) batch.push(...hook(cur, next));
      await this.store.commit(batch);
      this.devices.set(serial, next);
      if (!opts.quiet) this.emit('device', { type: 'changed', device: next, reason: next.lastReason });
      return next;
    });
  }

  /** Registers operations to add to every apply() batch (atomically with the device). */
  addApplyHook(hook: ApplyHook): void { this.applyHooks.push(hook); }

  /** Marks a device retired (kept with its history, left out of fleet counts and "all devices" runs) or not. */
  setRetired(serial: string, retired: boolean, by: string, note?: string): Promise<Device | undefined> {
    return this.apply(serial, (cur) => {
      if (!!cur.retired === retired) return { patch: {} };
      const at = this.clock().toISOString();
      return retired
        ? { patch: { retired: { at, by, ...(note ? { note } : {}) } }, entries: [{ at, kind: 'retired', detail: note ? `by ${by}: ${note}` : `by ${by}` }] }
        : { patch: { retired: undefined }, entries: [{ at, kind: 'reinstated', detail: `by ${by}` }] };
    });
  }

  /**
   * Deletes a device and all its history in one batch with `extraOps` (other rooms' records of it); an
   * announcement afterwards makes it a new device. Resolves with what was deleted, or undefined.
   */
  remove(serial: string, extraOps: StoreOp[] = []): Promise<Device | undefined> {
    return this.withLock(serial, async () => {
      const cur = this.devices.get(serial);
      if (!cur) return undefined;
      const history = this.store.sub<HistoryEntry>('history');
      const keys = await history.keys({ gte: `${serial}!`, lt: `${serial}!~` }).all();
      await this.store.commit([{ type: 'del', sublevel: this.store.sub<Device>('devices'), key: serial },
        ...keys.map((key) => ({ type: 'del' as const, sublevel: history, key })), ...extraOps]);
      this.devices.delete(serial);
      this.emit('removed', { serialNumber: serial, device: cur });
      return cur;
    });
  }

  private withLock<T>(serial: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(serial) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(serial, tail);
    void tail.then(() => { if (this.locks.get(serial) === tail) this.locks.delete(serial); });
    return run;
  }
}
