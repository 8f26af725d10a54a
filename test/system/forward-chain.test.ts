// Issue 8: branch → hub chained, plus a plain HDAP listener: 1,000 simulated announcements at the branch
// reach both, each exactly once; the hub (hub mode: no DNS, no remediation) lists 1,000 devices whose
// forwardedBy names the branch and the printer's real address.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { createSelfSignedIdentity } from '../../appliance/src/pki/identity.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { startPlainListener } from './forward-peer.ts';

const COUNT = 1000;

test('1,000 announcements at the branch reach the hub and a plain listener, each once', async (t) => {
  t.timeout(120_000);
  const hub = await startTestAppliance({ cli: { hubMode: true, listenerId: 'hub-central', relayPeers: ['127.0.0.1'] } });
  const branch = await startTestAppliance({ cli: { listenerId: 'branch-042', forwardBindAddress: '127.0.0.1' },
    env: { INSTANT_ON_FORWARD_RETRY_BASE_MS: '100', INSTANT_ON_FORWARD_RETRY_MAX_MS: '1000' } });
  const plainId = createSelfSignedIdentity({ names: ['localhost'], addresses: ['127.0.0.1'] });
  const plain = await startPlainListener({ key: plainId.keyPem, cert: plainId.certPem });
  const fleet = new Fleet({ count: COUNT, serialPrefix: 'FWD', resolveTarget: async () => ({ host: '127.0.0.1', port: branch.appliance.announcePort }) });
  t.teardown(async () => { await fleet.stop(); await branch.stop(); await hub.stop(); await plain.close(); });

  t.is(hub.appliance.dns.udpPort, 0, 'a hub runs no DNS responder');
  const web = branch.appliance.webPort;
  const token = await login(web);
  const toHub = await api(web, 'POST', '/api/v1/listeners', { token, body: { host: '127.0.0.1', port: hub.appliance.announcePort, validateIdentityCertificate: false } });
  t.is(toHub.status, 201);
  t.regex(toHub.body.id, /^[0-9a-f-]{36}$/);
  const toPlain = await api(web, 'POST', '/api/v1/listeners', { token, body: { host: '127.0.0.1', port: plain.port, validateIdentityCertificate: false } });
  t.is(toPlain.status, 201);

  const started = Date.now();
  const summary = await fleet.announceAll('initial-boot', { concurrency: 32 });
  t.is(summary.Success, COUNT);
  await waitFor(() => hub.appliance.registry.size === COUNT && plain.received.length >= COUNT, 60_000, 100);
  const seconds = (Date.now() - started) / 1000;
  t.log(`${COUNT} announced at the branch and relayed to 2 listeners in ${seconds.toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 300)); // anything sent twice would arrive now

  const ids = plain.received.map((a) => a.messageId);
  t.is(ids.length, COUNT, 'the plain listener got every announcement exactly once');
  t.is(new Set(ids).size, COUNT);
  t.true(plain.received.every((a) => a.forwardedBy?.length === 1 && a.forwardedBy[0].listenerId === 'branch-042'));

  const hubDevices = hub.appliance.registry.list();
  t.is(hubDevices.length, COUNT);
  t.true(hubDevices.every((d) => d.announceCount === 1), 'no device was recorded twice at the hub');
  const byAddress = new Map(fleet.printers.map((p) => [p.serialNumber, p.address]));
  t.true(hubDevices.every((d) => d.forwardedBy?.[0]?.listenerId === 'branch-042' && d.forwardedBy[0].peerAddress === byAddress.get(d.serialNumber)
    && d.peerAddress === byAddress.get(d.serialNumber)), 'forwardedBy names the branch and the printer\'s own address');
  // Through the hub's API as well.
  const hubToken = await login(hub.appliance.webPort);
  const one = await api(hub.appliance.webPort, 'GET', `/api/v1/devices/${fleet.printers[7].serialNumber}`, { token: hubToken });
  t.is(one.body.forwardedBy[0].listenerId, 'branch-042');
  t.is(hub.appliance.tasks.list().length, 0, 'a hub never remediates');
  // A hub only receives relays: a printer announcing to it directly is refused.
  const direct = new Fleet({ count: 1, firstIndex: 5000, serialPrefix: 'DIRECT', resolveTarget: async () => ({ host: '127.0.0.1', port: hub.appliance.announcePort }) });
  await direct.announceAll('initial-boot');
  t.is(direct.printers[0].lastError, 'rejected: discovery-disabled');
  t.is(hub.appliance.registry.size, COUNT);

  const listeners = (await api(web, 'GET', '/api/v1/listeners', { token })).body.listeners;
  t.is(listeners.length, 2);
  for (const l of listeners) {
    t.is(l.status.backlog, 0);
    t.is(l.status.delivered, COUNT);
    t.truthy(l.status.lastSuccessAt);
    t.is(l.status.lastError, null);
  }
  const stats = (await api(web, 'GET', '/api/v1/forwarding', { token })).body;
  t.is(stats.backlog, 0);
  t.deepEqual(stats.dropped, {});
});

test('listeners API: validation, update, delete', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const bad = await api(web, 'POST', '/api/v1/listeners', { token, body: { host: 'bad host!', port: 70000 } });
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.details.map((d: any) => d.field).sort(), ['host', 'port']);
  const made = await api(web, 'POST', '/api/v1/listeners', { token, body: { host: 'jetadmin.example.com' } });
  t.is(made.status, 201);
  const got = await api(web, 'GET', `/api/v1/listeners/${made.body.id}`, { token });
  t.like(got.body, { host: 'jetadmin.example.com', port: 3329, validateIdentityCertificate: true, enabled: true });
  const put = await api(web, 'PUT', `/api/v1/listeners/${made.body.id}`, { token, body: { port: 13329, enabled: false } });
  t.is(put.status, 200);
  t.like(put.body, { port: 13329, enabled: false });
  t.is((await api(web, 'DELETE', `/api/v1/listeners/${made.body.id}`, { token })).status, 204);
  t.is((await api(web, 'GET', `/api/v1/listeners/${made.body.id}`, { token })).status, 404);
  t.is((await api(web, 'GET', '/api/v1/listeners', {})).status, 401);
});
