// Counts SNMP conversations in flight across all tasks; waiters are served in arrival order, so a big
// assessment cannot starve the Instant-On tasks queued behind it. The limit is read on every acquire so a
// settings change applies at once. A waiter whose task is cancelled leaves the line at once (its signal),
// so cancelled work never holds a place and "waiting" counts only work that will run.
export class Semaphore {
  private inUse = 0;
  private waiters: Array<() => void> = [];
  constructor(private readonly limit: () => number) {}

  get active() { return this.inUse; }
  get waiting() { return this.waiters.length; }

  /** Resolves with the release function, or with null when `signal` aborted first (no slot taken). */
  async acquire(signal?: AbortSignal): Promise<(() => void) | null> {
    if (signal?.aborted) return null;
    if (this.inUse >= this.limit() || this.waiters.length > 0) {
      const got = await new Promise<boolean>((resolve) => {
        const waiter = () => { signal?.removeEventListener('abort', onAbort); resolve(true); };
        const onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) { this.waiters.splice(i, 1); resolve(false); }
        };
        this.waiters.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (!got) return null;
    } else this.inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next && this.inUse <= this.limit()) next(); // hand the slot over without dropping the count
      else { this.inUse--; if (next) this.waiters.unshift(next); this.drain(); }
    };
  }

  private drain() {
    while (this.waiters.length > 0 && this.inUse < this.limit()) { this.inUse++; this.waiters.shift()!(); }
  }
}
