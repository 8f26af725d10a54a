// Who is calling: `Authorization: Bearer <token>` from POST /api/v1/login. Every route except login and
// health goes through requireAuth, so a route added later is protected by default.
import type Koa from 'koa';
import { ApiError } from './errors.ts';
import type { AppServices } from './services.ts';

export interface AuthState { username: string; token: string }

const PUBLIC_PATHS = new Set(['/api/v1/login', '/api/v1/health']);

export function requireAuth(services: AppServices): Koa.Middleware {
  return async (ctx, next) => {
    if (PUBLIC_PATHS.has(ctx.path) || !ctx.path.startsWith('/api/')) return next();
    const header = ctx.get('authorization');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const session = services.sessions.get(m?.[1]);
    if (!session) {
      ctx.set('WWW-Authenticate', 'Bearer realm="instant-on-edge"');
      throw new ApiError(401, 'unauthenticated', 'sign in first: POST /api/v1/login, then send Authorization: Bearer <token>');
    }
    ctx.state.auth = { username: session.username, token: session.token } satisfies AuthState;
    return next();
  };
}
