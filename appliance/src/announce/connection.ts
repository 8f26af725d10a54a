// One HDAP/1 session (HDAP.md §3): reads frames one at a time, answers each in order, enforces the
// whole-frame deadline, and switches to capture mode for streams that are not HDAP (§7). Aedes-style, it
// runs on any duplex stream: the listener hands it a TLS socket, the unit tests an in-memory pair. What it
// needs from outside is the small SessionDeps below, given once, never the listener itself.
import type { Duplex } from 'node:stream';
import type { Logger } from '../util/log.ts';
import type { ThrottledWarning } from '../util/log-throttle.ts';
import type { Codec } from '../protocol/index.ts';
import { FrameError, type Frame } from '../protocol/index.ts';
import type { Acknowledge, Announcement } from '../protocol/index.ts';
import { CAPTURE_BYTES } from './capture.ts';

export interface PeerContext {
  address: string;
  port: number;
  tlsVersion: string | null;
  /** The client certificate chain as presented (leaf first, DER), empty when none was sent. */
  certChain: Buffer[];
  clientCert?: { subject: string; issuer: string; fingerprint256: string; validTo: string };
}

export type AnnouncementHandler = (ann: Announcement, peer: PeerContext) => Promise<Acknowledge>;

export interface SessionCounters {
  connections: number;
  announcements: number;
  accepted: number;
  rejected: Record<string, number>;
  closed: Record<string, number>;
}

export const newSessionCounters = (): SessionCounters => ({ connections: 0, announcements: 0, accepted: 0, rejected: {}, closed: {} });

/** Why a peer's input was refused; each kind is logged at warn at most once per interval (util/log-throttle.ts). */
export type RefusalKind = 'frame' | 'malformed' | 'stalled';

export interface SessionDeps {
  codec: Codec;
  handler: AnnouncementHandler;
  log: Logger;
  counters: SessionCounters;
  /** Hostile input is warned about through this, shared by every session, so a flood cannot flood the log. */
  refusals: ThrottledWarning<RefusalKind>;
  frameTimeoutMs(): number;
  /** Capture mode (§7): where a non-HDAP stream's first bytes go; null while capture is off. */
  capture(): ((data: Buffer, startedAt: Date) => void) | null;
  /** Handler calls in flight, so a shutdown can wait for the acknowledges being decided. */
  inFlight: Set<Promise<unknown>>;
}

/** HDAP.md §3: a relaying listener may send up to 1,000 announcements on one connection. */
export const MAX_FRAMES_PER_CONNECTION = 1000;

/** Serves one connection until it closes; the stream is ended or destroyed by the session when it is done. */
export function handle(stream: Duplex, peer: PeerContext, deps: SessionDeps): void {
  deps.counters.connections++;
  new Session(stream, peer, deps).start();
}

class Session {
  private readonly decoder;
  private readonly pending: Frame[] = [];
  private frames = 0;
  private pumping = false;
  private done = false;
  private timer: NodeJS.Timeout | undefined;
  private capture: Buffer[] | null = null;
  private captureBytes = 0;
  private captureStartedAt = new Date();

  constructor(private readonly stream: Duplex, private readonly peer: PeerContext, private readonly deps: SessionDeps) {
    this.decoder = deps.codec.createDecoder();
  }

  start() {
    this.arm('stalled');
    this.stream.on('data', (chunk: Buffer) => this.onData(chunk));
    this.stream.on('end', () => { if (this.capture) this.flushCapture(); else if (!this.pumping) this.finish('peer-closed', false); });
    // A client that resets instead of closing still leaves what it sent in capture mode.
    this.stream.on('close', () => { if (this.capture) this.flushCapture(); else this.finish('peer-closed', false); });
  }

  private count(kind: 'rejected' | 'closed', reason: string) {
    const c = this.deps.counters[kind];
    c[reason] = (c[reason] ?? 0) + 1;
  }

  private arm(reason: 'stalled' | 'idle') {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.capture) return this.flushCapture();
      if (reason === 'stalled') this.deps.refusals.note('stalled', { peer: this.peer.address, buffered: this.decoder.bufferedBytes, detail: 'no whole frame within the time limit; closing' });
      this.finish(reason, false);
    }, this.deps.frameTimeoutMs());
  }

  private finish(reason: string, graceful: boolean) {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.count('closed', reason);
    if (graceful) this.stream.end(); else this.stream.destroy();
  }

  private onData(chunk: Buffer) {
    if (this.done) return;
    if (this.capture) return this.addCapture(chunk);
    let got: Frame[];
    try {
      got = this.decoder.push(chunk);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      return this.onFrameError(err, chunk);
    }
    if (got.length === 0) return;
    this.pending.push(...got);
    void this.pump();
  }

  private onFrameError(err: FrameError, chunk: Buffer) {
    if (err.code === 'bad-magic' && this.frames === 0 && this.deps.capture()) {
      this.capture = [];
      this.captureStartedAt = new Date();
      return this.addCapture(chunk);
    }
    this.deps.refusals.note('frame', { peer: this.peer.address, code: err.code, detail: err.message });
    this.count('rejected', err.code);
    if (err.code === 'unsupported-version') {
      // The header is ours and only the version differs: answer with a reason the device can log.
      this.stream.write(this.deps.codec.encodeAcknowledge({ messageId: '', status: 'rejected', reason: 'unsupported-version', authMethod: 'anonymous', retryAfterSeconds: 0 }));
      return this.finish(err.code, true);
    }
    this.finish(err.code, false);
  }

  private async pump() {
    if (this.pumping) return;
    this.pumping = true;
    this.stream.pause();
    try {
      while (this.pending.length > 0 && !this.done) {
        const frame = this.pending.shift()!;
        this.frames++;
        clearTimeout(this.timer);
        const { ack, relay } = await this.answer(frame);
        if (this.done) return;
        this.stream.write(this.deps.codec.encodeAcknowledge(ack));
        // A device sends exactly one announcement; only an accepted relay keeps the connection for more.
        const more = relay && ack.status === 'accepted' && this.frames < MAX_FRAMES_PER_CONNECTION;
        if (!more) return this.finish(relay && ack.status === 'accepted' ? 'frame-limit' : 'done', true);
        this.arm('idle');
      }
    } finally {
      this.pumping = false;
      if (!this.done) this.stream.resume();
    }
  }

  /** Decodes one frame and asks the handler; never throws. */
  private async answer(frame: Frame): Promise<{ ack: Acknowledge; relay: boolean }> {
    const { counters, codec, handler, log } = this.deps;
    counters.announcements++;
    const decoded = codec.decodeAnnouncement(frame);
    const authMethod = 'anonymous' as const;
    if (!decoded.ok) {
      this.count('rejected', 'malformed');
      this.deps.refusals.note('malformed', { peer: this.peer.address, detail: decoded.detail, messageId: decoded.messageId });
      return { ack: { messageId: decoded.messageId ?? '', status: 'rejected', reason: 'malformed', authMethod, retryAfterSeconds: 0, detail: decoded.detail }, relay: false };
    }
    const relay = (decoded.announcement.forwardedBy?.length ?? 0) > 0;
    const p = handler(decoded.announcement, this.peer);
    this.deps.inFlight.add(p);
    try {
      const ack = await p;
      if (ack.status === 'accepted') counters.accepted++; else this.count('rejected', ack.reason);
      return { ack, relay };
    } catch (err) {
      // A store failure must not leave the device hanging: it is told busy and retries; we log loudly.
      log.error({ err, peer: this.peer.address, messageId: decoded.announcement.messageId }, 'announcement handler failed');
      this.count('rejected', 'busy');
      return { ack: { messageId: decoded.announcement.messageId, status: 'rejected', reason: 'busy', authMethod, retryAfterSeconds: 60 }, relay: false };
    } finally {
      this.deps.inFlight.delete(p);
    }
  }

  private addCapture(chunk: Buffer) {
    this.capture!.push(chunk);
    this.captureBytes += chunk.length;
    if (this.captureBytes >= CAPTURE_BYTES) this.flushCapture();
  }

  private flushCapture() {
    if (this.done || !this.capture || this.capture.length === 0) return;
    const save = this.deps.capture();
    if (save) save(Buffer.concat(this.capture).subarray(0, CAPTURE_BYTES), this.captureStartedAt);
    this.finish('captured', false);
  }
}
