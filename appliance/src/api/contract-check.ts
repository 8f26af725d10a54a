// Holds the API to its contract (contract/index.ts) while tests run: after a route answers, its JSON answer
// is validated against the route's response schema. A mismatch is a bug on our side, so in check mode it
// becomes a 500 naming the fields (the test that called the route fails); a route with no contract entry
// is logged (test/system/contract.test.ts fails on it). Off in production: answers are built by our code.
import type Koa from 'koa';
import { z } from 'zod';
import { contractFor } from '../contract/index.ts';
import type { Logger } from '../util/log.ts';
import { ApiError } from './errors.ts';

export function contractCheck(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    const template = (ctx as { _matchedRoute?: string })._matchedRoute;
    if (!template || ctx.status >= 300) return;
    const c = contractFor(ctx.method, template);
    if (!c) { log.error({ route: `${ctx.method} ${template}` }, 'route has no contract entry'); return; }
    if (!(c.response instanceof z.ZodType)) return;
    const body = ctx.body;
    if (body === undefined || body === null || typeof body !== 'object' || Buffer.isBuffer(body) || 'pipe' in body) return;
    const r = c.response.safeParse(body);
    if (r.success) return;
    const details = r.error.issues.slice(0, 20).map((i) => ({ field: i.path.join('.') || '(answer)', message: i.message }));
    log.error({ route: `${ctx.method} ${template}`, details }, 'answer does not match the contract');
    throw new ApiError(500, 'contract-violation', `the answer of ${ctx.method} ${template} does not match its contract`, details);
  };
}
