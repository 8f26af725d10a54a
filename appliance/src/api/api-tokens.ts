// Named API tokens for scripts and monitoring (issue 16 §8). A token is shown once when made; only its
// SHA-256 is stored (a 256-bit random secret needs no slow hash: nothing to guess). Lookups are by that hash,
// so checking a bearer costs one hash and one map lookup. A revoked token stops working at once.
// Scope `read` allows only safe methods (GET/HEAD, and /metrics): a monitoring token that leaks cannot
// change anything.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { tokenInput } from '../contract/auth.ts';
import type { Store } from '../store/index.ts';

export const TOKEN_PREFIX = 'ioe_';
const MAX_TOKENS = 100;
// lastUsedAt is written at most this often per token: a monitoring scrape every 15 s must not write the SD card.
const TOUCH_EVERY_MS = 10 * 60_000;

/** The request schema is the API contract's (one description for the route, this module and the page). */
export const tokenInputSchema = tokenInput;

export interface ApiTokenRecord {
  id: string;
  name: string;
  scope: 'read' | 'admin';
  /** SHA-256 of the secret, hex. Never leaves this module. */
  hash: string;
  /** The first characters of the secret, so an admin can tell tokens apart in a script. */
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt?: string;
}

export type ApiTokenView = Omit<ApiTokenRecord, 'hash'>;

export class TokenError extends Error {
  readonly expose = true;
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class ApiTokens {
  private byHash = new Map<string, ApiTokenRecord>();
  private touched = new Map<string, number>();

  constructor(private readonly store: Store, private readonly opts: { now?: () => Date; onWriteError?: (err: Error) => void } = {}) {}

  private now(): Date { return this.opts.now?.() ?? new Date(); }

  async load(): Promise<void> {
    this.byHash.clear();
    for (const t of await this.store.values<ApiTokenRecord>('tokens')) this.byHash.set(t.hash, t);
  }

  list(): ApiTokenView[] {
    return [...this.byHash.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(view);
  }

  /** Makes a token; the secret is in the answer and nowhere else. */
  async create(input: unknown, createdBy: string): Promise<{ token: ApiTokenView; secret: string }> {
    const { name, scope } = tokenInputSchema.parse(input);
    if ([...this.byHash.values()].some((t) => t.name.toLowerCase() === name.toLowerCase())) throw new TokenError(409, 'token-name-taken', `a token named "${name}" exists; revoke it or pick another name`);
    if (this.byHash.size >= MAX_TOKENS) throw new TokenError(409, 'too-many-tokens', `at most ${MAX_TOKENS} tokens; revoke unused ones first`);
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const rec: ApiTokenRecord = { id: randomUUID(), name, scope, hash: digest(secret), prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      createdAt: this.now().toISOString(), createdBy };
    await this.store.commit([{ type: 'put', sublevel: this.store.sub('tokens'), key: rec.id, value: rec }]);
    this.byHash.set(rec.hash, rec);
    return { token: view(rec), secret };
  }

  async revoke(id: string): Promise<ApiTokenView | undefined> {
    const rec = [...this.byHash.values()].find((t) => t.id === id);
    if (!rec) return undefined;
    await this.store.commit([{ type: 'del', sublevel: this.store.sub('tokens'), key: id }]);
    this.byHash.delete(rec.hash);
    this.touched.delete(id);
    return view(rec);
  }

  /** Whether the token with this id is still valid (not revoked): long-lived answers (the event stream) ask again. */
  isLive(id: string): boolean {
    for (const t of this.byHash.values()) if (t.id === id) return true;
    return false;
  }

  /** The token a bearer secret belongs to, or undefined. Cheap: tokens without our prefix are not hashed. */
  verify(secret: string | undefined): ApiTokenView | undefined {
    if (!secret || !secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
    const rec = this.byHash.get(digest(secret));
    if (!rec) return undefined;
    this.touch(rec);
    return view(rec);
  }

  private touch(rec: ApiTokenRecord) {
    const now = this.now();
    rec.lastUsedAt = now.toISOString();
    const last = this.touched.get(rec.id) ?? 0;
    if (now.getTime() - last < TOUCH_EVERY_MS) return;
    this.touched.set(rec.id, now.getTime());
    // A failed lastUsedAt write must not turn a valid request into an error; it is reported to the log.
    void this.store.commit([{ type: 'put', sublevel: this.store.sub('tokens'), key: rec.id, value: rec }])
      .catch((err: Error) => this.opts.onWriteError?.(err));
  }
}

function view(t: ApiTokenRecord): ApiTokenView {
  const { hash: _hash, ...rest } = t;
  return { ...rest };
}
