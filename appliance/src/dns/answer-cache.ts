// A small cache of upstream answers. Entries live as long as the shortest TTL in the answer (negative
// answers: the SOA's TTL/MINIMUM, RFC 2308 §5), capped, and come back out with their TTLs aged in place.
import type { MessageSummary } from './message-walk.ts';

const TYPE_SOA = 6;
const TYPE_OPT = 41;

interface Entry {
  bytes: Buffer;
  storedAt: number;
  expiresAt: number;
  ttls: Array<{ offset: number; ttl: number }>;
}

export interface AnswerCacheOptions {
  maxEntries?: number;
  maxTtlSeconds?: number;
  now?: () => number;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxTtl: number;
  private readonly now: () => number;

  constructor(opts: AnswerCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 1000;
    this.maxTtl = opts.maxTtlSeconds ?? 3600;
    this.now = opts.now ?? (() => Date.now());
  }

  /** Key: question (case-folded) plus the EDNS shape, since responses with and without OPT differ. */
  static key(q: MessageSummary): string | null {
    if (!q.question) return null;
    const { name, type } = q.question;
    return `${name.toLowerCase()}|${type}|${q.question.class}|${q.opt ? (q.opt.doFlag ? 'do' : 'e') : '-'}`;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Store when the reply is cacheable (NOERROR/NXDOMAIN, not truncated, has a TTL to respect). */
  put(key: string, response: Buffer, reply: MessageSummary): void {
    if (reply.tc || (reply.rcode !== 0 && reply.rcode !== 3)) return;
    const ttls: Entry['ttls'] = [];
    let min = Infinity;
    for (const r of reply.records) {
      if (r.type === TYPE_OPT) continue;
      const ttl = response.readUInt32BE(r.ttlOffset);
      ttls.push({ offset: r.ttlOffset, ttl });
      if (r.section === 'answer') min = Math.min(min, ttl);
      else if (r.section === 'authority' && r.type === TYPE_SOA && r.rdLength >= 20) {
        // Negative caching uses min(SOA TTL, SOA MINIMUM); MINIMUM is the last 4 octets of the RDATA.
        min = Math.min(min, ttl, response.readUInt32BE(r.rdataOffset + r.rdLength - 4));
      }
    }
    if (!Number.isFinite(min) || min <= 0) return;
    const now = this.now();
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { bytes: Buffer.from(response), storedAt: now, expiresAt: now + Math.min(min, this.maxTtl) * 1000, ttls });
  }

  /** A copy of the cached response with TTLs reduced by its age and the caller's id, or undefined. */
  get(key: string, id: number): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh recency so eviction is least-recently-used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    const out = Buffer.from(entry.bytes);
    const age = Math.floor((now - entry.storedAt) / 1000);
    for (const { offset, ttl } of entry.ttls) out.writeUInt32BE(Math.max(0, ttl - age), offset);
    out.writeUInt16BE(id, 0);
    return out;
  }
}
