// Secondary listeners (issue 8): GET/POST/PUT/DELETE /api/v1/listeners, each with its status (last success,
// backlog, last error), and GET /api/v1/forwarding for the outbox as a whole (caps, drops, alerts).
import type Router from '@koa/router';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { parseBody } from './core.ts';
import type { AppServices } from '../services.ts';
import { listenerInputSchema, listenerPatchSchema } from '../../forward/listener-config.ts';
import type { Forwarder } from '../../forward/forwarder.ts';

const idSchema = z.string().uuid();

function forwarding(s: AppServices): Forwarder {
  const f = (s as AppServices & { forwarding?: Forwarder }).forwarding;
  if (!f) throw new ApiError(503, 'forwarding-unavailable', 'forwarding is not running on this appliance');
  return f;
}

function listenerId(raw: string): string {
  const r = idSchema.safeParse(raw);
  if (!r.success) throw new ApiError(404, 'listener-not-found', `no secondary listener ${raw.slice(0, 64)}`);
  return r.data;
}

export function forwardingRoutes(router: Router, s: AppServices) {
  router.get('/api/v1/listeners', (ctx) => { ctx.body = { listeners: forwarding(s).list() }; });
  router.get('/api/v1/listeners/:id', (ctx) => {
    const l = forwarding(s).get(listenerId(ctx.params.id));
    if (!l) throw new ApiError(404, 'listener-not-found', `no secondary listener ${ctx.params.id}`);
    ctx.body = l;
  });
  router.post('/api/v1/listeners', async (ctx) => {
    const l = await forwarding(s).create(parseBody(listenerInputSchema, ctx.request.body));
    ctx.status = 201;
    ctx.body = { id: l.id };
  });
  router.put('/api/v1/listeners/:id', async (ctx) => {
    const id = listenerId(ctx.params.id);
    const l = await forwarding(s).update(id, parseBody(listenerPatchSchema, ctx.request.body));
    if (!l) throw new ApiError(404, 'listener-not-found', `no secondary listener ${id}`);
    ctx.body = l;
  });
  router.delete('/api/v1/listeners/:id', async (ctx) => {
    const id = listenerId(ctx.params.id);
    if (!(await forwarding(s).remove(id))) throw new ApiError(404, 'listener-not-found', `no secondary listener ${id}`);
    ctx.status = 204;
  });
  router.get('/api/v1/forwarding', (ctx) => { ctx.body = forwarding(s).stats(); });
}
