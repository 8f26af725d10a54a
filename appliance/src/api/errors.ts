// Errors that cross the API boundary carry an HTTP status and a stable code users can look up (Koa's
// `expose` idea): anything else is logged in full and answered as a bare 500.
import type Koa from 'koa';
import type { Logger } from '../util/log.ts';

export class ApiError extends Error {
  readonly expose = true;
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) { super(message); }
}

/** Typed error codes raised by rooms (not by routes) and the HTTP status each one means, in one place. */
const STATUS_OF_CODE: Record<string, number> = {
  'unknown-setting': 400, 'invalid-setting': 400, 'setting-locked': 409, 'setting-not-storable': 409,
};

export function errorMiddleware(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError(404, 'not-found', `no route for ${ctx.method.slice(0, 16)} ${ctx.path.slice(0, 200)}`);
    } catch (err: any) {
      const status = typeof err?.status === 'number' ? err.status : STATUS_OF_CODE[err?.code] ?? 500;
      const exposed = err?.expose === true || (status < 500 && status >= 400);
      ctx.status = status;
      ctx.body = { error: { code: err?.code && exposed ? String(err.code) : status === 500 ? 'internal' : 'error',
        message: exposed ? String(err.message) : 'internal error', ...(err?.details ? { details: err.details } : {}) } };
      if (status >= 500) log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      else log.debug({ status, method: ctx.method, path: ctx.path, code: err?.code }, 'request refused');
    }
  };
}
