// The guard every inbound datagram/TCP message passes before dns2 parses it. It decides from raw bytes
// alone, counts each rejection by reason, logs each at debug and at warn at most once per 10 s with the
// counts (util/log-throttle.ts: a flood must not turn into a log flood on an SD card).
import type { Logger } from '../util/log.ts';
import { ThrottledWarning } from '../util/log-throttle.ts';
import { walkMessage, type MessageSummary, type WalkFailure } from './message-walk.ts';
import { RateLimiter } from './rate-limiter.ts';

export type DropReason =
  | WalkFailure
  | 'rate-limited'
  | 'oversized'
  | 'response'
  | 'not-one-question'
  | 'overload'
  | 'tcp-connection-limit'
  | 'tcp-per-source-limit';

export const DROP_REASONS: readonly DropReason[] = [
  'rate-limited',
  'short-header',
  'oversized',
  'response',
  'counts-exceed-length',
  'not-one-question',
  'truncated-section',
  'bad-label',
  'bad-pointer',
  'name-too-long',
  'bad-opt',
  'trailing-bytes',
  'overload',
  'tcp-connection-limit',
  'tcp-per-source-limit',
];

/**
 * UDP size policy: RFC 1035 caps plain UDP messages at 512 octets; a query may only be larger when it
 * carries EDNS (RFC 6891), and never larger than 4096 — no stub resolver sends a query anywhere near that.
 */
export const UDP_PLAIN_LIMIT = 512;
export const UDP_HARD_LIMIT = 4096;

export type Transport = 'udp' | 'tcp';

export class PacketGuard {
  private readonly limiter: RateLimiter;
  private readonly counts = new Map<DropReason, number>(DROP_REASONS.map((r) => [r, 0]));
  private readonly warning: ThrottledWarning<DropReason>;

  constructor(rateLimitPerSecond: number, log: Logger) {
    this.limiter = new RateLimiter(rateLimitPerSecond);
    this.warning = new ThrottledWarning(log, 'dns packet dropped');
  }

  /** The message summary when the packet may be parsed and answered; null (and counted) when dropped. */
  admit(buf: Buffer, source: string, transport: Transport): MessageSummary | null {
    if (!this.limiter.allow(source)) return this.reject('rate-limited', source, transport, buf.length);
    if (buf.length < 12) return this.reject('short-header', source, transport, buf.length);
    if (transport === 'udp' && buf.length > UDP_HARD_LIMIT) return this.reject('oversized', source, transport, buf.length);
    // QR=1: answering a response invites reflection loops between two servers.
    if (buf[2] & 0x80) return this.reject('response', source, transport, buf.length);
    const walked = walkMessage(buf);
    if (!walked.ok) return this.reject(walked.reason, source, transport, buf.length);
    const summary = walked.summary;
    if (summary.qdcount !== 1) return this.reject('not-one-question', source, transport, buf.length);
    if (transport === 'udp' && buf.length > UDP_PLAIN_LIMIT && !summary.opt) {
      return this.reject('oversized', source, transport, buf.length);
    }
    return summary;
  }

  /** Count a drop decided elsewhere (overload, connection limit) under the same bookkeeping. */
  reject(reason: DropReason, source: string, transport: Transport, length: number): null {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.warning.note(reason, { source, transport, length });
    return null;
  }

  /** Logs what the warning held back (shutdown). */
  close(): void {
    this.warning.close();
  }

  dropped(): Record<DropReason, number> {
    return Object.fromEntries(this.counts) as Record<DropReason, number>;
  }
}
