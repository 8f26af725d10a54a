// Login, health, devices and settings: the routes of the foundation.
import Router from '@koa/router';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { verifyPassword } from '../users.ts';
import type { AppServices } from '../services.ts';
import { serialNumberSchema } from '../../protocol/messages.ts';
import { CursorError, DeviceIndex, type Device } from '../../devices/index.ts';
import { deviceListQuery } from '../../contract/devices.ts';
import { identityView } from '../../devices/identity.ts';
import { triggerLabel } from '../../tasks/trigger-label.ts';
import { SETTING_GROUPS } from '../../config/index.ts';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** A query string checked like a body: a 400 naming the parameter. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const r = schema.safeParse(query);
  if (!r.success) {
    throw new ApiError(400, 'invalid-query', 'the query is not valid',
      r.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message })));
  }
  return r.data;
}

/** A device as lists show it: its last assessment summed up (which settings differ), its groups, its rate. */
function listItem(s: AppServices, d: Device) {
  const { compliance, ...rest } = d;
  const summary = compliance && (({ settings, ...c }) => ({ ...c, nonCompliant: settings.filter((x) => !x.compliant).map((x) => x.id), changed: settings.filter((x) => x.changed).length }))(compliance);
  return { ...rest, ...(summary ? { compliance: summary } : {}), announcing: s.announceRate.view(d.serialNumber),
    groups: s.groups?.groups.index.groupsOf(d.serialNumber).map((g) => ({ id: g.id, name: g.name })) ?? [] };
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    throw new ApiError(400, 'invalid-body', 'the request body is not valid',
      r.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
  }
  return r.data;
}

/** `degraded` when any component reports a problem (services.healthProblems); the problems themselves. */
export function healthOf(s: AppServices): { status: 'ok' | 'degraded'; problems: string[] } {
  let problems: string[];
  try { problems = s.healthProblems?.() ?? []; } catch (err: any) { problems = [`health check failed: ${String(err?.message ?? err)}`]; }
  return { status: problems.length ? 'degraded' : 'ok', problems };
}

export function coreRoutes(router: Router, s: AppServices) {
  // Anyone may ask whether the appliance is well (monitoring, the image's boot test); only a signed-in
  // caller learns more (version, uptime, device count, what is wrong), so the LAN is not told what runs here.
  router.get('/api/v1/health', (ctx) => {
    const health = healthOf(s);
    ctx.body = ctx.state.auth
      ? { ...health, version: s.version, uptimeSeconds: Math.round((Date.now() - s.startedAt.getTime()) / 1000), devices: s.registry.size }
      : { status: health.status };
  });

  router.post('/api/v1/login', async (ctx) => {
    const { username, password } = parseBody(loginSchema, ctx.request.body);
    const user = await s.users.get(username);
    if (!user || !(await verifyPassword(user, password))) throw new ApiError(401, 'bad-credentials', 'wrong user name or password');
    const session = await s.sessions.create(username);
    ctx.body = { token: session.token, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  router.post('/api/v1/logout', async (ctx) => {
    await s.sessions.revoke(ctx.state.auth.token);
    ctx.status = 204;
  });

  const index = new DeviceIndex(s.registry);
  router.get('/api/v1/devices', (ctx) => {
    const q = parseQuery(deviceListQuery, ctx.query);
    const dir = q.dir ?? (q.sort === 'lastSeen' || q.sort === 'firstSeen' ? 'desc' : 'asc');
    let page;
    try { page = index.query({ ...q, dir }); } catch (err) {
      if (err instanceof CursorError) throw new ApiError(400, 'invalid-cursor', err.message, [{ field: 'cursor', message: err.message }]);
      throw err;
    }
    ctx.body = { total: page.total, matched: page.matched, nextCursor: page.nextCursor, ...(q.counts === '1' ? { counts: index.counts() } : {}),
      devices: page.devices.map((d) => listItem(s, d)) };
  });

  router.get('/api/v1/devices/:serial', async (ctx) => {
    const serial = parseBody(serialNumberSchema, ctx.params.serial);
    const device = s.registry.get(serial);
    if (!device) throw new ApiError(404, 'device-not-found', `no device with serial ${serial}`);
    ctx.body = { ...device, announcing: s.announceRate.view(serial), identity: identityView(device, s.settings.get('strictDeviceIdentity')),
      ...(s.groups?.groups.deviceView(serial) ?? { groups: [], groupPolicy: null }), history: (await s.registry.history(serial)).map((e) => (e.assessment?.trigger
        ? { ...e, assessment: { ...e.assessment, triggerLabel: triggerLabel({ trigger: e.assessment.trigger, groupName: e.assessment.groupName }, { schedule: (id) => s.scheduler.get(id)?.name }) } } : e)) };
  });

  router.get('/api/v1/settings', (ctx) => {
    ctx.body = { settings: s.settings.describe(), groups: SETTING_GROUPS };
  });

  router.put('/api/v1/settings', async (ctx) => {
    const body = parseBody(z.record(z.string(), z.unknown()), ctx.request.body);
    // Validate all first, so a bad value in the request changes nothing (a SettingsError maps to 400/409).
    const changes = Object.entries(body).map(([k, v]) => s.settings.validateChange(k, v));
    for (const c of changes) await s.saveSetting(c.key, c.value);
    const pending = new Set(s.settings.pendingRestart());
    ctx.body = { settings: s.settings.describe(), restartNeeded: changes.map((c) => c.key).filter((k) => pending.has(k)) };
  });

  router.get('/api/v1/captures', async (ctx) => {
    ctx.body = { enabled: s.settings.get('captureUnknownFraming'), captures: await s.captures() };
  });

  router.get('/api/v1/dns/check', async (ctx) => {
    ctx.body = await s.dnsCheck();
  });

  router.get('/api/v1/status', (ctx) => {
    ctx.body = { ...s.stats(), health: healthOf(s) };
  });

  // The store's damage report stays (and health stays degraded) until an admin has read it.
  router.post('/api/v1/status/store/acknowledge-damage', async (ctx) => {
    const done = await s.store?.acknowledgeDamage(ctx.state.auth?.username ?? 'admin');
    if (!done) throw new ApiError(409, 'no-damage', 'there is no unacknowledged store damage report');
    ctx.body = { acknowledged: true };
  });
}
