// Issue 8: the outbox is bounded. With a listener that is down and a cap of 3 queued relays, the printers are
// still acknowledged (their devices are stored), the relays beyond the cap are dropped — counted by reason,
// logged at error level and listed as an alert in the API — never silently.
import test from 'ava';
import net from 'node:net';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';

test('a full outbox drops new relays with a count, a logged error and an alert', async (t) => {
  const logs: string[] = [];
  const h = await startTestAppliance({ captureLogs: logs, env: { INSTANT_ON_OUTBOX_MAX_ENTRIES: '3', INSTANT_ON_FORWARD_RETRY_BASE_MS: '100', INSTANT_ON_FORWARD_RETRY_MAX_MS: '200' } });
  // A port nobody listens on: the listener is "down".
  const closed = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
  const fleet = new Fleet({ count: 6, firstIndex: 4400, serialPrefix: 'CAP', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const { body: { id } } = await api(web, 'POST', '/api/v1/listeners', { token, body: { host: '127.0.0.1', port: closed, validateIdentityCertificate: false } });

  t.is((await fleet.announceAll('initial-boot', { concurrency: 1 })).Success, 6, 'printers are acknowledged whatever the outbox does');
  t.is(h.appliance.registry.size, 6);
  const stats = (await api(web, 'GET', '/api/v1/forwarding', { token })).body;
  t.is(stats.backlog, 3);
  t.deepEqual(stats.dropped, { 'entry-cap': 3 });
  t.is(stats.alerts[0].code, 'outbox-full');
  t.true(logs.some((l) => l.includes('"level":50') && l.includes('outbox full')), 'logged at error level');
  const l = await waitFor(async () => { const v = (await api(web, 'GET', `/api/v1/listeners/${id}`, { token })).body; return v.status.lastError && v; });
  t.is(l.status.backlog, 3);
  t.is(l.status.lastError.code, 'connect-failed');
  t.is(l.status.lastSuccessAt, null);
});
