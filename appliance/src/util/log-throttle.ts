// A warning that any peer on the LAN can trigger at will (a malformed DNS packet, a bad 3329 frame) must not
// turn into a log flood on an SD card. Every occurrence is logged at debug; at warn, the first one of an
// interval is logged with its details, and the rest of that interval are counted and reported by reason in
// one summary line when the interval ends. A flood costs one or two warn lines per interval, and nothing
// is lost from the counts.
import type { Logger } from './log.ts';

export const DEFAULT_WARN_INTERVAL_MS = 10_000;

export class ThrottledWarning<R extends string = string> {
  private lastWarnAt = -Infinity;
  private suppressed = new Map<R, number>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly totals = new Map<R, number>();

  constructor(
    private readonly log: Logger,
    private readonly message: string,
    private readonly intervalMs = DEFAULT_WARN_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** One occurrence of `reason`, with what is worth knowing about this one (peer, detail). */
  note(reason: R, fields: Record<string, unknown> = {}): void {
    this.totals.set(reason, (this.totals.get(reason) ?? 0) + 1);
    this.log.debug({ ...fields, reason }, this.message);
    const t = this.now();
    if (t - this.lastWarnAt >= this.intervalMs) {
      this.flush();
      this.lastWarnAt = t;
      this.log.warn({ ...fields, reason, total: this.totals.get(reason) }, this.message);
      return;
    }
    this.suppressed.set(reason, (this.suppressed.get(reason) ?? 0) + 1);
    // The summary comes when the interval ends even if the flood stops now; unref: it never holds the process.
    this.flushTimer ??= setTimeout(() => this.flush(), Math.max(0, this.lastWarnAt + this.intervalMs - t)).unref();
  }

  /** Logs the occurrences held back since the last warn line, if any (called by the interval's timer). */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.suppressed.size === 0) return;
    const suppressed = Object.fromEntries(this.suppressed) as Record<R, number>;
    const count = [...this.suppressed.values()].reduce((a, b) => a + b, 0);
    this.suppressed.clear();
    this.lastWarnAt = this.now();
    this.log.warn({ suppressed, count, totals: this.counts() }, `${this.message} (${count} more, not logged one by one)`);
  }

  /** Every occurrence since start, by reason. */
  counts(): Record<R, number> {
    return Object.fromEntries(this.totals) as Record<R, number>;
  }

  /** Stops the pending summary timer (shutdown); what was held back is logged now. */
  close(): void {
    this.flush();
  }
}
