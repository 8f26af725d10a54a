// Groups and autogroups (issue 15): CRUD, members, the editor's live preview, group assessments now or on
// a schedule. Bad input is a 400 naming the field (filter.all.0.op, priority, policyId…); the group room
// decides, these routes only translate.
import type Router from '@koa/router';
import { groups as groupContract } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { parseBody } from './core.ts';
import type { AppServices } from '../services.ts';
import { GroupError, FILTER_FIELDS, FILTER_OPS, FILTER_LIMITS, assessGroup, issuesOf, type GroupRecord } from '../../autogroups/index.ts';
import type { Device } from '../../devices/device.ts';

const previewSchema = groupContract.previewPost;
const assessSchema = groupContract.assessPost;

function service(s: AppServices) {
  if (!s.groups) throw new ApiError(503, 'groups-unavailable', 'groups are not running on this appliance');
  return s.groups;
}

/** GroupError → ApiError, so the answer carries the field names. */
async function answer<T>(fn: () => T | Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) {
    if (err instanceof GroupError) throw new ApiError(err.status, err.code, err.message, err.details);
    throw err;
  }
}

function groupBody(body: unknown) {
  const r = groupContract.groupInput.safeParse(body);
  if (!r.success) throw new ApiError(400, 'invalid-group', 'the group is not valid', issuesOf(r.error));
  return r.data;
}

const deviceSummary = (d: Device) => ({ serialNumber: d.serialNumber, model: d.model, ipv4: d.ipv4, hostname: d.hostname, firmware: d.firmware,
  compliance: d.compliance?.status ?? null, foundBy: Object.keys(d.foundBy ?? {}) });

export function groupRoutes(router: Router, s: AppServices) {
  const view = (g: GroupRecord) => ({ ...g, memberCount: service(s).groups.memberCount(g.id), policyName: g.policyId ? s.policies.get(g.policyId)?.name ?? null : null });

  router.get('/api/v1/groups', (ctx) => {
    const { groups, triggers } = service(s);
    const next = triggers.nextRefreshAt();
    ctx.body = { groups: groups.list().map(view), refresh: { ...triggers.stats, nextRunAt: next ? new Date(next).toISOString() : null } };
  });
  router.get('/api/v1/groups/fields', (ctx) => { ctx.body = { fields: FILTER_FIELDS, ops: FILTER_OPS, limits: FILTER_LIMITS }; });
  router.post('/api/v1/groups/preview', async (ctx) => {
    const body = parseBody(previewSchema, ctx.request.body);
    const r = await answer(() => service(s).groups.preview(body.filter, body.limit ?? 20));
    ctx.body = { count: r.count, members: r.members.map(deviceSummary) };
  });
  router.post('/api/v1/groups', async (ctx) => {
    const g = await answer(() => service(s).groups.create(groupBody(ctx.request.body)));
    ctx.status = 201;
    ctx.body = view(g);
  });
  router.get('/api/v1/groups/:id', async (ctx) => {
    const g = service(s).groups.get(ctx.params.id);
    if (!g) throw new ApiError(404, 'group-not-found', `no group ${ctx.params.id}`);
    ctx.body = view(g);
  });
  router.put('/api/v1/groups/:id', async (ctx) => {
    const g = await answer(() => service(s).groups.update(ctx.params.id, groupBody(ctx.request.body)));
    ctx.body = view(g);
  });
  router.delete('/api/v1/groups/:id', async (ctx) => {
    await answer(() => service(s).groups.remove(ctx.params.id));
    ctx.status = 204;
  });
  router.get('/api/v1/groups/:id/members', async (ctx) => {
    const offset = Math.max(0, Number(ctx.query.offset ?? 0) || 0);
    const limit = Math.min(Math.max(1, Number(ctx.query.limit ?? 100) || 100), 1000);
    const r = await answer(() => service(s).groups.members(ctx.params.id, offset, limit));
    ctx.body = { total: r.total, offset, members: r.members.map((m) => ({ ...deviceSummary(m.device), joinedAt: m.joinedAt })) };
  });
  router.post('/api/v1/groups/:id/assess', async (ctx) => {
    const body = parseBody(assessSchema, ctx.request.body ?? {});
    const { groups } = service(s);
    const g = groups.get(ctx.params.id);
    if (!g) throw new ApiError(404, 'group-not-found', `no group ${ctx.params.id}`);
    if (body.schedule) {
      const sch = await s.scheduler.create({ name: body.name ?? `Assess group ${g.name}`, kind: body.schedule.kind, every: body.schedule.every, startAt: body.schedule.startAt,
        action: { type: 'group-assessment', groupId: g.id, remediate: body.remediate, ...(body.policyId ? { policyId: body.policyId } : {}) } });
      ctx.status = 201;
      ctx.body = { scheduleId: sch.id, nextRunAt: sch.nextRunAt };
      return;
    }
    const task = await answer(() => assessGroup(groups, s.tasks, g.id, { policyId: body.policyId, remediate: body.remediate, policyExists: (id) => !!s.policies.get(id) }));
    ctx.status = 202;
    ctx.body = { taskId: task.id };
  });
}
