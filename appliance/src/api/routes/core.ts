// Login, health, devices and settings: the routes of the foundation.
import Router from '@koa/router';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { verifyPassword } from '../users.ts';
import type { AppServices } from '../services.ts';
import { serialNumberSchema } from '../../protocol/messages.ts';
import { identityView } from '../../devices/identity.ts';

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

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

  router.get('/api/v1/devices', (ctx) => {
    const devices = s.registry.list().sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
      .map((d) => ({ ...d, announcing: s.announceRate.view(d.serialNumber), groups: s.groups?.groups.index.groupsOf(d.serialNumber).map((g) => ({ id: g.id, name: g.name })) ?? [] }));
    ctx.body = { total: devices.length, devices };
  });

  router.get('/api/v1/devices/:serial', async (ctx) => {
    const serial = parseBody(serialNumberSchema, ctx.params.serial);
    const device = s.registry.get(serial);
    if (!device) throw new ApiError(404, 'device-not-found', `no device with serial ${serial}`);
    ctx.body = { ...device, announcing: s.announceRate.view(serial), identity: identityView(device, s.settings.get('strictDeviceIdentity')),
      ...(s.groups?.groups.deviceView(serial) ?? { groups: [], groupPolicy: null }), history: await s.registry.history(serial) };
  });

  router.get('/api/v1/settings', (ctx) => {
    ctx.body = { settings: s.settings.describe() };
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
