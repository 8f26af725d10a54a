// The Koa application: error mapping, security headers, the page's static files, then the router. Sign-in
// (bearer or cookie + CSRF), the body with its per-route limit, audit of every change and the sign-in
// back-off run inside each route, for the route the router dispatched (route-policy.ts).
// Exposed as a plain Koa app so tests can drive app.callback() without a port (the Koa way).
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from '../util/log.ts';
import { errorMiddleware } from './errors.ts';
import { contractCheck } from './contract-check.ts';
import { accessCheck } from './auth.ts';
import { closeUnreadBodies } from './body.ts';
import { guardRoutes, ROUTER_OPTIONS } from './route-policy.ts';
import type { AppServices } from './services.ts';
import { coreRoutes } from './routes/core.ts';
import { setupRoutes } from './routes/setup.ts';
import { CookieAuth } from './cookie-auth.ts';
import { EventHub, eventRoutes, type EventServices } from './routes/events.ts';
import { AuditLog, auditRoute, auditRoutes, type AuditServices } from './audit.ts';
import { devicesCsvRoute } from './routes/devices-csv.ts';
import { deviceIdentityRoutes } from './routes/device-identity.ts';
import { compressApi, staticFiles, type StaticOptions } from './static.ts';

export type RouteInstaller = (router: Router, services: AppServices) => void;

/** Optional knobs of the page's side of the API; tests use them to shorten timeouts. */
export interface WebOptions {
  cookieAuth?: CookieAuth;
  static?: StaticOptions;
  /** Validate every JSON answer against the contract (tests: INSTANT_ON_CONTRACT_CHECK=1). */
  contractCheck?: boolean;
}

const routers = new WeakMap<object, Router>();

/** The router built for these services (tests enumerate every route from it). */
export function routerFor(services: AppServices): Router | undefined {
  return routers.get(services);
}

export function createApiApp(services: AppServices, log: Logger, extraRoutes: RouteInstaller[] = [], web: WebOptions = {}): { app: Koa; router: Router; events: EventHub; audit: AuditLog; cookieAuth: CookieAuth } {
  const app = new Koa();
  app.proxy = false;
  const router = new Router(ROUTER_OPTIONS);
  const extended = services as AppServices & EventServices & AuditServices;
  const events = extended.events ?? new EventHub();
  events.attachRegistry(services.registry);
  events.attachTasks((services as Partial<AppServices>).tasks);
  const audit = extended.audit ?? new AuditLog();
  audit.publisher ??= events;
  if (!audit.durable) log.warn('audit log is in memory only until the store is wired in (services.audit)');
  const cookieAuth = web.cookieAuth ?? new CookieAuth(services);

  coreRoutes(router, services);
  setupRoutes(router, services);
  cookieAuth.routes()(router, services);
  eventRoutes(events)(router, services);
  auditRoutes(audit)(router);
  devicesCsvRoute(router, services);
  deviceIdentityRoutes(router, services);
  for (const install of extraRoutes) install(router, services);
  guardRoutes(router, { access: accessCheck(cookieAuth), audit: auditRoute(services, audit, log), backoff: () => cookieAuth.backoff() });
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
  app.use(closeUnreadBodies());
  app.use(staticFiles({ log, ...web.static }));
  if (web.contractCheck) app.use(contractCheck(log));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, router, events, audit, cookieAuth };
}
