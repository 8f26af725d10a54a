// Back-off for password guessing, per key (a source address, a user name). A few failures are free (typos);
// after that each failure doubles the wait before the next attempt is even checked. A success clears the
// key. Per-user waits are capped low so a guesser cannot lock the admin out for long; per-address waits
// grow further. Bounded memory: the oldest keys are forgotten first.

export interface LoginLimiterOptions {
  freeFailures?: number;
  baseDelayMs?: number;
  /** Cap for `ip:` keys. */
  maxDelayMs?: number;
  /** Cap for `user:` keys. */
  maxUserDelayMs?: number;
  /** A key with no failure for this long starts over. */
  forgetAfterMs?: number;
  maxKeys?: number;
  now?: () => number;
}

interface Entry { failures: number; lockedUntil: number; lastFailure: number }

export class LoginLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly o: Required<LoginLimiterOptions>;

  constructor(opts: LoginLimiterOptions = {}) {
    this.o = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, maxUserDelayMs: 60_000, forgetAfterMs: 3600_000,
      maxKeys: 10_000, now: Date.now, ...opts };
  }

  /** 0 when an attempt may be checked now, else how long to wait. */
  retryAfterMs(keys: string[]): number {
    const now = this.o.now();
    let wait = 0;
    for (const k of keys) {
      const e = this.entry(k, now);
      if (e) wait = Math.max(wait, e.lockedUntil - now);
    }
    return Math.max(0, wait);
  }

  fail(keys: string[]): void {
    const now = this.o.now();
    for (const k of keys) {
      const e = this.entry(k, now) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
      e.failures++;
      e.lastFailure = now;
      const over = e.failures - this.o.freeFailures;
      if (over > 0) {
        const cap = k.startsWith('user:') ? this.o.maxUserDelayMs : this.o.maxDelayMs;
        e.lockedUntil = now + Math.min(cap, this.o.baseDelayMs * 2 ** Math.min(over - 1, 30));
      }
      this.entries.delete(k); // re-insert: Map order is then least recently failed first
      this.entries.set(k, e);
    }
    while (this.entries.size > this.o.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }

  succeed(keys: string[]): void {
    for (const k of keys) this.entries.delete(k);
  }

  failures(key: string): number {
    return this.entry(key, this.o.now())?.failures ?? 0;
  }

  private entry(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && now - e.lastFailure > this.o.forgetAfterMs && now >= e.lockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
