// Policies, the settings catalog, SNMP credentials, Instant-On settings, manual assessments and tasks
// (issues 4 and 5). Secrets go in and never come out.
import type Router from '@koa/router';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { parseBody, parseQuery } from './core.ts';
import type { AppServices } from '../services.ts';
import { catalogView } from '../../policy/index.ts';
import { guardRefusals } from '../../policy/index.ts';
import { validatePolicy, type Policy } from '../../policy/index.ts';
import { fleetSupport } from '../../policy/index.ts';
import { TEMPLATES } from '../../policy/index.ts';
import { candidates, credentialFacts, CredentialSchema } from '../../snmp/credentials.ts';
import { serialNumberSchema } from '../../protocol/messages.ts';
import { parseEvery, type TaskRecord } from '../../tasks/task.ts';
import { pageTasks } from '../../tasks/task-query.ts';
import { triggerLabel, type TriggerNames } from '../../tasks/trigger-label.ts';
import { cancelAllBody, instantOnPut, taskListQuery } from '../../contract/compliance.ts';
import { MAX_LISTED_SERIALS } from '../../devices/index.ts';

/**
 * A policy from a request, in clear and checked: values against the catalog, `{"set": true}` against the
 * stored policy `id`, and guarded settings against the credentials the appliance would manage the printers with.
 */
async function policyBody(s: AppServices, body: unknown, id?: string): Promise<Policy> {
  const v = validatePolicy(body, { allowKeep: id !== undefined });
  if (!v.ok) throw new ApiError(400, 'invalid-policy', 'the policy is not valid', v.errors);
  const r = s.policies.resolve(id, v.policy);
  if (!r.ok) throw new ApiError(400, 'invalid-policy', 'the policy is not valid', r.errors);
  const facts = { credentials: candidates(await s.credentials.general()).map((c) => credentialFacts(c.credential)) };
  const refused = guardRefusals(r.policy.settings, facts);
  if (refused.length) throw new ApiError(400, 'policy-locks-out', 'the policy could cut this appliance off from the printers', refused);
  return r.policy;
}

const credentialBody = (body: unknown) => {
  const r = CredentialSchema.safeParse(body);
  if (!r.success) throw new ApiError(400, 'invalid-credential', 'the credential is not valid', r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
  return r.data;
};


const assessSchema = z.object({ policyId: z.string().min(1), remediate: z.boolean().default(false) });
const taskSchema = z.object({
  policyId: z.string().min(1), remediate: z.boolean().default(false), serials: z.array(serialNumberSchema).optional(),
  name: z.string().max(100).optional(),
  schedule: z.object({
    kind: z.enum(['once', 'daily', 'weekly', 'monthly', 'every']),
    every: z.string().refine((v) => parseEvery(v) !== null, 'must be d:h:m:s, e.g. 1:0:0:0 (not zero)').optional(),
    startAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO time').optional(),
  }).refine((x) => x.kind !== 'every' || x.every, { message: 'kind every needs every: "d:h:m:s"', path: ['every'] }).optional(),
});

const schedulePatchSchema = z.object({
  name: z.string().min(1).max(100), kind: z.enum(['once', 'daily', 'weekly', 'monthly', 'every']), every: z.string().max(20),
  startAt: z.string().max(40), action: z.object({ type: z.string().min(1).max(40) }).passthrough(),
}).partial().strict();

function deviceSerial(s: AppServices, raw: string) {
  const serial = parseBody(serialNumberSchema, raw);
  if (!s.registry.get(serial)) throw new ApiError(404, 'device-not-found', `no device with serial ${serial}`);
  return serial;
}

function instantOnView(s: AppServices) {
  return { acceptAnnouncements: s.settings.get('acceptAnnouncements'), allowAutomaticRemediation: s.settings.get('allowAutomaticRemediation'),
    initialPolicyId: s.settings.get('initialPolicyId') || null, authentication: s.settings.get('authentication'),
    useSerialList: s.settings.get('useSerialList'), announcePort: s.announcePort?.() ?? s.settings.get('announcePort') };
}

export function complianceRoutes(router: Router, s: AppServices) {
  router.get('/api/v1/catalog', (ctx) => { ctx.body = catalogView(); });
  router.get('/api/v1/catalog/support', (ctx) => { ctx.body = fleetSupport(s.registry.list()); });
  router.get('/api/v1/policy-templates', (ctx) => { ctx.body = { templates: TEMPLATES }; });

  router.get('/api/v1/policies', (ctx) => { ctx.body = { policies: s.policies.list().map((p) => s.policies.view(p)) }; });
  router.post('/api/v1/policies', async (ctx) => {
    const p = await s.policies.create(await policyBody(s, ctx.request.body));
    ctx.status = 201;
    ctx.body = { id: p.id };
  });
  router.get('/api/v1/policies/:id', (ctx) => {
    const p = s.policies.get(ctx.params.id);
    if (!p) throw new ApiError(404, 'policy-not-found', `no policy ${ctx.params.id}`);
    ctx.body = s.policies.view(p);
  });
  router.put('/api/v1/policies/:id', async (ctx) => {
    if (!s.policies.get(ctx.params.id)) throw new ApiError(404, 'policy-not-found', `no policy ${ctx.params.id}`);
    const p = await s.policies.update(ctx.params.id, await policyBody(s, ctx.request.body, ctx.params.id));
    if (!p) throw new ApiError(404, 'policy-not-found', `no policy ${ctx.params.id}`);
    await s.groups?.triggers.policyEdited(p.id); // trigger D: the autogroups that use it remediate their members
    ctx.body = s.policies.view(p);
  });
  router.delete('/api/v1/policies/:id', async (ctx) => {
    const users = s.groups?.groups.usingPolicy(ctx.params.id) ?? [];
    if (users.length) {
      throw new ApiError(409, 'policy-in-use', `the policy of group${users.length > 1 ? 's' : ''} ${users.map((g) => `"${g.name}"`).join(', ')}; give ${users.length > 1 ? 'them' : 'it'} another policy first`,
        users.map((g) => ({ field: 'groupId', message: `used by group "${g.name}" (${g.id})` })));
    }
    if (s.settings.get('initialPolicyId') === ctx.params.id && s.settings.get('allowAutomaticRemediation')) {
      throw new ApiError(409, 'policy-in-use', 'this is the Initial Assessment Policy while automatic remediation is on; choose another first');
    }
    if (!(await s.policies.remove(ctx.params.id))) throw new ApiError(404, 'policy-not-found', `no policy ${ctx.params.id}`);
    ctx.status = 204;
  });

  router.get('/api/v1/credentials', async (ctx) => { ctx.body = await s.credentials.describe(); });
  router.put('/api/v1/credentials/default', async (ctx) => {
    await s.credentials.setDefault(credentialBody(ctx.request.body));
    ctx.body = await s.credentials.describe();
  });
  router.put('/api/v1/credentials/global', async (ctx) => {
    const list = parseBody(z.array(z.unknown()).max(20), ctx.request.body).map(credentialBody);
    await s.credentials.setGlobal(list);
    ctx.body = await s.credentials.describe();
  });
  router.put('/api/v1/devices/:serial/credentials', async (ctx) => {
    const serial = deviceSerial(s, ctx.params.serial);
    await s.credentials.setDevice(serial, credentialBody(ctx.request.body));
    ctx.body = await s.credentials.describe(serial);
  });
  router.delete('/api/v1/devices/:serial/credentials', async (ctx) => {
    const serial = deviceSerial(s, ctx.params.serial);
    await s.credentials.setDevice(serial, undefined);
    ctx.status = 204;
  });

  router.get('/api/v1/instant-on', (ctx) => { ctx.body = instantOnView(s); });
  router.put('/api/v1/instant-on', async (ctx) => {
    const { addManagedToSerialList, ...body } = parseBody(instantOnPut, ctx.request.body);
    const policyId = body.initialPolicyId ?? s.settings.get('initialPolicyId');
    const auto = body.allowAutomaticRemediation ?? s.settings.get('allowAutomaticRemediation');
    if (body.initialPolicyId && !s.policies.get(body.initialPolicyId)) throw new ApiError(400, 'policy-not-found', `no policy ${body.initialPolicyId}`, [{ field: 'initialPolicyId', message: `no policy ${body.initialPolicyId}` }]);
    if (auto && !policyId) throw new ApiError(400, 'no-initial-policy', 'automatic remediation needs an Initial Assessment Policy (initialPolicyId)', [{ field: 'initialPolicyId', message: 'choose the Initial Assessment Policy first' }]);
    const wasAuto = s.settings.get('allowAutomaticRemediation');
    let serialsAdded: number | undefined;
    try {
      const changes = Object.entries(body).map(([k, v]) => s.settings.validateChange(k, v));
      // The managed devices go on the list before the filter is on, so none of them is refused in between.
      if (addManagedToSerialList) {
        const add = s.registry.list().filter((d) => !d.retired && !s.serials.has(d.serialNumber)).map((d) => d.serialNumber);
        if (s.serials.size + add.length > MAX_LISTED_SERIALS) throw new ApiError(409, 'serial-list-full', `adding ${add.length} serials would pass the list's maximum of ${MAX_LISTED_SERIALS}`);
        for (let i = 0; i < add.length; i += 2000) await s.serials.add(add.slice(i, i + 2000));
        serialsAdded = add.length;
      }
      for (const c of changes) await s.saveSetting(c.key, c.value);
    } catch (err: any) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(err.message?.includes('locked') ? 409 : 400, 'invalid-setting', err.message);
    }
    const view = instantOnView(s);
    const turnedOn = body.acceptAnnouncements || body.allowAutomaticRemediation;
    ctx.body = { ...view,
      ...(turnedOn ? { reminder: `Printers announce to TCP port ${view.announcePort} on this appliance: make sure every firewall between them and it allows it.` } : {}),
      ...(body.allowAutomaticRemediation && !wasAuto ? { knownDevices: s.registry.list().filter((d) => !d.retired && d.vendor !== 'other').length } : {}),
      ...(serialsAdded !== undefined ? { serialsAdded } : {}) };
  });

  router.post('/api/v1/devices/:serial/assess', async (ctx) => {
    const serial = deviceSerial(s, ctx.params.serial);
    const body = parseBody(assessSchema, ctx.request.body);
    if (!s.policies.get(body.policyId)) throw new ApiError(400, 'policy-not-found', `no policy ${body.policyId}`);
    const task = await s.tasks.createAssessment(body.policyId, [serial], body.remediate, 'manual');
    ctx.status = 202;
    ctx.body = { taskId: task.id };
  });

  const names: TriggerNames = { schedule: (id) => s.scheduler.get(id)?.name };
  const summary = (t: TaskRecord) => taskSummary(s, t, names);
  router.get('/api/v1/tasks', (ctx) => {
    const q = parseQuery(taskListQuery, ctx.query);
    const all = s.tasks.list();
    const page = pageTasks(all, { type: q.type, state: q.state, level: q.level, parentId: q.parent, q: q.q, limit: q.limit, cursor: q.cursor }, (t) => triggerLabel(t, names));
    // A list leaves out what a task was asked to do (a discovery job may name 10,000 addresses): see /tasks/:id.
    ctx.body = { total: all.length, matched: page.matched, nextCursor: page.nextCursor, stats: s.tasks.stats(),
      tasks: page.tasks.map((t) => { const { params: _p, ...rest } = summary(t); return rest; }) };
  });
  router.post('/api/v1/tasks/cancel', async (ctx) => {
    const body = parseBody(cancelAllBody, ctx.request.body);
    const cancelled = await s.tasks.cancelAll({ type: body.type });
    ctx.body = { cancelled, stats: s.tasks.stats() };
  });
  router.get('/api/v1/tasks/:id', (ctx) => {
    const t = s.tasks.get(ctx.params.id);
    if (!t) throw new ApiError(404, 'task-not-found', `no task ${ctx.params.id}`);
    ctx.body = { ...summary(t), outcomes: t.outcomes };
  });
  router.post('/api/v1/tasks', async (ctx) => {
    const body = parseBody(taskSchema, ctx.request.body);
    if (!s.policies.get(body.policyId)) throw new ApiError(400, 'policy-not-found', `no policy ${body.policyId}`);
    const serials = body.serials ?? s.registry.list().filter((d) => !d.retired).map((d) => d.serialNumber);
    const unknown = serials.filter((x) => !s.registry.get(x));
    if (unknown.length) throw new ApiError(400, 'device-not-found', `unknown serials: ${unknown.slice(0, 10).join(', ')}`);
    if (body.schedule) {
      const sch = await s.scheduler.create({ name: body.name ?? 'Scheduled assessment', kind: body.schedule.kind, every: body.schedule.every,
        startAt: body.schedule.startAt, action: { type: 'assessment', policyId: body.policyId, remediate: body.remediate, serials: body.serials ?? [] } });
      ctx.status = 201;
      ctx.body = { scheduleId: sch.id, nextRunAt: sch.nextRunAt };
      return;
    }
    const t = await s.tasks.createAssessment(body.policyId, serials, body.remediate, 'manual');
    ctx.status = 202;
    ctx.body = { taskId: t.id };
  });
  router.get('/api/v1/schedules', (ctx) => { ctx.body = { schedules: s.scheduler.list() }; });
  router.put('/api/v1/schedules/:id', async (ctx) => {
    const patch = parseBody(schedulePatchSchema, ctx.request.body);
    const sch = await s.scheduler.update(ctx.params.id, patch);
    if (!sch) throw new ApiError(404, 'schedule-not-found', `no schedule ${ctx.params.id}`);
    ctx.body = sch;
  });
  router.delete('/api/v1/schedules/:id', async (ctx) => {
    const sch = await s.scheduler.cancel(ctx.params.id, (id) => s.tasks.cancel(id));
    if (!sch) throw new ApiError(404, 'schedule-not-found', `no schedule ${ctx.params.id}`);
    ctx.body = sch;
  });
  router.delete('/api/v1/tasks/:id', async (ctx) => {
    // A schedule id is accepted here too: cancelling a scheduled task stops the schedule.
    if (s.scheduler.get(ctx.params.id)) { ctx.body = await s.scheduler.cancel(ctx.params.id, (id) => s.tasks.cancel(id)); return; }
    const t = await s.tasks.cancel(ctx.params.id);
    if (!t) throw new ApiError(404, 'task-not-found', `no task ${ctx.params.id}`);
    ctx.body = summary(t);
  });
}

function taskSummary(s: AppServices, t: TaskRecord, names: TriggerNames) {
  const { outcomes, ...rest } = t;
  // Kinds with their own progress (discovery: addresses) count that; assessments count devices.
  let done = t.progress?.done ?? Object.keys(outcomes).length;
  const children = s.tasks.childCounts(t);
  // A parent's outcomes are merged when its parts end; while they run, count the parts' devices.
  if (t.childIds?.length && !t.progress) done = t.childIds.reduce((n, id) => n + Object.keys(s.tasks.get(id)?.outcomes ?? {}).length, 0);
  return { ...rest, triggerLabel: triggerLabel(t, names), done, total: t.progress?.total ?? t.serials.length, ...(children ? { children } : {}) };
}
