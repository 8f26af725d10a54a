// Counts SNMP conversations in flight across all tasks; waiters are served in arrival order, so a big
// assessment cannot starve the Instant-On tasks queued behind it. The limit is read on every acquire so a
// settings change applies at once.
export class Semaphore {
  private inUse = 0;
  private waiters: Array<() => void> = [];
  constructor(private readonly limit: () => number) {}

  get active() { return this.inUse; }
  get waiting() { return this.waiters.length; }

  async acquire(): Promise<() => void> {
    if (this.inUse >= this.limit() || this.waiters.length > 0) await new Promise<void>((r) => this.waiters.push(r));
    else this.inUse++;
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
