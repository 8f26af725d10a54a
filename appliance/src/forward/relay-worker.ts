// Drains one listener's outbox queue: reads the oldest entries, relays them on one connection, deletes what
// was acknowledged, and backs off (exponentially, with jitter) while the listener is down or refuses. A
// refusal that a retry cannot fix (loop-detected, malformed, …) is final: the entry is dropped, counted and
// logged, so a relay loop can never spin.
import type { Logger } from '../util/log.ts';
import type { AckReason } from '../protocol/index.ts';
import type { Outbox, OutboxItem } from './outbox.ts';
import type { ListenerConfig } from './listener-config.ts';
import { relayBatch, MAX_RELAY_FRAMES, type RelayResult, type RelayTarget } from './relay-client.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';

/** Refusals a retry cannot change: the entry is dropped (counted by reason). Others are retried. */
export const FINAL_REFUSALS: ReadonlySet<AckReason> = new Set(['loop-detected', 'malformed', 'unsupported-version', 'serial-not-listed']);

export interface ListenerStatus {
  state: 'idle' | 'sending' | 'backing-off' | 'stopped';
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: { at: string; code: string; message: string } | null;
  consecutiveFailures: number;
  nextAttemptAt: string | null;
  delivered: number;
  refused: Record<string, number>;
}

export interface WorkerDeps {
  outbox: Outbox;
  log: Logger;
  target: (l: ListenerConfig) => RelayTarget;
  batchSize: () => number;
  /** Connections used at once for one listener. */
  lanes?: () => number;
  backoff: () => BackoffPolicy;
  /** Replaceable for tests. */
  send?: (target: RelayTarget, items: OutboxItem[]) => Promise<RelayResult>;
}

export class RelayWorker {
  readonly status: ListenerStatus = { state: 'stopped', lastSuccessAt: null, lastAttemptAt: null, lastError: null, consecutiveFailures: 0,
    nextAttemptAt: null, delivered: 0, refused: {} };
  private running = false;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(public config: ListenerConfig, private readonly deps: WorkerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.status.state = 'idle';
    this.loopDone = this.loop().catch((err) => this.deps.log.error({ err, listener: this.config.id }, 'relay worker failed'));
  }

  /**
   * Ends the loop. An in-flight batch gets up to `graceMs` to finish (its acks are stored, so nothing is sent
   * twice needlessly); a listener that hangs cannot hold up a shutdown: whatever it did not acknowledge
   * stays queued, and a repeat is harmless (the receiver de-duplicates by messageId).
   */
  async stop(graceMs = 2000): Promise<void> {
    this.running = false;
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loopDone, new Promise((r) => { timer = setTimeout(r, graceMs); })]);
    clearTimeout(timer);
    this.status.state = 'stopped';
  }

  /** New entries were queued (or the config changed): stop waiting. A back-off in progress is kept. */
  wake(force = false): void {
    if (force) { this.status.consecutiveFailures = 0; this.status.nextAttemptAt = null; }
    if (force || this.status.state !== 'backing-off' || !this.running) { this.wakeUp?.(); }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wakeUp = undefined; resolve(); }, ms);
      this.wakeUp = () => { clearTimeout(t); this.wakeUp = undefined; resolve(); };
    });
  }

  private async loop(): Promise<void> {
    const { outbox, log } = this.deps;
    const id = this.config.id;
    while (this.running) {
      const items = await outbox.peek(id, Math.min(MAX_RELAY_FRAMES, Math.max(1, this.deps.batchSize())));
      if (!this.running) break;
      if (items.length === 0) {
        this.status.state = 'idle';
        await this.sleep(30_000);
        continue;
      }
      this.status.state = 'sending';
      this.status.lastAttemptAt = new Date().toISOString();
      const target = this.deps.target(this.config);
      const send = this.deps.send ?? ((t: RelayTarget, i: OutboxItem[]) => relayBatch(t, i.map((x) => x.entry.ann)));
      // Several connections at once (the receiver fsyncs each announcement before the next on one connection);
      // a device's entries always share a lane, so its announcements still arrive in order.
      const lanes = splitLanes(items, Math.max(1, Math.min(16, this.deps.lanes?.() ?? 1)));
      const settled = await Promise.all(lanes.map(async (lane) => this.settle(lane, await send(target, lane))));
      const done = settled.flatMap((r) => r.done);
      const accepted = settled.reduce((n, r) => n + r.accepted, 0);
      const failure = settled.find((r) => r.failure)?.failure;
      const busyAfter = Math.max(0, ...settled.map((r) => r.busyAfter));
      await outbox.remove(id, done);
      this.status.delivered += accepted;
      if (accepted > 0) this.status.lastSuccessAt = new Date().toISOString();
      if (!failure) { this.status.consecutiveFailures = 0; this.status.nextAttemptAt = null; continue; }
      this.status.lastError = { at: new Date().toISOString(), ...failure };
      if (done.length > 0) { this.status.consecutiveFailures = 0; continue; } // progress: try the rest at once
      this.status.consecutiveFailures++;
      const delay = Math.max(backoffDelay(this.status.consecutiveFailures, this.deps.backoff()), busyAfter * 1000);
      this.status.state = 'backing-off';
      this.status.nextAttemptAt = new Date(Date.now() + delay).toISOString();
      log[this.status.consecutiveFailures === 1 ? 'warn' : 'debug']({ listener: id, host: this.config.host, port: this.config.port, code: failure.code,
        error: failure.message, retryInMs: delay, backlog: outbox.backlog(id).count }, 'relay to listener failed; backing off');
      await this.sleep(delay);
    }
  }

  /** What one connection's acks mean for its entries: delivered, refused for good, or to be retried. */
  private settle(items: OutboxItem[], result: RelayResult) {
    const done: OutboxItem[] = [];
    let accepted = 0;
    for (let i = 0; i < result.acks.length; i++) {
      const ack = result.acks[i];
      if (ack.status === 'accepted') { accepted++; done.push(items[i]); continue; }
      if (FINAL_REFUSALS.has(ack.reason)) {
        done.push(items[i]);
        this.status.refused[ack.reason] = (this.status.refused[ack.reason] ?? 0) + 1;
        this.deps.outbox.countRefused(ack.reason, 1);
        this.deps.log.warn({ listener: this.config.id, host: this.config.host, messageId: ack.messageId, serial: items[i].entry.serial, reason: ack.reason },
          'listener refused a relayed announcement for good; dropped from the outbox');
        continue;
      }
      return { done, accepted, failure: { code: 'rejected', message: `rejected: ${ack.reason}` }, busyAfter: ack.reason === 'busy' ? ack.retryAfterSeconds : 0 };
    }
    const failure = result.error && done.length < items.length ? { code: result.error.code, message: result.error.message } : undefined;
    return { done, accepted, failure, busyAfter: 0 };
  }
}

/** Splits a batch into at most `n` lanes by serial number, keeping each lane in queue order. */
export function splitLanes(items: OutboxItem[], n: number): OutboxItem[][] {
  if (n <= 1) return [items];
  const lanes: OutboxItem[][] = Array.from({ length: n }, () => []);
  for (const it of items) {
    let h = 2166136261;
    for (let i = 0; i < it.entry.serial.length; i++) h = Math.imul(h ^ it.entry.serial.charCodeAt(i), 16777619);
    lanes[(h >>> 0) % n].push(it);
  }
  return lanes.filter((l) => l.length > 0);
}
