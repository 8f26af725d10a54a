// Failed and locked sign-ins come from anyone who reaches the web port, so recording each one in the audit
// log (a synced store write, a live event, a syslog message) let an unauthenticated host write without end:
// a locked attempt is answered 429 before any password is checked, at thousands a second, and the audit log
// keeps only its newest 10,000 entries — a minute of that and the record of what happened before was gone.
// Now each source (an IPv6 /64 counts as one: a host on the LAN can take any number of addresses in it) has
// its first few failures recorded per window, and all sources together a bounded number; the rest are
// counted and recorded as one summary entry when the window ends. Nothing is lost from the counts.

export const SIGNIN_AUDIT = { perSource: 10, total: 100, windowMs: 10 * 60_000, maxSources: 1000 } as const;

/** The source a sign-in is attributed to: the address, or its /64 for IPv6 (not IPv4-mapped). */
export function sourceKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1];
  if (!ip.includes(':')) return ip;
  // Expand "::" so the first four groups are the /64.
  const [head, tail = ''] = ip.toLowerCase().split('%')[0].split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface HeldBack { attempts: number; sources: Record<string, number>; users: number; from: string; to: string }

export class SignInAuditGate {
  private windowStart = 0;
  private recorded = 0;
  private perSource = new Map<string, number>();
  private held = new Map<string, number>();
  private heldUsers = new Set<string>();
  private heldCount = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly summarize: (s: HeldBack) => void, private readonly now: () => number = Date.now, private readonly limits = SIGNIN_AUDIT) {}

  /** Whether this failed or locked sign-in gets its own audit entry; if not, it is counted for the summary. */
  admit(ip: string, user: string): boolean {
    const t = this.now();
    if (t - this.windowStart >= this.limits.windowMs) this.flush(t);
    const source = sourceKey(ip);
    const n = this.perSource.get(source) ?? 0;
    if (n < this.limits.perSource && this.recorded < this.limits.total && (this.perSource.has(source) || this.perSource.size < this.limits.maxSources)) {
      this.perSource.set(source, n + 1);
      this.recorded++;
      return true;
    }
    this.heldCount++;
    if (this.held.has(source) || this.held.size < this.limits.maxSources) this.held.set(source, (this.held.get(source) ?? 0) + 1);
    if (this.heldUsers.size < this.limits.maxSources) this.heldUsers.add(user);
    this.timer ??= setTimeout(() => this.flush(this.now()), Math.max(0, this.windowStart + this.limits.windowMs - t)).unref();
    return false;
  }

  /** Ends the window: what was held back goes out as one summary (also at shutdown). */
  flush(t = this.now()): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.heldCount) {
      const top = [...this.held].sort((a, b) => b[1] - a[1]).slice(0, 20);
      this.summarize({ attempts: this.heldCount, sources: Object.fromEntries(top), users: this.heldUsers.size,
        from: new Date(this.windowStart).toISOString(), to: new Date(t).toISOString() });
    }
    this.windowStart = t;
    this.recorded = 0;
    this.perSource.clear();
    this.held.clear();
    this.heldUsers.clear();
    this.heldCount = 0;
  }
}
