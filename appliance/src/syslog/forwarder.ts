// The syslog component: one sender per configured target (syslogTargets), rebuilt when the setting changes.
// Each event is formatted once per transport (UDP datagrams are kept smaller than stream messages) and
// queued on every target; a target that is down never holds up the others or the caller.
import { hostname } from 'node:os';
import type { Logger } from '../util/log.ts';
import { FACILITY, formatRfc5424 } from './rfc5424.ts';
import type { SyslogEvent } from './events.ts';
import { parseTarget, SyslogSender, type SenderOptions } from './sender.ts';

export interface SyslogOptions {
  targets: () => string[];
  facility: () => string;
  queueMax: () => number;
  version: string;
  log: Logger;
  tls?: SenderOptions['tls'];
  /** The HOSTNAME field; defaults to the machine's name. */
  hostname?: () => string;
  connectTimeoutMs?: () => number;
  retry?: SenderOptions['retry'];
}

// RFC 5426 §3.2: 2048 bytes should pass anywhere; stream collectors (rsyslog's default) take 8 KiB.
const MAX_UDP = 2048;
const MAX_STREAM = 8192;

export class SyslogForwarder {
  private senders: SyslogSender[] = [];
  private configured = '';
  private started = false;
  private warnedAt = new Map<string, number>();

  constructor(private readonly opts: SyslogOptions) {}

  start(): void {
    this.started = true;
    this.reload();
  }

  /** Re-reads syslogTargets; unchanged targets keep their queue and connection. */
  reload(): void {
    if (!this.started) return;
    const wanted = this.opts.targets();
    const key = wanted.join(',');
    if (key === this.configured) return;
    this.configured = key;
    const keep: SyslogSender[] = [];
    const labels = new Set<string>();
    for (const text of wanted) {
      let target;
      try { target = parseTarget(text); } catch (err) { this.opts.log.error({ target: text }, (err as Error).message); continue; }
      if (labels.has(target.label)) continue;
      labels.add(target.label);
      keep.push(this.senders.find((s) => s.target.label === target.label) ?? new SyslogSender(target, {
        maxQueued: this.opts.queueMax, tls: this.opts.tls, connectTimeoutMs: this.opts.connectTimeoutMs, retry: this.opts.retry,
        onError: (t, error) => this.warn(t, error),
      }));
    }
    for (const s of this.senders) if (!keep.includes(s)) void s.stop();
    this.senders = keep;
    this.opts.log.info({ targets: keep.map((s) => s.target.label) }, keep.length ? 'syslog targets set' : 'syslog off');
  }

  send(e: SyslogEvent): void {
    if (!this.senders.length) return;
    const base = {
      facility: e.audit ? FACILITY.audit : FACILITY[this.opts.facility() as keyof typeof FACILITY] ?? FACILITY.local0,
      severity: e.severity, hostname: this.opts.hostname?.() ?? hostname(), appName: 'instant-on-edge', msgId: e.msgId,
      structuredData: [...e.sd, { id: 'origin', params: { software: 'instant-on-edge', swVersion: this.opts.version } }], message: e.message,
      timestamp: new Date(),
    };
    let udp: string | undefined;
    let stream: string | undefined;
    for (const s of this.senders) {
      if (s.target.transport === 'udp') s.send(udp ??= formatRfc5424(base, MAX_UDP));
      else s.send(stream ??= formatRfc5424(base, MAX_STREAM));
    }
  }

  status() { return this.senders.map((s) => s.view()); }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.senders.map((s) => s.stop()));
    this.senders = [];
    this.configured = '';
  }

  /** One log line per target a minute: a dead collector must not flood our own log. */
  private warn(target: string, error: string): void {
    const now = Date.now();
    if (now - (this.warnedAt.get(target) ?? 0) < 60_000) return;
    this.warnedAt.set(target, now);
    this.opts.log.warn({ target, error }, 'syslog target failing; messages are queued (bounded) and retried');
  }
}
