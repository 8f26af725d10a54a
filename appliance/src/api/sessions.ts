// Bearer tokens for scripts (and, later, cookie sessions for the page). Tokens live in memory: a restart signs
// everyone out, which is the safe side for an appliance; they expire after a fixed time.
import { randomBytes } from 'node:crypto';

export interface Session { token: string; username: string; expiresAt: number }

export class Sessions {
  private byToken = new Map<string, Session>();
  constructor(private readonly ttlMs = 12 * 3600_000, private readonly now = () => Date.now()) {}

  create(username: string): Session {
    this.sweep();
    const s = { token: randomBytes(32).toString('base64url'), username, expiresAt: this.now() + this.ttlMs };
    this.byToken.set(s.token, s);
    return s;
  }

  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) { this.byToken.delete(token); return undefined; }
    return s;
  }

  revoke(token: string): void { this.byToken.delete(token); }

  revokeUser(username: string): void {
    for (const [t, s] of this.byToken) if (s.username === username) this.byToken.delete(t);
  }

  private sweep() {
    const now = this.now();
    for (const [t, s] of this.byToken) if (s.expiresAt <= now) this.byToken.delete(t);
  }
}
