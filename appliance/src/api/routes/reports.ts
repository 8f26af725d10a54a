// Compliance reports (issue 16 §1): GET /api/v1/reports/compliance[.csv|.pdf]?from=&to=&policyId=&groupId=
// (CSV: &rows=devices|changes). Bad input is a 400 naming the field; a period in the future is bad input.
import type Router from '@koa/router';
import type Koa from 'koa';
import { ApiError } from '../errors.ts';
import type { AppServices } from '../services.ts';
import { parsePeriod, PeriodError, ReportError, type ComplianceReports, type ReportQuery } from '../../reports/index.ts';
import { parseBody } from './core.ts';

export { reportQuery as reportQuerySchema } from '../../contract/operations.ts';
import { reportQuery as reportQuerySchema, reportMailPost } from '../../contract/operations.ts';

function reports(s: AppServices): ComplianceReports {
  if (!s.reports) throw new ApiError(503, 'reports-unavailable', 'reports are not running on this appliance');
  return s.reports;
}

function query(ctx: Koa.Context): ReportQuery & { rows: 'devices' | 'changes' } {
  const q = parseBody(reportQuerySchema, ctx.query);
  try {
    return { ...parsePeriod(q), policyId: q.policyId, groupId: q.groupId, rows: q.rows };
  } catch (err) {
    if (err instanceof PeriodError) throw new ApiError(400, 'invalid-period', err.message, [{ field: err.field, message: err.message }]);
    throw err;
  }
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ReportError) throw new ApiError(400, err.code, err.message, [{ field: err.field, message: err.message }]);
    throw err;
  }
}

const fileName = (q: ReportQuery, ext: string, rows = '') => `compliance-${q.from.slice(0, 10)}-to-${q.to.slice(0, 10)}${rows ? `-${rows}` : ''}.${ext}`;

export function reportRoutes(router: Router, s: AppServices) {
  router.get('/api/v1/reports/compliance', async (ctx) => {
    const q = query(ctx);
    ctx.body = await guarded(() => reports(s).build(q));
  });

  router.get('/api/v1/reports/compliance.csv', async (ctx) => {
    const q = query(ctx);
    const body = await guarded(() => reports(s).csv(q, q.rows));
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="${fileName(q, 'csv', q.rows)}"`);
    ctx.body = body;
  });

  router.get('/api/v1/reports/compliance.pdf', async (ctx) => {
    const q = query(ctx);
    const pdf = await guarded(() => reports(s).pdf(q));
    ctx.set('Content-Type', 'application/pdf');
    ctx.set('Content-Disposition', `attachment; filename="${fileName(q, 'pdf')}"`);
    ctx.body = pdf;
  });

  router.get('/api/v1/reports/mail', (ctx) => {
    if (!s.reportMailer) throw new ApiError(503, 'report-mail-unavailable', 'e-mailed reports are not available on this appliance');
    ctx.body = s.reportMailer.status();
  });

  router.post('/api/v1/reports/mail', async (ctx) => {
    if (!s.reportMailer) throw new ApiError(503, 'report-mail-unavailable', 'e-mailed reports are not available on this appliance');
    const body = parseBody(reportMailPost, ctx.request.body);
    const r = await s.reportMailer.sendNow(body.to);
    if (r.error) throw new ApiError(502, 'report-mail-failed', `the report could not be e-mailed: ${r.error}`);
    ctx.body = r;
  });
}
