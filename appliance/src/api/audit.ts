// The audit log: who changed what through the API, when, and (where known) the value before and after.
// Every non-GET route's successful request is recorded by one middleware placed in the route itself
// (route-policy.ts), so a route added later is audited without doing anything; a route that knows its
// before/after calls recordChange(ctx, …) to add them.
// Records live in the store's 'audit' sublevel, keyed by time, and are pruned to a bound.
import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type Router from '@koa/router';
import type { Store } from '../store/index.ts';
import { isSecretSetting } from '../policy/index.ts';
import type { AppServices } from './services.ts';
import type { EventPublisher } from './routes/events.ts';
import { parseQuery } from './routes/core.ts';
import { auditQuery } from '../contract/system.ts';
import { maskUrlPasswords } from '../util/url-secret.ts';
import { SignInAuditGate } from './signin-audit.ts';

export interface AuditEntry {
  id: string;
  at: string;
  user: string;
  ip: string;
  method: string;
  path: string;
  status: number;
  /** `login-failed` and `login-locked` are recorded too: repeated ones are a dashboard alert. */
  action: string;
  /** The request body with secrets replaced by "***". */
  request?: unknown;
  before?: unknown;
  after?: unknown;
}

/** Optional service the lead adds to AppServices (`audit: new AuditLog(store)`); absent → memory only. */
export interface AuditServices { audit?: AuditLog }

// Field names that hold secrets in our bodies (passwords, SNMP communities and keys, tokens, PEM private keys).
const SECRET_KEY = /pass|secret|community|token|auth[-_]?key|priv[-_]?key|private[-_]?key|api[-_]?key/i;
const MAX_STRING = 2000;

/**
 * Deep copy with secrets masked and long strings cut; never throws on odd input. Masking is by field name,
 * and in every string by form: a URL's password (mqttUrl = mqtt://user:secret@host) is masked whatever the
 * field is called.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (typeof value === 'string') {
    const text = maskUrlPasswords(value);
    return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}… (${text.length} chars)` : text;
  }
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Policy secrets are masked by their catalog row, whatever their id says (a future "snmpv3-user" would not match the pattern).
    for (const [k, v] of Object.entries(value)) out[k] = (SECRET_KEY.test(k) || isSecretSetting(k)) && v !== null && v !== undefined && v !== '' ? '***' : redact(v, depth + 1);
    return out;
  }
  return value;
}

/** What a list filters on, kept in memory for every stored entry (a few hundred bytes each, 10,000 at most). */
interface AuditRow { id: string; action: string; user: string; path: string; status: number; ip: string }

export interface AuditQuery {
  limit?: number;
  /** An entry id: the page after it (older entries). */
  before?: string;
  action?: string;
  user?: string;
  /** ISO time: entries at or after it. */
  since?: string;
  /** `failed`: refused changes and failed sign-ins (status 400 and up); `ok`: the rest. */
  outcome?: 'ok' | 'failed';
  /** Words that must all appear in the action, user, address or path. */
  q?: string;
}

export interface AuditPage { total: number; matched: number; entries: AuditEntry[]; nextCursor: string | null }

const rowOf = (e: AuditEntry): AuditRow => ({ id: e.id, action: e.action, user: e.user, path: e.path, status: e.status, ip: e.ip });

export class AuditLog {
  private memory: AuditEntry[] = [];
  private writes = 0;
  /** Oldest first, ids in order; loaded from the store on the first list. */
  private rows?: AuditRow[];
  private loading?: Promise<AuditRow[]>;
  /** Recorded while the rows were being loaded: the load may or may not have seen them. */
  private late: AuditRow[] = [];
  publisher?: EventPublisher;

  /** Without a store (not wired yet) entries are kept in memory only, newest `limit`. */
  constructor(private readonly store?: Store, private readonly limit = 10_000, private readonly log?: { error(o: object, m: string): void }) {}

  get durable(): boolean { return !!this.store; }

  async record(e: Omit<AuditEntry, 'id' | 'at'> & { at?: string }): Promise<AuditEntry> {
    const at = e.at ?? new Date().toISOString();
    const entry: AuditEntry = { ...e, at, id: `${at}!${randomBytes(4).toString('hex')}` };
    if (this.store) {
      await this.store.commit([{ type: 'put', sublevel: this.store.sub('audit'), key: entry.id, value: entry }]);
      if (this.rows) insertRow(this.rows, rowOf(entry));
      else if (this.loading) this.late.push(rowOf(entry));
      if (++this.writes % 100 === 0) void this.prune().catch((err) => this.log?.error({ err: (err as Error).message }, 'could not prune the audit log'));
    } else {
      this.memory.push(entry);
      if (this.memory.length > this.limit) this.memory.splice(0, this.memory.length - this.limit);
    }
    this.publisher?.publish('audit', entry);
    return entry;
  }

  /** Newest first; `before` is an entry id to page back from; `action` and `since` (ISO) filter. */
  async list(opts: AuditQuery = {}): Promise<AuditEntry[]> {
    return (await this.page(opts)).entries;
  }

  /** One page, newest first, with how many entries there are and how many the filters keep. */
  async page(opts: AuditQuery = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
    const words = (opts.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const keep = (r: AuditRow) => (!opts.action || r.action === opts.action) && (!opts.user || r.user === opts.user)
      // Ids start with the ISO time, so `since` is a lower key bound.
      && (!opts.since || r.id >= opts.since)
      && (!opts.outcome || (opts.outcome === 'failed') === (r.status >= 400))
      && (words.length === 0 || words.every((w) => `${r.action} ${r.user} ${r.ip} ${r.path}`.toLowerCase().includes(w)));
    const rows = this.store ? await this.loadRows() : this.memory.map(rowOf);
    let matched = 0;
    const ids: string[] = [];
    let more = false;
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i];
      if (!keep(r)) continue;
      matched++;
      if (opts.before && r.id >= opts.before) continue;
      if (ids.length < limit) ids.push(r.id); else more = true;
    }
    const entries = this.store
      ? (await Promise.all(ids.map((id) => this.store!.get<AuditEntry>('audit', id)))).filter((e): e is AuditEntry => !!e)
      : ids.map((id) => this.memory.find((e) => e.id === id)!).filter(Boolean);
    return { total: rows.length, matched, entries, nextCursor: more ? ids[ids.length - 1] : null };
  }

  private loadRows(): Promise<AuditRow[]> {
    if (this.rows) return Promise.resolve(this.rows);
    this.loading ??= (async () => {
      const rows: AuditRow[] = [];
      for await (const e of this.store!.sub<AuditEntry>('audit').values()) rows.push(rowOf(e));
      const seen = new Set(rows.map((r) => r.id));
      for (const r of this.late) if (!seen.has(r.id)) insertRow(rows, r);
      this.late = [];
      this.rows = rows;
      return rows;
    })().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async prune() {
    const keys = await this.store!.sub('audit').keys({ reverse: true }).all();
    const stale = keys.slice(this.limit);
    if (stale.length) {
      await this.store!.commit(stale.map((key) => ({ type: 'del' as const, sublevel: this.store!.sub('audit'), key })));
      if (this.rows) { const gone = new Set(stale); this.rows = this.rows.filter((r) => !gone.has(r.id)); }
    }
  }
}

/** Keeps rows in id order (entries of the same millisecond may be recorded out of id order). */
function insertRow(rows: AuditRow[], row: AuditRow) {
  let i = rows.length;
  while (i > 0 && rows[i - 1].id > row.id) i--;
  rows.splice(i, 0, row);
}

/** Routes that know the state before and after a change call this; the middleware stores it. */
export function recordChange(ctx: Koa.Context, change: { before?: unknown; after?: unknown; action?: string }): void {
  ctx.state.audit = { ...(ctx.state.audit ?? {}), ...change };
}

/** Reads the state a request is about to change, for routes whose handler cannot say it (settings). */
export type Snapshot = (s: AppServices, ctx: Koa.Context) => unknown;

/** Keyed by `METHOD /route/template`, as the router registered the route. */
const SNAPSHOTS = new Map<string, Snapshot>([
  ['PUT /api/v1/settings', (s, ctx) => {
    const keys = new Set(Object.keys((ctx.request.body as object) ?? {}));
    return Object.fromEntries(s.settings.describe().filter((d) => keys.has(d.key)).map((d) => [d.key, d.value]));
  }],
]);

const NAMED: Record<string, string> = { 'POST /api/v1/password': 'password.change', 'DELETE /api/v1/session': 'logout', 'POST /api/v1/logout': 'logout' };

function actionOf(method: string, template: string): string {
  if (NAMED[`${method} ${template}`]) return NAMED[`${method} ${template}`];
  const noun = template.replace(/^\/api\/v1\//, '').split('/')[0] || 'api';
  const verb = method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'change';
  return `${noun}.${verb}`;
}

const LOGIN_ROUTES = new Set(['/api/v1/login', '/api/v1/session']);

/**
 * Audit of one route (route-policy.ts puts it on every non-GET route): a change that succeeded, and failed or
 * locked sign-ins. The action is named from the route template, so it is the same whatever spelling of the
 * path reached the route; the path as requested is kept too.
 */
export function auditRoute(s: AppServices, audit: AuditLog, log?: { error(o: object, m: string): void }) {
  // Failed sign-ins come from anyone: each source gets a few entries per window, the rest one summary (signin-audit.ts).
  const gate = new SignInAuditGate((held) => {
    void audit.record({ user: '-', ip: '', method: 'POST', path: '/api/v1/login', status: 401, action: 'login-failures-held-back', after: held })
      .catch((err) => log?.error({ err: (err as Error).message, attempts: held.attempts }, 'audit record failed: a summary of failed sign-ins went unrecorded'));
  });
  return (template: string): Koa.Middleware => async (ctx, next) => {
    const take = SNAPSHOTS.get(`${ctx.method} ${template}`);
    let before: unknown;
    try { before = take ? redact(take(s, ctx)) : undefined; } catch { before = undefined; }
    let failure: any;
    try {
      await next();
    } catch (err) {
      failure = err;
    }
    const status = failure ? (typeof failure.status === 'number' ? failure.status : 500) : ctx.status;
    const isLogin = ctx.method === 'POST' && LOGIN_ROUTES.has(template);
    const body = ctx.request.body as any;
    const loginFailed = isLogin && (status === 401 || status === 429);
    const user = ctx.state.auth?.username ?? (isLogin && typeof body?.username === 'string' ? String(body.username).slice(0, 64) : '-');
    if (status < 400 || (loginFailed && gate.admit(ctx.ip, user))) {
      const extra = ctx.state.audit ?? {};
      const entry = {
        user, ip: ctx.ip, method: ctx.method, path: ctx.path.slice(0, 300), status,
        action: extra.action ?? (loginFailed ? (status === 429 ? 'login-locked' : 'login-failed') : isLogin ? 'login' : actionOf(ctx.method, template)),
        request: isLogin || Buffer.isBuffer(body) ? undefined : redact(body),
        before: extra.before !== undefined ? redact(extra.before) : before,
        after: extra.after !== undefined ? redact(extra.after) : (status < 400 && ctx.body && typeof ctx.body === 'object' && !('pipe' in ctx.body) && !Buffer.isBuffer(ctx.body) ? redact(ctx.body) : undefined),
      };
      // The change is done; a failed audit write must not turn it into an error answer, but it is never quiet:
      // logged here with what went unrecorded, counted by the store (which ends the process if it is failing).
      try { await audit.record(entry); } catch (err) { log?.error({ err: (err as Error).message, action: entry.action, user: entry.user, path: ctx.path }, 'audit record failed: a change went unrecorded'); }
    }
    if (failure) throw failure;
  };
}

export function auditRoutes(audit: AuditLog) {
  return (router: Router) => {
    router.get('/api/v1/audit', async (ctx) => {
      const q = parseQuery(auditQuery, ctx.query);
      const page = await audit.page({ ...q, before: q.before ?? q.cursor });
      ctx.body = { durable: audit.durable, ...page };
    });
  };
}
