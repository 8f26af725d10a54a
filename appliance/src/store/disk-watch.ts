// Free space under the database: a nearly full disk is reported before it refuses writes, and a store that
// is refusing writes for a full disk tries to reopen once space is back (checked with statfs, which is cheap).
import { statfsSync } from 'node:fs';

export class DiskWatch {
  private timer?: NodeJS.Timeout;
  private since = 0;

  constructor(private readonly dir: string, private readonly minFreeBytes: () => number) {}

  get minFree(): number { return this.minFreeBytes(); }

  /** Free bytes for the service user, or null when the file system cannot say (one statfs: microseconds). */
  free(): number | null {
    try { const s = statfsSync(this.dir); return Number(s.bavail) * Number(s.bsize); } catch { return null; }
  }

  low(): boolean {
    const f = this.free();
    return f !== null && f < this.minFreeBytes();
  }

  view() {
    const free = this.free();
    return { freeBytes: free, minFreeBytes: this.minFreeBytes(), low: free !== null && free < this.minFreeBytes(), refusingSince: this.since ? new Date(this.since).toISOString() : null };
  }

  /**
   * Every `everyMs`, when there is room again, calls `reopen` (true = writable again). Every ten minutes of
   * waiting it calls `stillFull`, so a full disk keeps showing in the log without flooding it.
   */
  startRecovery(everyMs: number, reopen: () => Promise<boolean>, stillFull: (minutes: number) => void) {
    if (this.timer) return;
    this.since = Date.now();
    let nextNag = this.since + 600_000;
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      if (Date.now() >= nextNag) { nextNag += 600_000; stillFull(Math.round((Date.now() - this.since) / 60_000)); }
      if (this.low()) return;
      busy = true;
      // reopen never rejects: the store turns its own failures into `failed`.
      void reopen().then((ok) => { if (ok) this.stopRecovery(); }).finally(() => { busy = false; });
    }, everyMs);
    this.timer.unref();
  }

  stopRecovery() {
    clearInterval(this.timer);
    this.timer = undefined;
    this.since = 0;
  }
}
