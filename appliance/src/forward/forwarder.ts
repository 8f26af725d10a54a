// Forwarding, put together: the secondary listener list, the durable outbox, one relay worker per enabled
// listener and the messageId de-dup of what we receive. The controller plugs its hooks into the intake:
// `extraOps` (outbox entries and the messageId, in the device's batch), `afterAccept` / `onRecordFailed`
// (the batch is on disk / failed) and `isDuplicate` (a relay repeated at-least-once is acknowledged again).
import type { Store, StoreOp } from '../store/index.ts';
import type { Logger } from '../util/log.ts';
import type { Announcement } from '../protocol/index.ts';
import { ListenerRepo, type ListenerConfig } from './listener-config.ts';
import { Outbox, type OutboxCaps } from './outbox.ts';
import { MessageDedup } from './message-dedup.ts';
import { RelayWorker, type ListenerStatus } from './relay-worker.ts';
import type { RelayTarget } from './relay-client.ts';
import type { BackoffPolicy } from './backoff.ts';

export interface ForwarderOptions {
  store: Store;
  log: Logger;
  /** This appliance's name in forwardedBy. */
  listenerId: () => string;
  caps: () => OutboxCaps;
  batchSize: () => number;
  /** Connections used at once per listener (a device's announcements always share one). */
  connections?: () => number;
  backoff: () => BackoffPolicy;
  /** Local address relays are sent from ('' = any); the receiving hub lists it in relayPeers. */
  bindAddress: () => string;
  timeoutMs: () => number;
  dedupLimit: () => number;
  /** Trusted CA certificates (PEM) a listener's identity certificate must chain to. */
  trustedCaPem: () => string[];
  /** Presented as our client certificate to the listeners. */
  identity?: () => { keyPem: string; certPem: string };
  expireEveryMs?: number;
}

export interface ListenerView extends ListenerConfig { status: ListenerStatus & { backlog: number; backlogBytes: number } }

/** The subset of the intake's peer we need (the address the announcement really came from). */
interface Peer { address: string }
interface Recorded { duplicate: boolean }

export class Forwarder {
  readonly repo: ListenerRepo;
  readonly outbox: Outbox;
  readonly dedup: MessageDedup;
  private readonly workers = new Map<string, RelayWorker>();
  private expireTimer?: NodeJS.Timeout;
  private started = false;

  constructor(private readonly opts: ForwarderOptions) {
    this.repo = new ListenerRepo(opts.store);
    this.outbox = new Outbox(opts.store, opts.caps, opts.log);
    this.dedup = new MessageDedup(opts.store, opts.dedupLimit);
  }

  async start(): Promise<void> {
    await this.repo.load();
    await this.outbox.load(new Set(this.repo.list().map((l) => l.id)));
    await this.dedup.load();
    this.started = true;
    for (const l of this.repo.list()) this.sync(l);
    this.expireTimer = setInterval(() => void this.outbox.expire().catch((err) => this.opts.log.error({ err }, 'outbox expiry failed')), this.opts.expireEveryMs ?? 60_000);
    this.expireTimer.unref();
    const backlog = this.outbox.totals();
    this.opts.log.info({ listeners: this.repo.list().length, backlog: backlog.count }, 'forwarding ready');
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.expireTimer);
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
  }

  // ——— intake hooks ———

  isDuplicate(ann: Announcement): boolean { return this.dedup.has(ann.messageId); }

  extraOps(ann: Announcement, peer: Peer, r: Recorded): StoreOp[] {
    if (r.duplicate) return [];
    const relayed: Announcement = { ...ann, forwardedBy: [...(ann.forwardedBy ?? []),
      { listenerId: this.opts.listenerId(), peerAddress: peer.address, receivedAt: new Date().toISOString() }] };
    return [...this.dedup.remember(ann.messageId), ...this.outbox.reserve(relayed, this.repo.enabled().map((l) => l.id))];
  }

  afterAccept(ann: Announcement, r: Recorded): void {
    if (r.duplicate) return;
    this.dedup.confirm(ann.messageId);
    for (const id of this.outbox.confirm(ann.messageId)) this.workers.get(id)?.wake();
  }

  onRecordFailed(ann: Announcement): void {
    this.dedup.forget(ann.messageId);
    this.outbox.release(ann.messageId);
  }

  // ——— the API's view ———

  list(): ListenerView[] { return this.repo.list().map((l) => this.view(l)); }

  get(id: string): ListenerView | undefined {
    const l = this.repo.get(id);
    return l && this.view(l);
  }

  async create(input: unknown): Promise<ListenerView> {
    const l = await this.repo.create(input);
    this.opts.log.info({ listener: l.id, host: l.host, port: l.port, validate: l.validateIdentityCertificate }, 'secondary listener added');
    this.sync(l);
    return this.view(l);
  }

  async update(id: string, patch: unknown): Promise<ListenerView | undefined> {
    const l = await this.repo.update(id, patch);
    if (!l) return undefined;
    this.opts.log.info({ listener: id, host: l.host, port: l.port, enabled: l.enabled }, 'secondary listener changed');
    await this.sync(l, true);
    return this.view(l);
  }

  async remove(id: string): Promise<boolean> {
    const w = this.workers.get(id);
    if (!(await this.repo.remove(id))) return false;
    this.workers.delete(id);
    await w?.stop();
    const purged = await this.outbox.purge(id);
    this.opts.log.info({ listener: id, discarded: purged }, 'secondary listener removed with its queue');
    return true;
  }

  stats() {
    const t = this.outbox.totals();
    return { listeners: this.repo.list().length, backlog: t.count, backlogBytes: t.bytes, peakBytes: this.outbox.peakBytes,
      caps: this.opts.caps(), dropped: { ...this.outbox.dropped }, alerts: [...this.outbox.alerts], duplicatesIgnored: this.dedup.duplicates };
  }

  private view(l: ListenerConfig): ListenerView {
    const w = this.workers.get(l.id);
    const b = this.outbox.backlog(l.id);
    const status: ListenerStatus = w?.status ?? { state: 'stopped', lastSuccessAt: null, lastAttemptAt: null, lastError: null, consecutiveFailures: 0,
      nextAttemptAt: null, delivered: 0, refused: {} };
    return { ...l, status: { ...status, refused: { ...status.refused }, backlog: b.count, backlogBytes: b.bytes } };
  }

  /** Starts, restarts or stops the worker of one listener to match its config. */
  private async sync(l: ListenerConfig, changed = false): Promise<void> {
    if (!this.started) return;
    let w = this.workers.get(l.id);
    if (w && !l.enabled) { this.workers.delete(l.id); await w.stop(); return; }
    if (!l.enabled) return;
    if (!w) {
      w = new RelayWorker(l, { outbox: this.outbox, log: this.opts.log, target: (c) => this.target(c), batchSize: this.opts.batchSize, lanes: this.opts.connections, backoff: this.opts.backoff });
      this.workers.set(l.id, w);
      w.start();
    } else {
      w.config = l;
      if (changed) w.wake(true);
    }
  }

  private target(l: ListenerConfig): RelayTarget {
    return { host: l.host, port: l.port, validateIdentityCertificate: l.validateIdentityCertificate,
      trustedCaPem: l.validateIdentityCertificate ? this.opts.trustedCaPem() : [], localAddress: this.opts.bindAddress() || undefined,
      key: this.opts.identity?.().keyPem, cert: this.opts.identity?.().certPem, timeoutMs: this.opts.timeoutMs() };
  }
}
