// Per-source token bucket. A flood from one address (or a spoofed reflection target) must not starve
// the printers; the map is bounded so a spray of spoofed sources cannot grow memory without limit.

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * @param perSecond sustained queries per second per source; 0 disables limiting.
   * @param burst bucket size (default: one second's worth).
   */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number = Math.max(1, perSecond),
    private readonly maxSources = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  allow(source: string): boolean {
    if (this.perSecond <= 0) return true;
    const t = this.now();
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= this.maxSources) this.prune(t);
      bucket = { tokens: this.burst, updatedAt: t };
      this.buckets.set(source, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((t - bucket.updatedAt) / 1000) * this.perSecond);
      bucket.updatedAt = t;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get trackedSources(): number {
    return this.buckets.size;
  }

  /** Forget sources whose bucket has refilled (they are indistinguishable from new ones); clear if that is not enough. */
  private prune(t: number): void {
    const refillMs = (this.burst / this.perSecond) * 1000;
    for (const [source, bucket] of this.buckets) {
      if (t - bucket.updatedAt >= refillMs) this.buckets.delete(source);
    }
    if (this.buckets.size >= this.maxSources) this.buckets.clear();
  }
}
