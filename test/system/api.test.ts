import test from 'ava';
import { startTestAppliance, api, login } from '../fakes/appliance.ts';

test('health is open; everything else needs a bearer token; wrong passwords are refused', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const health = await api(port, 'GET', '/api/v1/health');
  t.is(health.status, 200);
  t.deepEqual(health.body, { status: 'ok' }, 'without sign-in, health says only ok or degraded');
  for (const [m, p] of [['GET', '/api/v1/devices'], ['GET', '/api/v1/devices/ABC'], ['GET', '/api/v1/settings'], ['PUT', '/api/v1/settings']]) {
    const r = await api(port, m, p);
    t.is(r.status, 401, `${m} ${p}`);
    t.is(r.body.error.code, 'unauthenticated');
  }
  // Sign-in is decided by the route the router dispatches: a path no route has is simply not found.
  t.like(await api(port, 'GET', '/api/v1/nothing-here'), { status: 404, body: { error: { code: 'not-found' } } });
  t.is((await api(port, 'GET', '/api/v1/devices', { token: 'forged' })).status, 401);
  t.is((await api(port, 'POST', '/api/v1/login', { body: { username: 'admin', password: 'wrong' } })).status, 401);
  t.is((await api(port, 'POST', '/api/v1/login', { body: { username: 'admin' } })).status, 400);
  t.is((await api(port, 'POST', '/api/v1/login', { text: '{not json', headers: { 'content-type': 'application/json' } })).status, 400);
  const token = await login(port);
  t.is((await api(port, 'GET', '/api/v1/devices/not%20a%20serial', { token })).status, 400);
  t.is((await api(port, 'GET', '/api/v1/devices/NOPE', { token })).status, 404);
  t.is((await api(port, 'POST', '/api/v1/logout', { token })).status, 204);
  t.is((await api(port, 'GET', '/api/v1/devices', { token })).status, 401, 'a revoked token no longer works');
});

test('settings report their source; runtime ones change at once; locked and invalid ones are refused', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_CAPTURE: 'false' } });
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const token = await login(port);
  const get = await api(port, 'GET', '/api/v1/settings', { token });
  const byKey = Object.fromEntries(get.body.settings.map((s: any) => [s.key, s]));
  t.like(byKey.announcePort, { source: 'cli', locked: true, restart: true });
  t.like(byKey.captureUnknownFraming, { source: 'env', locked: true });
  t.like(byKey.deviceHistoryLimit, { source: 'default', locked: false, value: 50 });
  const put = await api(port, 'PUT', '/api/v1/settings', { token, body: { deviceHistoryLimit: 7, acceptAnnouncements: false } });
  t.is(put.status, 200);
  t.false(h.appliance.settings.get('acceptAnnouncements'));
  t.is((await api(port, 'PUT', '/api/v1/settings', { token, body: { captureUnknownFraming: true } })).status, 409);
  const bad = await api(port, 'PUT', '/api/v1/settings', { token, body: { deviceHistoryLimit: 3, frameTimeoutMs: 'soon' } });
  t.is(bad.status, 400);
  t.is(h.appliance.settings.get('deviceHistoryLimit'), 7, 'a bad value in a request changes nothing');
  // Saved settings survive a restart and show source=store.
  await h.appliance.stop(100);
  const h2 = await startTestAppliance({ dataDir: h.dataDir });
  t.teardown(() => h2.stop());
  t.is(h2.appliance.settings.get('deviceHistoryLimit'), 7);
  t.is(h2.appliance.settings.describe().find((s) => s.key === 'deviceHistoryLimit')?.source, 'store');
});
