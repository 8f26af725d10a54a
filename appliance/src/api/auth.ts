// Who is calling: `Authorization: Bearer <token>` from POST /api/v1/login (scripts), or the page's session
// cookie from POST /api/v1/session with its CSRF token (cookie-auth.ts). The check runs inside each route
// (route-policy.ts), for the route the router dispatched: every route needs a signed-in caller unless the
// route table says otherwise (health and the two sign-in routes), so a route added later is protected.
import type Koa from 'koa';
import { ApiError } from './errors.ts';
import { CookieAuth, type AuthState } from './cookie-auth.ts';
import type { RoutePolicy } from './route-policy.ts';
import type { AppServices } from './services.ts';

export type { AuthState };

export function unauthenticated(ctx: Koa.Context): ApiError {
  ctx.set('WWW-Authenticate', 'Bearer realm="instant-on-edge"');
  return new ApiError(401, 'unauthenticated', 'sign in first: POST /api/v1/login, then send Authorization: Bearer <token> (or sign in on the page)');
}

export function accessCheck(cookies: CookieAuth) {
  return (policy: RoutePolicy): Koa.Middleware => async (ctx, next) => {
    if (policy.access === 'public') return next();
    if (policy.access === 'optional') {
      // Recognise a signed-in caller, but never refuse: a bad token or missing CSRF token just means anonymous.
      try { ctx.state.auth = cookies.authenticate(ctx); } catch { ctx.state.auth = undefined; }
      return next();
    }
    const auth = cookies.authenticate(ctx);
    if (!auth) throw unauthenticated(ctx);
    if (auth.via === 'api-token' && auth.scope !== 'admin' && ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      throw new ApiError(403, 'token-read-only', `this API token (${auth.username}) may only read; make an admin-scope token to change things`);
    }
    ctx.state.auth = auth;
    return next();
  };
}

/**
 * Whether the credentials a request was let in with are still valid: a session not signed out, expired or
 * ended by a password change; a named API token not revoked. An answer that lasts (the event stream) asks
 * again before every message, so a revocation takes effect on it at once, not when it is closed.
 */
export function stillSignedIn(s: Pick<AppServices, 'sessions' | 'apiTokens'>, auth: AuthState | undefined): boolean {
  if (!auth) return false;
  if (auth.via === 'api-token') return s.apiTokens?.isLive(auth.token) ?? false;
  return s.sessions.get(auth.token) !== undefined;
}
