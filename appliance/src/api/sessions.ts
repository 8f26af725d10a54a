// Sessions of signed-in callers (bearer tokens for scripts, cookies for the page), kept in the store so a
// restart or an update does not sign everyone out. The store holds a SHA-256 of each token, never the token:
// a copy of the data folder does not let anyone in. Sessions expire after a fixed time; expired ones are
// purged when the store is opened and whenever a new session starts. Reads are from memory (every request
// checks one); creating and ending a session waits for the store, so a sign-out survives a crash too.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/index.ts';

export interface Session { token: string; username: string; expiresAt: number }

interface StoredSession { username: string; createdAt: number; expiresAt: number }

export interface SessionOptions {
  /** Omit for sessions that live in memory only (unit tests). */
  store?: Store;
  ttlMs?: number;
  now?: () => number;
  /** Bound on live sessions; the oldest is ended first (a script that signs in in a loop cannot fill the store). */
  maxSessions?: number;
}

const SECRET_KEY = 'sessionSecret';

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class Sessions {
  private readonly byHash = new Map<string, StoredSession>();
  private readonly store?: Store;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly max: number;
  /** Key for values derived from a session (the CSRF token): stored, so they stay valid across a restart. */
  secret: Buffer = randomBytes(32);

  constructor(opts: SessionOptions = {}) {
    this.store = opts.store;
    this.ttlMs = opts.ttlMs ?? 12 * 3600_000;
    this.now = opts.now ?? Date.now;
    this.max = opts.maxSessions ?? 1000;
  }

  /** Loads the stored sessions (dropping expired ones from the store) and the session secret. */
  static async open(opts: SessionOptions & { store: Store }): Promise<Sessions> {
    const s = new Sessions(opts);
    await s.load();
    return s;
  }

  get size(): number { return this.byHash.size; }

  private async load() {
    const store = this.store!;
    const secret = await store.get<string>('meta', SECRET_KEY);
    if (secret) this.secret = Buffer.from(secret, 'base64');
    else await store.commit([{ type: 'put', sublevel: store.sub('meta'), key: SECRET_KEY, value: this.secret.toString('base64') }]);
    const expired: string[] = [];
    for (const [hash, rec] of await store.entries<StoredSession>('sessions')) {
      if (rec.expiresAt <= this.now()) expired.push(hash); else this.byHash.set(hash, rec);
    }
    await this.remove(expired);
  }

  async create(username: string): Promise<Session> {
    const now = this.now();
    const stale = new Set([...this.byHash].filter(([, r]) => r.expiresAt <= now).map(([h]) => h));
    // Oldest first (insertion order): make room for the new one.
    const live = [...this.byHash.keys()].filter((h) => !stale.has(h));
    const evict = live.slice(0, Math.max(0, live.length - this.max + 1));
    await this.remove([...stale, ...evict]);
    const token = randomBytes(32).toString('base64url');
    const rec: StoredSession = { username, createdAt: now, expiresAt: now + this.ttlMs };
    const hash = hashOf(token);
    if (this.store) await this.store.commit([{ type: 'put', sublevel: this.store.sub('sessions'), key: hash, value: rec }]);
    this.byHash.set(hash, rec);
    return { token, username, expiresAt: rec.expiresAt };
  }

  get(token: string | undefined): Session | undefined {
    if (!token || token.length > 256) return undefined;
    const hash = hashOf(token);
    const rec = this.byHash.get(hash);
    if (!rec || rec.expiresAt <= this.now()) return undefined;
    return { token, username: rec.username, expiresAt: rec.expiresAt };
  }

  async revoke(token: string): Promise<void> {
    await this.remove([hashOf(token)]);
  }

  async revokeUser(username: string): Promise<void> {
    await this.remove([...this.byHash].filter(([, r]) => r.username === username).map(([h]) => h));
  }

  private async remove(hashes: string[]) {
    if (!hashes.length) return;
    // Out of memory first: a session being ended stops working even if the store then fails (which throws).
    for (const h of hashes) this.byHash.delete(h);
    if (this.store) {
      const sub = this.store.sub('sessions');
      await this.store.commit(hashes.map((key) => ({ type: 'del' as const, sublevel: sub, key })));
    }
  }
}
