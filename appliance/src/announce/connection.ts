// One accepted TLS connection on 3329: reads frames one at a time, answers each in order (HDAP.md §3),
// enforces the whole-frame deadline, and switches to capture mode for streams that are not HDAP (§7).
import type tls from 'node:tls';
import { FrameError, type Frame } from '../protocol/frame.ts';
import { CAPTURE_BYTES } from './capture.ts';
import type { AnnouncementListener, PeerContext } from './listener.ts';

/** HDAP.md §3: a relaying listener may send up to 1,000 announcements on one connection. */
const MAX_FRAMES_PER_CONNECTION = 1000;

export class Connection {
  private readonly decoder;
  private readonly pending: Frame[] = [];
  private frames = 0;
  private pumping = false;
  private done = false;
  private timer: NodeJS.Timeout | undefined;
  private capture: Buffer[] | null = null;
  private captureStartedAt = new Date();

  constructor(private readonly listener: AnnouncementListener, private readonly socket: tls.TLSSocket, private readonly peer: PeerContext) {
    this.decoder = listener.wireCodec.createDecoder();
  }

  start() {
    this.arm('stalled');
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => { if (this.capture) this.flushCapture(); else if (!this.pumping) this.finish('peer-closed', false); });
    // A client that resets instead of closing still leaves what it sent in capture mode.
    this.socket.on('close', () => { if (this.capture) this.flushCapture(); });
  }

  private get log() { return this.listener.options.log; }

  private arm(reason: 'stalled' | 'idle') {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.capture) return this.flushCapture();
      if (reason === 'stalled') this.log.warn({ peer: this.peer.address, buffered: this.decoder.bufferedBytes }, 'no whole frame within the time limit; closing');
      this.finish(reason, false);
    }, this.listener.options.limits().frameTimeoutMs);
  }

  private finish(reason: string, graceful: boolean) {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.listener.countPublic('closed', reason);
    if (graceful) this.socket.end(); else this.socket.destroy();
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
    const { capture, limits } = this.listener.options;
    if (err.code === 'bad-magic' && this.frames === 0 && capture && limits().capture) {
      this.capture = [];
      this.captureStartedAt = new Date();
      return this.addCapture(chunk);
    }
    this.log.warn({ peer: this.peer.address, code: err.code, detail: err.message }, 'rejected frame');
    this.listener.countPublic('rejected', err.code);
    if (err.code === 'unsupported-version') {
      // The header is ours and only the version differs: answer with a reason the device can log.
      this.socket.write(this.listener.wireCodec.encodeAcknowledge({ messageId: '', status: 'rejected', reason: 'unsupported-version', authMethod: 'anonymous', retryAfterSeconds: 0 }));
      return this.finish(err.code, true);
    }
    this.finish(err.code, false);
  }

  private async pump() {
    if (this.pumping) return;
    this.pumping = true;
    this.socket.pause();
    try {
      while (this.pending.length > 0 && !this.done) {
        const frame = this.pending.shift()!;
        this.frames++;
        clearTimeout(this.timer);
        const { ack, relay } = await this.listener.answer(frame, this.peer);
        if (this.done) return;
        this.socket.write(this.listener.wireCodec.encodeAcknowledge(ack));
        // A device sends exactly one announcement; only an accepted relay keeps the connection for more.
        const more = relay && ack.status === 'accepted' && this.frames < MAX_FRAMES_PER_CONNECTION;
        if (!more) return this.finish(relay && ack.status === 'accepted' ? 'frame-limit' : 'done', true);
        this.arm('idle');
      }
    } finally {
      this.pumping = false;
      if (!this.done) this.socket.resume();
    }
  }

  private addCapture(chunk: Buffer) {
    this.capture!.push(chunk);
    if (this.capture!.reduce((n, b) => n + b.length, 0) >= CAPTURE_BYTES) this.flushCapture();
  }

  private flushCapture() {
    if (this.done || !this.capture || this.capture.length === 0) return;
    this.listener.saveCapture(this.socket, this.peer, Buffer.concat(this.capture).subarray(0, CAPTURE_BYTES), this.captureStartedAt);
    this.finish('captured', false);
  }
}
