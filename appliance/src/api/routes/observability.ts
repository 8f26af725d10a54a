// Observability (issue 16 items 2–4): alerts and their e-mail subscriptions, syslog status, and GET /metrics.
// /metrics sits outside /api/ (where scrapers expect it) and does its own access check: a bearer token or an
// allowed source address (metrics/access.ts).
import type Router from '@koa/router';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { parseBody } from './core.ts';
import type { AppServices } from '../services.ts';
import { ALERT_KINDS, alertKinds, type AlertCenter, type AlertMailer } from '../../alerts/index.ts';
import { observability } from '../../contract/index.ts';
import type { SyslogForwarder } from '../../syslog/forwarder.ts';
import type { ApplianceMetrics } from '../../metrics/metrics.ts';
import { checkMetricsAccess, type MetricsAccess } from '../../metrics/access.ts';

export interface ObservabilityApi {
  alerts: AlertCenter;
  mailer: AlertMailer;
  syslog: SyslogForwarder;
  metrics: ApplianceMetrics;
  metricsAccess: MetricsAccess;
  /** Looks at every polled alert condition now (disk, certificates, forwarding, syslog, …). */
  checkNow(): Promise<void>;
  /** Sends a test message to every syslog target. */
  syslogTest(by: string): void;
}

function query<T>(schema: z.ZodType<T>, q: unknown): T {
  const r = schema.safeParse(q);
  if (!r.success) throw new ApiError(400, 'invalid-query', 'the query is not valid', r.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message })));
  return r.data;
}

export function observabilityRoutes(ops: ObservabilityApi) {
  return (router: Router, _s: AppServices) => {
    router.get('/api/v1/alerts', async (ctx) => {
      const q = query(observability.alertListQuery, ctx.query);
      const kind = q.kind;
      ctx.body = { summary: ops.alerts.summary(), alerts: await ops.alerts.history({ kind, state: q.state === 'all' ? undefined : q.state, limit: q.limit, before: q.before }) };
    });
    router.get('/api/v1/alerts/summary', (ctx) => {
      const kinds = ops.alerts.summary();
      ctx.body = { open: kinds.reduce((a, k) => a + k.open, 0), kinds };
    });
    router.get('/api/v1/alerts/kinds', (ctx) => {
      ctx.body = { kinds: alertKinds.map((k) => ({ kind: k, ...ALERT_KINDS[k] })) };
    });
    router.post('/api/v1/alerts/check', async (ctx) => {
      await ops.checkNow();
      ctx.body = { open: ops.alerts.summary().reduce((a, k) => a + k.open, 0), kinds: ops.alerts.summary() };
    });
    router.post('/api/v1/alerts/:id/resolve', (ctx) => {
      const id = String(ctx.params.id).slice(0, 100);
      const done = ops.alerts.resolveById(id, ctx.state.auth?.username ?? 'admin');
      if (!done) throw new ApiError(404, 'alert-not-found', `no open alert ${id}`);
      ctx.body = done;
    });

    router.get('/api/v1/alerts/subscriptions', (ctx) => { ctx.body = { subscriptions: ops.mailer.subscriptions() }; });
    router.put('/api/v1/alerts/subscriptions', async (ctx) => {
      const body = parseBody(observability.subscriptionsPut, ctx.request.body);
      ctx.body = { subscriptions: await ops.mailer.setSubscriptions(body.subscriptions) };
    });
    router.get('/api/v1/alerts/mail', (ctx) => { ctx.body = ops.mailer.view(); });
    router.post('/api/v1/alerts/mail/test', async (ctx) => {
      const { to } = parseBody(observability.mailTest, ctx.request.body);
      const error = await ops.mailer.sendTest(to);
      if (error) throw new ApiError(502, 'mail-failed', `the mail server did not take the message: ${error}`);
      ctx.body = { ok: true, to };
    });
    router.post('/api/v1/alerts/mail/flush', async (ctx) => {
      await ops.mailer.flush();
      ctx.body = ops.mailer.view();
    });

    router.get('/api/v1/syslog', (ctx) => { ctx.body = { targets: ops.syslog.status() }; });
    router.post('/api/v1/syslog/test', (ctx) => {
      ops.syslogTest(ctx.state.auth?.username ?? 'admin');
      ctx.body = { queued: ops.syslog.status().map((t) => t.target) };
    });

    router.get('/metrics', async (ctx) => {
      const access = checkMetricsAccess(ops.metricsAccess, ctx.get('authorization') || undefined, ctx.ip);
      if (!access.ok) {
        ctx.set('WWW-Authenticate', 'Bearer realm="instant-on-edge metrics"');
        throw new ApiError(access.status, access.code, access.message);
      }
      const { contentType, body } = await ops.metrics.text();
      ctx.type = contentType;
      ctx.body = body;
    });
  };
}
