// Alert e-mail that survives a mail server being down and the appliance restarting: every alert change a
// recipient subscribed to becomes an entry in the store's 'alertmail' sublevel, written in the same batch as
// the alert itself. A sender drains the queue: changes that arrived within alertDigestSeconds go out as one
// message per recipient; an entry is deleted only after the server accepted the message, so a failed send
// leaves everything queued and it is retried with back-off. The queue is bounded; what did not fit is
// counted and said in the next message.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Store, StoreOp } from '../store/index.ts';
import type { Logger } from '../util/log.ts';
import { ALERT_KINDS } from './kinds.ts';
import type { AlertChange, AlertSink } from './alert-center.ts';
import { composeAlertMail } from './digest.ts';
import { describeMailError, sendMail, type SmtpConfig } from './mailer.ts';

export { subscription as subscriptionSchema, subscriptions as subscriptionsSchema } from '../contract/observability.ts';
import { subscriptions as subscriptionsSchema, type subscription } from '../contract/observability.ts';
export type Subscription = z.infer<typeof subscription>;

interface QueuedMail { recipient: string; change: AlertChange; queuedAt: string }

export interface MailerOptions {
  store: Store;
  log: Logger;
  smtp: () => SmtpConfig;
  digestSeconds: () => number;
  /** Names this appliance in subjects (the listenerId). */
  appliance: () => string;
  maxQueued?: number;
  retry?: { baseMs: number; maxMs: number };
  /** Told when sending starts failing (with the reason) and when it works again. */
  onHealth?: (failing: string | null) => void;
  send?: typeof sendMail;
}

export type MailState = 'off' | 'idle' | 'waiting' | 'sending' | 'retrying';

const SUBS_KEY = 'alert-subscriptions';
const READ_BATCH = 2000;

export class AlertMailer implements AlertSink {
  private subs: Subscription[] = [];
  private queued = 0;
  private dropped = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private seq = 0;
  readonly status = { state: 'idle' as MailState, sent: 0, lastSuccessAt: null as string | null, lastAttemptAt: null as string | null,
    lastError: null as string | null, consecutiveFailures: 0, nextAttemptAt: null as string | null };

  constructor(private readonly opts: MailerOptions) {}

  async load(): Promise<void> {
    const stored = await this.opts.store.get<unknown>('meta', SUBS_KEY);
    const parsed = subscriptionsSchema.safeParse(stored ?? []);
    this.subs = parsed.success ? parsed.data : [];
    this.queued = (await this.opts.store.sub('alertmail').keys().all()).length;
  }

  start(): void {
    this.stopped = false;
    if (this.queued > 0) this.schedule(1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  subscriptions(): Subscription[] { return this.subs.map((s) => ({ ...s, kinds: [...s.kinds] })); }

  async setSubscriptions(list: Subscription[]): Promise<Subscription[]> {
    const clean = subscriptionsSchema.parse(list);
    await this.opts.store.commit([{ type: 'put', sublevel: this.opts.store.sub('meta'), key: SUBS_KEY, value: clean }]);
    this.subs = clean;
    return this.subscriptions();
  }

  view() {
    const on = !!this.opts.smtp().host;
    return { configured: on, ...this.status, state: on ? this.status.state : 'off' as MailState, queued: this.queued, dropped: this.dropped, subscriptions: this.subs.length };
  }

  // ——— AlertSink ———

  ops(change: AlertChange): StoreOp[] {
    if (!ALERT_KINDS[change.alert.kind].mail || !this.opts.smtp().host) return [];
    const to = this.subs.filter((s) => s.kinds.includes('*') || s.kinds.includes(change.alert.kind)).map((s) => s.email);
    const ops: StoreOp[] = [];
    const now = new Date().toISOString();
    for (const recipient of new Set(to)) {
      if (this.queued >= (this.opts.maxQueued ?? 20_000)) { this.dropped++; continue; }
      this.queued++;
      // Keys sort in arrival order, so a digest lists changes as they happened.
      const key = `${now}!${String(this.seq++ % 1e6).padStart(6, '0')}!${randomBytes(3).toString('hex')}`;
      ops.push({ type: 'put', sublevel: this.opts.store.sub('alertmail'), key, value: { recipient, change, queuedAt: now } satisfies QueuedMail });
    }
    return ops;
  }

  changed(): void {
    if (this.queued > 0 && this.status.state === 'idle') this.schedule(this.opts.digestSeconds() * 1000);
  }

  /** Sends what is queued now, ignoring the digest window and any back-off (the page's "send now"). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.drain();
  }

  /** A test message to one address, sent at once; resolves to the error text or null. */
  async sendTest(to: string): Promise<string | null> {
    const cfg = this.opts.smtp();
    try {
      await (this.opts.send ?? sendMail)(cfg, [to], { subject: `[instant-on ${this.opts.appliance()}] Test message`,
        text: 'This is a test message from instant-on-edge. Alert e-mail reaches this address.\n' });
      return null;
    } catch (err) {
      return describeMailError(err, cfg);
    }
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer) return;
    this.status.state = this.status.consecutiveFailures ? 'retrying' : 'waiting';
    this.status.nextAttemptAt = new Date(Date.now() + ms).toISOString();
    this.timer = setTimeout(() => { this.timer = undefined; void this.drain(); }, ms);
    this.timer.unref();
  }

  private drain(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.sendQueued().catch((err) => this.opts.log.error({ err }, 'alert mail queue failed')).finally(() => { this.running = undefined; });
    return this.running;
  }

  private async sendQueued(): Promise<void> {
    const { store, log } = this.opts;
    const cfg = this.opts.smtp();
    if (!cfg.host) { this.status.state = 'idle'; this.status.nextAttemptAt = null; return; }
    const entries = await store.sub<QueuedMail>('alertmail').iterator({ limit: READ_BATCH }).all();
    if (entries.length === 0) { this.status.state = 'idle'; this.status.nextAttemptAt = null; return; }
    this.status.state = 'sending';
    this.status.lastAttemptAt = new Date().toISOString();
    const byRecipient = new Map<string, [string, QueuedMail][]>();
    for (const e of entries) byRecipient.set(e[1].recipient, [...(byRecipient.get(e[1].recipient) ?? []), e]);
    const dropped = this.dropped;
    let failure: string | null = null;
    for (const [recipient, list] of byRecipient) {
      const mail = composeAlertMail(list.map(([, q]) => q.change), { appliance: this.opts.appliance(), dropped });
      try {
        await (this.opts.send ?? sendMail)(cfg, [recipient], mail, { 'X-Instant-On-Alert-Changes': String(list.length) });
      } catch (err) {
        failure = describeMailError(err, cfg);
        break; // the server is down or refuses us: the other recipients would fail the same way
      }
      await store.commit(list.map(([key]) => ({ type: 'del' as const, sublevel: store.sub('alertmail'), key })));
      this.queued = Math.max(0, this.queued - list.length);
      this.status.sent++;
      log.info({ recipient, changes: list.length }, list.length === 1 ? 'alert e-mail sent' : 'alert digest sent');
    }
    if (failure) {
      this.status.consecutiveFailures++;
      const wasOk = this.status.consecutiveFailures === 1;
      this.status.lastError = failure;
      const { baseMs, maxMs } = this.opts.retry ?? { baseMs: 10_000, maxMs: 600_000 };
      const wait = Math.min(maxMs, baseMs * 2 ** (this.status.consecutiveFailures - 1)) * (0.8 + Math.random() * 0.4);
      log.warn({ error: failure, queued: this.queued, retryInMs: Math.round(wait) }, 'alert e-mail not sent; kept queued');
      if (wasOk) this.opts.onHealth?.(failure);
      this.status.state = 'idle';
      this.schedule(wait);
      return;
    }
    this.dropped -= dropped;
    if (this.status.consecutiveFailures) this.opts.onHealth?.(null);
    this.status.consecutiveFailures = 0;
    this.status.lastError = null;
    this.status.lastSuccessAt = new Date().toISOString();
    this.status.state = 'idle';
    this.status.nextAttemptAt = null;
    if (this.queued > 0) this.schedule(0);
  }
}
