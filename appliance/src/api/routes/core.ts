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

export function coreRoutes(router: Router, s: AppServices) {
  router.get('/api/v1/health', (ctx) => {
    const health = s.health?.() ?? { status: 'ok' };
    ctx.body = { status: health.status === 'ok' ? 'ok' : 'degraded', version: s.version, uptimeSeconds: Math.round((Date.now() - s.startedAt.getTime()) / 1000), devices: s.registry.size };
  });

  router.post('/api/v1/login', async (ctx) => {
    const { username, password } = parseBody(loginSchema, ctx.request.body);
    const user = await s.users.get(username);
    if (!user || !(await verifyPassword(user, password))) throw new ApiError(401, 'bad-credentials', 'wrong user name or password');
    const session = s.sessions.create(username);
    ctx.body = { token: session.token, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  router.post('/api/v1/logout', (ctx) => {
    s.sessions.revoke(ctx.state.auth.token);
    ctx.status = 204;
  });

  router.get('/api/v1/devices', (ctx) => {
    const devices = s.registry.list().sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
      .map((d) => ({ ...d, announcing: s.announceRate.view(d.serialNumber) }));
    ctx.body = { total: devices.length, devices };
  });

  router.get('/api/v1/devices/:serial', async (ctx) => {
    const serial = parseBody(serialNumberSchema, ctx.params.serial);
    const device = s.registry.get(serial);
    if (!device) throw new ApiError(404, 'device-not-found', `no device with serial ${serial}`);
    ctx.body = { ...device, announcing: s.announceRate.view(serial), identity: identityView(device, s.settings.get('strictDeviceIdentity')), history: await s.registry.history(serial) };
  });

  router.get('/api/v1/settings', (ctx) => {
    ctx.body = { settings: s.settings.describe() };
  });

  router.put('/api/v1/settings', async (ctx) => {
    const body = parseBody(z.record(z.string(), z.unknown()), ctx.request.body);
    // Validate all first, so a bad value in the request changes nothing.
    let changes;
    try {
      changes = Object.entries(body).map(([k, v]) => s.settings.validateChange(k, v));
    } catch (err: any) {
      throw new ApiError(err.message.includes('locked') ? 409 : 400, err.code ?? 'invalid-setting', err.message);
    }
    for (const c of changes) await s.saveSetting(c.key, c.value);
    ctx.body = { settings: s.settings.describe(), restartNeeded: changes.filter((c) => s.settings.describe().find((d) => d.key === c.key)?.restart).map((c) => c.key) };
  });

  router.get('/api/v1/captures', async (ctx) => {
    ctx.body = { enabled: s.settings.get('captureUnknownFraming'), captures: await s.captures() };
  });

  router.get('/api/v1/dns/check', async (ctx) => {
    ctx.body = await s.dnsCheck();
  });

  router.get('/api/v1/status', (ctx) => {
    ctx.body = { health: s.health?.() ?? { status: 'ok', reasons: [] }, ...s.stats() };
  });

  // The store's damage report stays (and health stays degraded) until an admin has read it.
  router.post('/api/v1/status/store/acknowledge-damage', async (ctx) => {
    const done = await s.store?.acknowledgeDamage(ctx.state.auth?.username ?? 'admin');
    if (!done) throw new ApiError(409, 'no-damage', 'there is no unacknowledged store damage report');
    ctx.body = { acknowledged: true };
  });
}
