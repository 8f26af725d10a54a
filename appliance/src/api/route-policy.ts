// One decision per request: who may call a route, how big its body may be, whether it is audited and whether
// it checks a password (sign-in back-off) are decided for the route the router actually dispatches, by
// middleware placed inside that route (after the router matched it), never by looking at the request path
// a second time. The router is strict and case-sensitive, so `/API/v1/settings`, `/api/v1/settings/`,
// `/api//v1/settings`, `/api/v1/./settings` or `/api/v1/%73ettings` match no route at all (404), and every
// spelling that does match gets exactly the checks of the route it reaches.
import type Koa from 'koa';
import type Router from '@koa/router';
import { readBody, type BodyRule } from './body.ts';
import { MAX_PKI_INPUT } from '../pki/index.ts';

export type Access = 'public' | 'optional' | 'signed-in';

export interface RoutePolicy {
  /** `public`: no sign-in; `optional`: no sign-in, but a signed-in caller is recognised (health details). */
  access: Access;
  body: BodyRule;
  /** The route checks a password: the sign-in back-off applies (per source address and per user). */
  checksPassword?: boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Bodies of routes not named below: JSON up to this size. */
export const DEFAULT_JSON_LIMIT = 64 * KiB;
/** The serial-number list is streamed line by line (never held whole), so it may be large. */
export const SERIAL_LIST_LIMIT = 16 * MiB;

const json = (limit: number): BodyRule => ({ kind: 'json', limit });
const pem = (limit: number): BodyRule => ({ kind: 'pem', limit });

/** Keyed by `METHOD /route/template` exactly as registered with the router. */
const POLICIES: Record<string, Partial<RoutePolicy>> = {
  'GET /api/v1/health': { access: 'optional' },
  // Only while the first-start password file exists: where it is, for the sign-in help (null afterwards).
  'GET /api/v1/first-start': { access: 'public' },
  'POST /api/v1/login': { access: 'public', body: json(4 * KiB), checksPassword: true },
  'POST /api/v1/session': { access: 'public', body: json(4 * KiB), checksPassword: true },
  'POST /api/v1/password': { body: json(4 * KiB), checksPassword: true },
  'PUT /api/v1/settings': { body: json(64 * KiB) },
  'POST /api/v1/policies': { body: json(256 * KiB) },
  'PUT /api/v1/policies/:id': { body: json(256 * KiB) },
  'PUT /api/v1/credentials/default': { body: json(16 * KiB) },
  'PUT /api/v1/credentials/global': { body: json(64 * KiB) },
  'PUT /api/v1/devices/:serial/credentials': { body: json(16 * KiB) },
  // A task may name every device of a large branch (10,000 serials of up to 32 characters).
  'POST /api/v1/tasks': { body: json(1 * MiB) },
  'POST /api/v1/pki/trusted-cas': { body: pem(1 * MiB) },
  // The PKI parser's own bound: a larger CRL would pass this door only to be refused by the parser.
  'POST /api/v1/pki/crls': { body: pem(MAX_PKI_INPUT) },
  'PUT /api/v1/pki/identity': { body: pem(256 * KiB) },
  'POST /api/v1/pki/device-certificates': { body: pem(64 * KiB) },
  'POST /api/v1/serial-list': { body: { kind: 'stream', limit: SERIAL_LIST_LIMIT } },
  // Discovery: up to 10,000 targets of up to 255 characters; an uploaded list of up to 10,000 lines.
  'POST /api/v1/discovery': { body: json(1 * MiB) },
  'POST /api/v1/discovery/schedules': { body: json(1 * MiB) },
  'POST /api/v1/discovery/upload': { body: { kind: 'text', limit: 2 * MiB } },
  // Backups: the archive comes in as the body (read in bounded chunks by the route); the passphrase in a header.
  'POST /api/v1/backup': { body: json(4 * KiB) },
  'POST /api/v1/restore': { body: { kind: 'stream', limit: 64 * MiB, types: ['application/gzip', 'application/x-gzip', 'application/octet-stream'] } },
  'PUT /api/v1/backup/passphrase': { body: json(4 * KiB) },
  // Prometheus scrapers: the route checks its own bearer token or allow list (metrics/access.ts).
  'GET /metrics': { access: 'public' },
};

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The policy of one route (HEAD is GET's). Routes not in the table: signed-in, JSON up to 64 KiB. */
export function policyFor(method: string, template: string): RoutePolicy {
  const m = method === 'HEAD' ? 'GET' : method;
  const p = POLICIES[`${m} ${template}`] ?? {};
  return {
    access: p.access ?? 'signed-in',
    body: p.body ?? (BODYLESS.has(m) ? { kind: 'none', limit: 0 } : json(DEFAULT_JSON_LIMIT)),
    checksPassword: p.checksPassword ?? false,
  };
}

/** The checks a route runs before its handler, in order; built once per route and method. */
export interface RouteGuards {
  /** Decides who is calling (throws 401/403 for signed-in routes). */
  access(policy: RoutePolicy): Koa.Middleware;
  /** Records the change (non-GET routes) in the audit log, with the route template. */
  audit(template: string): Koa.Middleware;
  /** The sign-in back-off (routes that check a password). */
  backoff(template: string): Koa.Middleware;
}

/** Strict (no trailing-slash match) and case-sensitive: a path matches a route only as registered. */
export const ROUTER_OPTIONS = { strict: true, sensitive: true } as const;

/**
 * Puts the guards in front of every route's handlers. Call after all routes are registered; a route added
 * later through the same router gets them too when this runs at the end of app assembly. Each route's
 * layer gets one dispatcher that picks the guards by the request method (a layer holds GET and HEAD).
 */
export function guardRoutes(router: Router, guards: RouteGuards): void {
  for (const layer of router.stack as any[]) {
    if (!layer.methods?.length || typeof layer.path !== 'string' || layer.guarded) continue;
    const template: string = layer.path;
    const chains = new Map<string, Koa.Middleware[]>();
    for (const method of layer.methods as string[]) {
      const policy = policyFor(method, template);
      const chain = [guards.access(policy), readBody(policy.body)];
      if (!READ_ONLY.has(method)) chain.push(guards.audit(template));
      if (policy.checksPassword) chain.push(guards.backoff(template));
      chains.set(method, chain);
    }
    const dispatch: Koa.Middleware = (ctx, next) => {
      const chain = chains.get(ctx.method);
      // The router only runs a layer for a method it holds; anything else is refused, never waved through.
      if (!chain) { ctx.throw(405); return; }
      let i = 0;
      const step = (): Promise<unknown> => (i < chain.length ? Promise.resolve(chain[i++](ctx, step)) : next());
      return step();
    };
    layer.stack.unshift(dispatch);
    layer.guarded = true;
  }
}
