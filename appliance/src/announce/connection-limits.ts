// Flood guards for the announcement port: a cap on connections still in the TLS handshake (the costly part,
// an RSA signature each) across all peers, and a cap on open connections per source address. A printer
// fleet never needs more than a handful per address; a scanner or a broken device loop does.
export class ConnectionLimits {
  private handshaking = 0;
  private perSource = new Map<string, number>();
  rejected = { handshakes: 0, perSource: 0 };

  constructor(private readonly limits: () => { maxHandshakes: number; maxPerSource: number }) {}

  /** Call on a new TCP connection; returns a release function, or a reason when it must be refused. */
  admit(source: string): { ok: true; handshakeDone: () => void; closed: () => void } | { ok: false; reason: 'too-many-handshakes' | 'too-many-from-source' } {
    const { maxHandshakes, maxPerSource } = this.limits();
    if (this.handshaking >= maxHandshakes) { this.rejected.handshakes++; return { ok: false, reason: 'too-many-handshakes' }; }
    const n = this.perSource.get(source) ?? 0;
    if (n >= maxPerSource) { this.rejected.perSource++; return { ok: false, reason: 'too-many-from-source' }; }
    this.handshaking++;
    this.perSource.set(source, n + 1);
    let inHandshake = true;
    let open = true;
    const handshakeDone = () => { if (inHandshake) { inHandshake = false; this.handshaking--; } };
    const closed = () => {
      handshakeDone();
      if (!open) return;
      open = false;
      const left = (this.perSource.get(source) ?? 1) - 1;
      if (left <= 0) this.perSource.delete(source); else this.perSource.set(source, left);
    };
    return { ok: true, handshakeDone, closed };
  }

  stats() {
    return { handshaking: this.handshaking, sources: this.perSource.size, rejected: { ...this.rejected } };
  }
}
