// Settings from the schema act as the schema says: a live setting changes the running appliance at once
// (logLevel re-levels every component's logger), a restart setting is saved and shown as pending, and the
// refusals carry typed codes (409 locked, 400 unknown or invalid).
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { sendRaw, frameBytes, sampleAnnouncement } from '../fakes/hdap-raw-client.ts';

test('PUT logLevel debug makes debug lines appear without a restart', async (t) => {
  const lines: string[] = [];
  const h = await startTestAppliance({ captureLogs: lines, env: { INSTANT_ON_LOG_LEVEL: '' } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  // The capture logger starts at debug; the appliance re-levels it from the setting (default info).
  const debugLines = () => lines.filter((l) => JSON.parse(l).level === 20);
  const before = debugLines().length;
  await sendRaw(h.appliance.announcePort, frameBytes(sampleAnnouncement('LIVE0001')));
  await sendRaw(h.appliance.announcePort, frameBytes(sampleAnnouncement('LIVE0001')));
  t.is(debugLines().length, before, 'no debug lines at info');
  const r = await api(web, 'PUT', '/api/v1/settings', { token, body: { logLevel: 'debug' } });
  t.is(r.status, 200);
  t.deepEqual(r.body.restartNeeded, []);
  await sendRaw(h.appliance.announcePort, frameBytes(sampleAnnouncement('LIVE0001')));
  await waitFor(() => debugLines().some((l) => l.includes('announcement accepted')), 5000);
  t.pass();
});

test('a restart setting is saved and shown as pending; refusals are typed', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const r = await api(web, 'PUT', '/api/v1/settings', { token, body: { dnsTtl: 60 } });
  t.is(r.status, 200);
  t.deepEqual(r.body.restartNeeded, ['dnsTtl']);
  const ttl = r.body.settings.find((s: any) => s.key === 'dnsTtl');
  t.is(ttl.value, 300, 'the running value stays until the restart');
  t.is(ttl.pending, 60);
  const unknown = await api(web, 'PUT', '/api/v1/settings', { token, body: { noSuchSetting: 1 } });
  t.is(unknown.status, 400);
  t.is(unknown.body.error.code, 'unknown-setting');
  const locked = await api(web, 'PUT', '/api/v1/settings', { token, body: { host: '0.0.0.0' } }); // forced by the test's CLI value
  t.is(locked.status, 409);
  t.is(locked.body.error.code, 'setting-locked');
  const bad = await api(web, 'PUT', '/api/v1/settings', { token, body: { snmpRetries: 99 } });
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'invalid-setting');
});
