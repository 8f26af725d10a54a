// Who is calling: `Authorization: Bearer <token>` from POST /api/v1/login (scripts), or the page's session
// cookie from POST /api/v1/session with its CSRF token (cookie-auth.ts). Every /api/ route except the sign-in
// ones and health goes through requireAuth, so a route added later is protected by default.
import type Koa from 'koa';
import { ApiError } from './errors.ts';
import type { AppServices } from './services.ts';
import { CookieAuth, type AuthState } from './cookie-auth.ts';

export type { AuthState };

const PUBLIC = new Set(['POST /api/v1/login', 'GET /api/v1/health', 'HEAD /api/v1/health', 'POST /api/v1/session']);

export function isPublic(method: string, path: string): boolean {
  return PUBLIC.has(`${method} ${path}`) || (path === '/api/v1/login');
}

export function requireAuth(services: AppServices, cookies: CookieAuth = new CookieAuth(services)): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/') || isPublic(ctx.method, ctx.path)) return next();
    const auth = cookies.authenticate(ctx);
    if (!auth) {
      ctx.set('WWW-Authenticate', 'Bearer realm="instant-on-edge"');
      throw new ApiError(401, 'unauthenticated', 'sign in first: POST /api/v1/login, then send Authorization: Bearer <token> (or sign in on the page)');
    }
    if (auth.via === 'api-token' && auth.scope !== 'admin' && ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      throw new ApiError(403, 'token-read-only', `this API token (${auth.username}) may only read; make an admin-scope token to change things`);
    }
    ctx.state.auth = auth;
    return next();
  };
}
