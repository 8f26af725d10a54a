// The Koa application: error mapping, security headers, body parsing with limits, the page's static files,
// auth (bearer or cookie + CSRF), audit of every change, login back-off, then the routes.
// Exposed as a plain Koa app so tests can drive app.callback() without a port (the Koa way).
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Logger } from '../util/log.ts';
import { errorMiddleware } from './errors.ts';
import { requireAuth } from './auth.ts';
import type { AppServices } from './services.ts';
import { coreRoutes } from './routes/core.ts';
import { CookieAuth } from './cookie-auth.ts';
import { EventHub, eventRoutes, type EventServices } from './routes/events.ts';
import { AuditLog, auditMiddleware, auditRoutes, type AuditServices } from './audit.ts';
import { devicesCsvRoute } from './routes/devices-csv.ts';
import { deviceIdentityRoutes } from './routes/device-identity.ts';
import { compressApi, staticFiles, type StaticOptions } from './static.ts';

export type RouteInstaller = (router: Router, services: AppServices) => void;

/** Optional knobs of the page's side of the API; tests use them to shorten timeouts. */
export interface WebOptions { cookieAuth?: CookieAuth; static?: StaticOptions }

const routers = new WeakMap<object, Router>();

/** The router built for these services (tests enumerate every route from it). */
export function routerFor(services: AppServices): Router | undefined {
  return routers.get(services);
}

export function createApiApp(services: AppServices, log: Logger, extraRoutes: RouteInstaller[] = [], web: WebOptions = {}): { app: Koa; router: Router; events: EventHub; audit: AuditLog; cookieAuth: CookieAuth } {
  const app = new Koa();
  app.proxy = false;
  const router = new Router();
  const extended = services as AppServices & EventServices & AuditServices;
  const events = extended.events ?? new EventHub();
  events.attachRegistry(services.registry);
  events.attachTasks((services as Partial<AppServices>).tasks);
  const audit = extended.audit ?? new AuditLog();
  audit.publisher ??= events;
  if (!audit.durable) log.warn('audit log is in memory only until the store is wired in (services.audit)');
  const cookieAuth = web.cookieAuth ?? new CookieAuth(services);

  coreRoutes(router, services);
  cookieAuth.routes()(router, services);
  eventRoutes(events)(router, services);
  auditRoutes(audit)(router);
  devicesCsvRoute(router, services);
  deviceIdentityRoutes(router, services);
  for (const install of extraRoutes) install(router, services);
  routers.set(services, router);

  app.use(errorMiddleware(log));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Strict-Transport-Security', 'max-age=31536000');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(compressApi());
  app.use(bodyParser({ enableTypes: ['json', 'text'], jsonLimit: '256kb', textLimit: '2mb',
    onError: (err: any) => { throw Object.assign(new Error(`request body could not be read: ${err.message}`), { status: 400, code: 'bad-body', expose: true }); } }));
  app.use(staticFiles({ log, ...web.static }));
  app.use(requireAuth(services, cookieAuth));
  app.use(auditMiddleware(services, audit, log));
  app.use(cookieAuth.loginGuard());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, router, events, audit, cookieAuth };
}
