// Flood guards for the announcement port. A TLS handshake is the costly part (an RSA signature each), so at
// most `maxHandshakes` run at once; connections beyond that WAIT (paused, a few hundred bytes each; the
// kernel holds their ClientHello) in arrival order instead of being refused — after a power cut a whole
// branch boots at once, and a refused printer would only try again on its next trigger, up to 47 h later.
// Refused outright: more than `maxPerSource` open connections from one address (a scanner or a broken
// device loop), a full waiting line, or a wait longer than the frame deadline.
import type { Socket } from 'node:net';

export interface GateLimits { maxHandshakes: number; maxPerSource: number; maxWaiting: number; maxWaitMs: number }

interface Waiting { socket: Socket; since: number; start: () => void }

export class HandshakeGate {
  private handshaking = 0;
  private perSource = new Map<string, number>();
  private waiting: Waiting[] = [];
  rejected = { perSource: 0, queueFull: 0, waitedTooLong: 0 };
  queuedTotal = 0;

  constructor(private readonly limits: () => GateLimits, private readonly now = () => Date.now()) {}

  /**
   * A new TCP connection. Refused connections get a reason; admitted ones call `start(done)` when a handshake
   * slot is theirs, and must call `done()` once their handshake finished or failed.
   */
  admit(socket: Socket, source: string, start: (done: () => void) => void): { ok: true } | { ok: false; reason: 'too-many-from-source' | 'queue-full' } {
    const l = this.limits();
    const n = this.perSource.get(source) ?? 0;
    if (n >= l.maxPerSource) { this.rejected.perSource++; return { ok: false, reason: 'too-many-from-source' }; }
    if (this.waiting.length >= l.maxWaiting) { this.rejected.queueFull++; return { ok: false, reason: 'queue-full' }; }
    this.perSource.set(source, n + 1);
    socket.once('close', () => {
      const left = (this.perSource.get(source) ?? 1) - 1;
      if (left <= 0) this.perSource.delete(source); else this.perSource.set(source, left);
    });
    let released = false;
    const entry: Waiting = { socket, since: this.now(), start: () => start(() => { if (!released) { released = true; this.handshaking--; this.pump(); } }) };
    this.waiting.push(entry);
    if (this.handshaking >= l.maxHandshakes) this.queuedTotal++;
    this.pump();
    return { ok: true };
  }

  stats() {
    return { handshaking: this.handshaking, waiting: this.waiting.length, queuedTotal: this.queuedTotal, sources: this.perSource.size, rejected: { ...this.rejected } };
  }

  /** Drops everything still waiting (shutdown). */
  drain(): Socket[] {
    const left = this.waiting.map((w) => w.socket);
    this.waiting = [];
    return left;
  }

  private pump() {
    const l = this.limits();
    while (this.handshaking < l.maxHandshakes && this.waiting.length > 0) {
      const w = this.waiting.shift()!;
      if (w.socket.destroyed) continue;
      if (this.now() - w.since > l.maxWaitMs) { this.rejected.waitedTooLong++; w.socket.destroy(); continue; }
      this.handshaking++;
      w.start();
    }
  }
}
