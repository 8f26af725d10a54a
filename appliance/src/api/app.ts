// The Koa application: error mapping, security headers, body parsing with limits, auth, then the routes.
// Exposed as a plain Koa app so tests can drive app.callback() without a port (the Koa way).
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Logger } from '../system/logger.ts';
import { errorMiddleware } from './errors.ts';
import { requireAuth } from './auth.ts';
import type { AppServices } from './services.ts';
import { coreRoutes } from './routes/core.ts';

export type RouteInstaller = (router: Router, services: AppServices) => void;

export function createApiApp(services: AppServices, log: Logger, extraRoutes: RouteInstaller[] = []): { app: Koa; router: Router } {
  const app = new Koa();
  app.proxy = false;
  const router = new Router();
  coreRoutes(router, services);
  for (const install of extraRoutes) install(router, services);

  app.use(errorMiddleware(log));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Strict-Transport-Security', 'max-age=31536000');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(bodyParser({ enableTypes: ['json', 'text'], jsonLimit: '256kb', textLimit: '2mb',
    onError: (err: any) => { throw Object.assign(new Error(`request body could not be read: ${err.message}`), { status: 400, code: 'bad-body', expose: true }); } }));
  app.use(requireAuth(services));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, router };
}
