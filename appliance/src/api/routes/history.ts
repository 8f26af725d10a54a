// Stored history for the dashboard (issue 16 §6): announcements per hour or day and the compliance trend,
// read from the hourly records on disk (they survive restarts).
import type Router from '@koa/router';
import { ApiError } from '../errors.ts';
import type { AppServices } from '../services.ts';
import { parseBody } from './core.ts';

const HOUR = 3600_000;
const EARLIEST = Date.UTC(2000, 0, 1);
const MAX_POINTS = { hour: 24 * 31, day: 400 } as const;

export { historyQuery as historyQuerySchema } from '../../contract/operations.ts';
import { historyQuery as historyQuerySchema } from '../../contract/operations.ts';

export function historyRoutes(router: Router, s: AppServices) {
  router.get('/api/v1/stats/history', async (ctx) => {
    if (!s.history) throw new ApiError(503, 'history-unavailable', 'stored history is not running on this appliance');
    const q = parseBody(historyQuerySchema, ctx.query);
    const to = q.to ? Date.parse(q.to) : Date.now();
    const from = q.from ? Date.parse(q.from) : to - (q.step === 'hour' ? 23 * HOUR : 29 * 24 * HOUR);
    // Times a Date cannot step back from (to=-271821-04-20 made from invalid: a 500) are not history anyway.
    for (const [field, ms] of [['from', from], ['to', to]] as const) {
      if (ms < EARLIEST) throw new ApiError(400, 'invalid-query', `${field} must be in the year 2000 or later`, [{ field, message: 'must be in the year 2000 or later' }]);
    }
    if (from > to) throw new ApiError(400, 'invalid-query', 'from is after to', [{ field: 'from', message: 'must not be after to' }]);
    const points = Math.floor((to - from) / (q.step === 'hour' ? HOUR : 24 * HOUR)) + 1;
    if (points > MAX_POINTS[q.step]) {
      throw new ApiError(400, 'invalid-query', `at most ${MAX_POINTS[q.step]} points per request (asked ${points}); use step=day or a shorter period`,
        [{ field: 'from', message: 'period too long for this step' }]);
    }
    ctx.body = { step: q.step, points: await s.history.series(from, to, q.step) };
  });
}
