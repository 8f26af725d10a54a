// Discovery (issue 14): start a sweep or add printers by address (a list, or an uploaded text/CSV file),
// schedule sweeps, and read the last results. Bad input is a 400 naming the field (targets[i]) or the line
// of the upload, and nothing is stored or started.
import type Router from '@koa/router';
import * as contract from '../../contract/discovery.ts';
import { ApiError } from '../errors.ts';
import { parseBody } from './core.ts';
import type { AppServices } from '../services.ts';
import type { Checked, Discovery } from '../../discovery/index.ts';
import type { TaskRecord } from '../../tasks/task.ts';

// The request schemas are the API contract's (contract/discovery.ts).
const startSchema = contract.start;
const scheduleSchema = contract.schedulePost;
const uploadQuery = contract.uploadQuery;

function service(s: AppServices): Discovery {
  if (!s.discovery) throw new ApiError(503, 'discovery-unavailable', 'discovery is not running on this appliance');
  return s.discovery;
}

function refuse(c: Extract<Checked, { ok: false }>): never {
  const first = c.errors[0];
  const more = c.errors.length > 1 ? ` (and ${c.errors.length - 1} more)` : '';
  throw new ApiError(400, c.code, `${first.field === 'targets' || first.message.startsWith('line ') ? '' : `${first.field}: `}${first.message}${more}`, c.errors);
}

/** A discovery task as the page shows it: counts, what was found, and the bounded lists of the rest. */
function view(t: TaskRecord) {
  const { outcomes, params, ...rest } = t;
  const p = params as { targets?: string[]; snmpPort?: number; after?: unknown } | undefined;
  return { ...rest, targets: p?.targets?.slice(0, 50), targetCount: p?.targets?.length ?? 0, snmpPort: p?.snmpPort, assess: p?.after,
    done: t.progress?.done ?? 0, total: t.progress?.total ?? 0,
    found: Object.entries(outcomes).slice(0, 500).map(([serial, o]) => ({ serial, status: o.status, at: o.at, detail: o.detail })) };
}

export function discoveryRoutes(router: Router, s: AppServices) {
  router.post('/api/v1/discovery', async (ctx) => {
    const body = parseBody(startSchema, ctx.request.body);
    const d = service(s);
    const checked = await d.check(body);
    if (!checked.ok) refuse(checked);
    const task = await d.start(checked);
    ctx.status = 202;
    ctx.body = { taskId: task.id, addresses: checked.total };
  });

  // The body is the file itself (text/plain or text/csv); options ride in the query string.
  router.post('/api/v1/discovery/upload', async (ctx) => {
    const q = parseBody(uploadQuery, ctx.query);
    const text = typeof ctx.request.body === 'string' ? ctx.request.body : undefined;
    if (text === undefined) throw new ApiError(400, 'invalid-upload', 'send the list as the request body with Content-Type text/plain (one address or host name per line, or CSV)', [{ field: '(body)', message: 'expected text' }]);
    const d = service(s);
    const checked = await d.checkUpload(text, { snmpPort: q.snmpPort, assess: q.policyId ? { policyId: q.policyId, remediate: q.remediate === 'true' } : undefined });
    if (!checked.ok) refuse(checked);
    const task = await d.start(checked);
    ctx.status = 202;
    ctx.body = { taskId: task.id, addresses: checked.total, targets: checked.params.targets.length };
  });

  router.get('/api/v1/discovery', (ctx) => {
    const limit = Math.min(Math.max(Number(ctx.query.limit ?? 10) || 10, 1), 100);
    ctx.body = {
      settings: { rate: s.settings.get('discoveryRate'), concurrency: s.settings.get('discoveryConcurrency'), timeoutMs: s.settings.get('discoveryTimeoutMs'),
        retries: s.settings.get('discoveryRetries'), maxAddresses: s.settings.get('discoveryMaxAddresses') },
      tasks: service(s).recent(limit).map(view),
    };
  });

  router.get('/api/v1/discovery/schedules', (ctx) => {
    ctx.body = { schedules: s.scheduler.list().filter((x) => x.action.type === 'discovery') };
  });

  router.post('/api/v1/discovery/schedules', async (ctx) => {
    const body = parseBody(scheduleSchema, ctx.request.body);
    // The same checks as a one-off job (host names must resolve now); each run resolves them again.
    const checked = await service(s).check(body);
    if (!checked.ok) refuse(checked);
    const sch = await s.scheduler.create({ name: body.name, kind: body.kind, every: body.every, startAt: body.startAt,
      action: { type: 'discovery', targets: body.targets, snmpPort: body.snmpPort, ...(body.assess ? { assess: body.assess } : {}) } });
    ctx.status = 201;
    ctx.body = sch;
  });

  router.delete('/api/v1/discovery/schedules/:id', async (ctx) => {
    const found = s.scheduler.get(ctx.params.id);
    if (!found || found.action.type !== 'discovery') throw new ApiError(404, 'schedule-not-found', `no discovery schedule ${ctx.params.id}`);
    ctx.body = await s.scheduler.cancel(ctx.params.id, (id) => s.tasks.cancel(id));
  });
}
