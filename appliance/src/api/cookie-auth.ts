// Sessions for the admin page: an HttpOnly, Secure, SameSite=Strict cookie holding the session token, and a
// CSRF token (double submit: a readable cookie the page copies into `X-CSRF-Token`, bound to the session by
// an HMAC so it cannot be forged from another session). Bearer tokens keep working for scripts and never
// need the CSRF token. Also: login back-off per source address and per user, idle expiry of page sessions,
// and the password change route (the new password must meet password-rule.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Koa from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import { ApiError } from './errors.ts';
import { verifyPassword } from './users.ts';
import { MAX_PASSWORD_LENGTH } from './password-rule.ts';
import type { AppServices } from './services.ts';
import type { Session } from './sessions.ts';
import { LoginLimiter } from './login-limiter.ts';
import { sourceKey } from './signin-audit.ts';

// __Host- prefix: the browser accepts these only with Secure, Path=/ and no Domain (no subdomain can plant one).
export const SESSION_COOKIE = '__Host-ioe_session';
export const CSRF_COOKIE = '__Host-ioe_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthState {
  username: string;
  token: string;
  via: 'bearer' | 'cookie' | 'api-token';
  /** Named API tokens only (api-tokens.ts): `read` may use safe methods only. */
  scope?: 'read' | 'admin';
}

export interface CookieAuthOptions {
  /** A page session unused this long is signed out (scripts' bearer tokens only have the absolute expiry). */
  idleMs?: number;
  limiter?: LoginLimiter;
  now?: () => number;
}

const credentialsSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
// The new password's rule (length, common passwords) is checked by Users.checkPassword, which names it.
const passwordChangeSchema = z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH) });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, 'invalid-body', 'the request body is not valid', r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
  return r.data;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class CookieAuth {
  readonly limiter: LoginLimiter;
  readonly idleMs: number;
  private readonly lastUsed = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly s: AppServices, opts: CookieAuthOptions = {}) {
    this.idleMs = opts.idleMs ?? 30 * 60_000;
    this.now = opts.now ?? Date.now;
    this.limiter = opts.limiter ?? new LoginLimiter({ now: this.now });
  }

  /** Keyed with the stored session secret, so a page's CSRF token stays valid across a restart like its session. */
  csrfFor(token: string): string {
    return createHmac('sha256', this.s.sessions.secret).update(token).digest('base64url');
  }

  /**
   * Who is calling, or undefined. A bearer header wins over a cookie (and a bad bearer is not rescued by a
   * cookie). A cookie request without the matching CSRF token is refused with 403.
   */
  authenticate(ctx: Koa.Context): AuthState | undefined {
    const header = ctx.get('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const session = this.s.sessions.get(m?.[1]);
      if (session) return { username: session.username, token: session.token, via: 'bearer' };
      // A named API token: the audit log names it as `token:<name>`.
      const named = this.s.apiTokens?.verify(m?.[1]);
      return named ? { username: `token:${named.name}`, token: named.id, via: 'api-token', scope: named.scope } : undefined;
    }
    const token = readCookie(ctx.get('cookie'), SESSION_COOKIE);
    const session = this.s.sessions.get(token);
    if (!session) return undefined;
    const last = this.lastUsed.get(session.token) ?? this.now();
    if (this.now() - last > this.idleMs) {
      this.lastUsed.delete(session.token);
      // Refused now; the stored record goes in the background (a failure is the store's to report).
      void this.s.sessions.revoke(session.token).catch(() => undefined);
      return undefined;
    }
    // EventSource and download links cannot set headers: safe methods may carry the token in `?csrf=`.
    const safe = ctx.method === 'GET' || ctx.method === 'HEAD';
    const sent = ctx.get(CSRF_HEADER) || (safe && typeof ctx.query.csrf === 'string' ? ctx.query.csrf : '');
    if (!sent) throw new ApiError(403, 'csrf-token-missing', `a cookie-authenticated request must send the ${CSRF_HEADER} header`);
    if (!sameSecret(sent, this.csrfFor(session.token))) throw new ApiError(403, 'csrf-token-invalid', 'the CSRF token does not match this session');
    this.lastUsed.set(session.token, this.now());
    return { username: session.username, token: session.token, via: 'cookie' };
  }

  private async startCookieSession(ctx: Koa.Context, username: string) {
    // Forget idle clocks of sessions that ended by themselves (absolute expiry), so the map stays small.
    if (this.lastUsed.size > 256) for (const t of this.lastUsed.keys()) if (!this.s.sessions.get(t)) this.lastUsed.delete(t);
    const session = await this.s.sessions.create(username);
    this.lastUsed.set(session.token, this.now());
    this.setCookies(ctx, session);
    return { username, csrfToken: this.csrfFor(session.token), expiresAt: new Date(session.expiresAt).toISOString(), idleTimeoutSeconds: Math.round(this.idleMs / 1000) };
  }

  private setCookies(ctx: Koa.Context, session: Session) {
    const maxAge = Math.max(0, Math.floor((session.expiresAt - this.now()) / 1000));
    ctx.append('Set-Cookie', `${SESSION_COOKIE}=${session.token}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Strict`);
    ctx.append('Set-Cookie', `${CSRF_COOKIE}=${this.csrfFor(session.token)}; Path=/; Max-Age=${maxAge}; Secure; SameSite=Strict`);
  }

  private clearCookies(ctx: Koa.Context) {
    for (const name of [SESSION_COOKIE, CSRF_COOKIE]) ctx.append('Set-Cookie', `${name}=; Path=/; Max-Age=0; Secure; SameSite=Strict${name === SESSION_COOKIE ? '; HttpOnly' : ''}`);
  }

  /**
   * Back-off for a route that checks a password (route-policy.ts puts it on exactly those routes, whatever
   * spelling of the path reached them); answers 429 with Retry-After while locked.
   */
  backoff(): Koa.Middleware {
    return async (ctx, next) => {
      const body = ctx.request.body as any;
      const user = ctx.state.auth?.username ?? (typeof body?.username === 'string' ? body.username.slice(0, 64) : '');
      // An IPv6 /64 is one source: a host on the LAN can use any number of addresses in its prefix.
      const keys = [`ip:${sourceKey(ctx.ip)}`, ...(user ? [`user:${user}`] : [])];
      const wait = this.limiter.retryAfterMs(keys);
      if (wait > 0) {
        ctx.set('Retry-After', String(Math.ceil(wait / 1000)));
        throw new ApiError(429, 'too-many-attempts', `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`, { retryAfterSeconds: Math.ceil(wait / 1000) });
      }
      try {
        await next();
      } catch (err: any) {
        if (err?.code === 'bad-credentials') this.limiter.fail(keys);
        throw err;
      }
      if (ctx.status < 300) this.limiter.succeed(keys);
    };
  }

  routes() {
    return (router: Router, s: AppServices) => {
      router.post('/api/v1/session', async (ctx) => {
        const { username, password } = parse(credentialsSchema, ctx.request.body);
        const user = await s.users.get(username);
        if (!user || !(await verifyPassword(user, password))) throw new ApiError(401, 'bad-credentials', 'wrong user name or password');
        ctx.body = await this.startCookieSession(ctx, username);
      });

      router.get('/api/v1/session', (ctx) => {
        const auth = ctx.state.auth as AuthState;
        if (auth.via === 'api-token') { ctx.body = { username: auth.username, via: auth.via, scope: auth.scope }; return; }
        const session = s.sessions.get(auth.token)!;
        ctx.body = { username: auth.username, via: auth.via, expiresAt: new Date(session.expiresAt).toISOString(),
          // The generated first-start password is still on disk: the page nudges the admin to change it.
          initialPasswordFile: existsSync(initialPasswordFile(s)),
          ...(auth.via === 'cookie' ? { csrfToken: this.csrfFor(auth.token), idleTimeoutSeconds: Math.round(this.idleMs / 1000) } : {}) };
      });

      router.delete('/api/v1/session', async (ctx) => {
        const auth = ctx.state.auth as AuthState;
        await s.sessions.revoke(auth.token);
        this.lastUsed.delete(auth.token);
        this.clearCookies(ctx);
        ctx.status = 204;
      });

      router.post('/api/v1/password', async (ctx) => {
        const auth = ctx.state.auth as AuthState;
        if (auth.via === 'api-token') throw new ApiError(403, 'token-not-allowed', 'an API token cannot change a password; sign in as the user');
        const { currentPassword, newPassword } = parse(passwordChangeSchema, ctx.request.body);
        await s.users.checkPassword(auth.username, newPassword);
        const user = await s.users.get(auth.username);
        if (!user || !(await verifyPassword(user, currentPassword))) throw new ApiError(403, 'bad-credentials', 'the current password is wrong');
        if (newPassword === currentPassword) throw new ApiError(400, 'invalid-body', 'the new password must differ from the current one', [{ field: 'newPassword', message: 'must differ from the current password' }]);
        await s.users.setPassword(auth.username, newPassword);
        // Every other session of this user ends; the caller gets a fresh one.
        await s.sessions.revokeUser(auth.username);
        removeInitialPasswordFile(s);
        if (auth.via === 'cookie') {
          ctx.body = { changed: true, ...(await this.startCookieSession(ctx, auth.username)) };
        } else {
          const next = await s.sessions.create(auth.username);
          ctx.body = { changed: true, username: auth.username, token: next.token, expiresAt: new Date(next.expiresAt).toISOString() };
        }
      });
    };
  }
}

/** The generated first-start password is useless once changed; leaving it on disk only helps a thief. */
function initialPasswordFile(s: AppServices): string {
  return join(resolve(String(s.settings.get('dataDir'))), 'initial-admin-password');
}

function removeInitialPasswordFile(s: AppServices) {
  try {
    rmSync(initialPasswordFile(s), { force: true });
  } catch { /* not fatal: the file only held the old password */ }
}
