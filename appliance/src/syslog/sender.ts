// One syslog collector: UDP (RFC 5426, one message per datagram), TCP (RFC 6587 octet counting) or TLS
// (RFC 5425). Messages wait in a bounded queue while the collector is unreachable — the oldest are dropped and
// counted, so a dead collector costs a fixed amount of memory — and the connection is retried with back-off.
// Nothing here waits on the network in the caller's path: send() only queues.
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { octetFrame } from './rfc5424.ts';

export type Transport = 'udp' | 'tcp' | 'tls';
export interface SyslogTarget { transport: Transport; host: string; port: number; label: string }

export function parseTarget(text: string): SyslogTarget {
  const m = /^(udp|tcp|tls):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(text.trim());
  if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) throw new Error(`"${text.slice(0, 80)}" is not udp://host:port, tcp://host:port or tls://host:port`);
  return { transport: m[1] as Transport, host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]), label: `${m[1]}://${m[2]}:${m[3]}` };
}

export interface SenderOptions {
  maxQueued: () => number;
  /** For TLS: CAs that may sign the collector's certificate; our identity as client certificate. */
  tls?: () => { ca: string[]; key?: string; cert?: string };
  connectTimeoutMs?: () => number;
  retry?: { baseMs: number; maxMs: number };
  onError?: (target: string, error: string) => void;
}

export type SenderState = 'idle' | 'connecting' | 'connected' | 'down' | 'stopped';

/** Bytes handed to the socket but not yet flushed to the kernel before we stop writing (back-pressure). */
const HIGH_WATER = 256 * 1024;

export class SyslogSender {
  private queue: string[] = [];
  private socket?: net.Socket;
  private udp?: dgram.Socket;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  readonly status = { state: 'idle' as SenderState, sent: 0, dropped: 0, lastError: null as string | null, lastErrorAt: null as string | null,
    lastSuccessAt: null as string | null, consecutiveFailures: 0 };

  constructor(readonly target: SyslogTarget, private readonly opts: SenderOptions) {}

  get queued(): number { return this.queue.length; }

  send(message: string): void {
    if (this.stopped) return;
    this.queue.push(message);
    const max = this.opts.maxQueued();
    if (this.queue.length > max) {
      const n = this.queue.length - max;
      this.queue.splice(0, n);
      this.status.dropped += n;
    }
    if (this.target.transport === 'udp') { this.flushUdp(); return; }
    if (this.status.state === 'connected') this.flushStream();
    else if (this.status.state === 'idle') this.connect();
  }

  view() { return { target: this.target.label, ...this.status, queued: this.queue.length }; }

  async stop(): Promise<void> {
    this.stopped = true;
    this.status.state = 'stopped';
    clearTimeout(this.retryTimer);
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((r) => { s.end(() => r()); setTimeout(() => { s.destroy(); r(); }, 500).unref(); });
    this.udp?.close();
    this.udp = undefined;
  }

  private fail(error: string): void {
    this.status.consecutiveFailures++;
    this.status.lastError = error.replace(/[\r\n]+/g, ' ').slice(0, 300);
    this.status.lastErrorAt = new Date().toISOString();
    this.opts.onError?.(this.target.label, this.status.lastError);
  }

  private ok(): void {
    this.status.consecutiveFailures = 0;
    this.status.lastSuccessAt = new Date().toISOString();
  }

  // ——— UDP ———

  private flushUdp(): void {
    if (!this.udp) {
      this.udp = dgram.createSocket(net.isIPv6(this.target.host) ? 'udp6' : 'udp4');
      this.udp.unref();
      // An ICMP "port unreachable" for an earlier datagram arrives as an error on the socket.
      this.udp.on('error', (err) => this.fail(`${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`));
    }
    const udp = this.udp;
    while (this.queue.length) {
      const msg = Buffer.from(this.queue.shift()!, 'utf8');
      udp.send(msg, this.target.port, this.target.host, (err) => {
        if (err) this.fail(`${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`);
        else { this.status.sent++; this.ok(); }
      });
    }
  }

  // ——— TCP and TLS ———

  private connect(): void {
    if (this.stopped) return;
    this.status.state = 'connecting';
    const { host, port, transport } = this.target;
    const timeout = this.opts.connectTimeoutMs?.() ?? 10_000;
    let socket: net.Socket;
    if (transport === 'tls') {
      const t = this.opts.tls?.() ?? { ca: [] };
      socket = tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, minVersion: 'TLSv1.2',
        ca: [...tls.rootCertificates, ...t.ca], key: t.key, cert: t.cert });
    } else {
      socket = net.connect({ host, port });
    }
    this.socket = socket;
    socket.setTimeout(timeout);
    const ready = transport === 'tls' ? 'secureConnect' : 'connect';
    let failed = false;
    const down = (why: string) => {
      if (failed || this.socket !== socket) return;
      failed = true;
      this.socket = undefined;
      socket.destroy();
      this.fail(why);
      this.status.state = 'down';
      this.scheduleRetry();
    };
    socket.once(ready, () => {
      socket.setTimeout(0);
      socket.setKeepAlive(true, 60_000);
      this.status.state = 'connected';
      this.ok();
      this.flushStream();
    });
    socket.on('timeout', () => down(`no answer within ${timeout} ms`));
    socket.on('error', (err: NodeJS.ErrnoException) => down(`${err.code ?? 'error'}: ${err.message}`));
    socket.on('drain', () => this.flushStream());
    // A collector that closes on us: reconnect when there is something to send, else at the next message.
    socket.on('close', () => {
      if (failed || this.socket !== socket) return;
      this.socket = undefined;
      this.status.state = 'idle';
      if (this.queue.length && !this.stopped) this.connect();
    });
    socket.on('data', () => undefined); // RFC 5425 collectors send nothing back; ignore anything they do
  }

  private flushStream(): void {
    const s = this.socket;
    if (!s || this.status.state !== 'connected') return;
    while (this.queue.length && s.writableLength < HIGH_WATER) {
      s.write(octetFrame(this.queue.shift()!));
      this.status.sent++;
    }
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const { baseMs, maxMs } = this.opts.retry ?? { baseMs: 1000, maxMs: 60_000 };
    const wait = Math.min(maxMs, baseMs * 2 ** Math.min(20, this.status.consecutiveFailures - 1)) * (0.8 + Math.random() * 0.4);
    this.retryTimer = setTimeout(() => { this.retryTimer = undefined; this.connect(); }, wait);
    this.retryTimer.unref();
  }
}
