// Issue 8: a relay loop A → B → A is refused with loop-detected, logged, and does not spin: B treats the
// refusal as final (dropped from its outbox, counted by reason) instead of retrying it for ever.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';

test('A → B → A is refused with loop-detected, logged, counted once, and not retried', async (t) => {
  t.timeout(60_000);
  const logsA: string[] = [];
  const common = { forwardBindAddress: '127.0.0.1', relayPeers: ['127.0.0.1'] };
  const env = { INSTANT_ON_FORWARD_RETRY_BASE_MS: '50', INSTANT_ON_FORWARD_RETRY_MAX_MS: '200' };
  const a = await startTestAppliance({ cli: { ...common, listenerId: 'appliance-a' }, env, captureLogs: logsA });
  const b = await startTestAppliance({ cli: { ...common, listenerId: 'appliance-b' }, env });
  t.teardown(async () => { await a.stop(); await b.stop(); });
  const [ta, tb] = [await login(a.appliance.webPort), await login(b.appliance.webPort)];
  t.is((await api(a.appliance.webPort, 'POST', '/api/v1/listeners', { token: ta, body: { host: '127.0.0.1', port: b.appliance.announcePort, validateIdentityCertificate: false } })).status, 201);
  t.is((await api(b.appliance.webPort, 'POST', '/api/v1/listeners', { token: tb, body: { host: '127.0.0.1', port: a.appliance.announcePort, validateIdentityCertificate: false } })).status, 201);

  const printer = new SimPrinter({ index: 4100, serialPrefix: 'LOOP', resolveTarget: async () => ({ host: '127.0.0.1', port: a.appliance.announcePort }) });
  t.is(await printer.boot(), 'Success');

  await waitFor(() => (b.appliance.forwarder!.stats().dropped['loop-detected'] ?? 0) >= 1, 10_000);
  t.truthy(b.appliance.registry.get(printer.serialNumber), 'B got the relay from A');
  t.deepEqual(b.appliance.registry.get(printer.serialNumber)!.forwardedBy!.map((h) => h.listenerId), ['appliance-a']);
  // Let any retry happen (back-off is 50–200 ms here): the counters must not move.
  await new Promise((r) => setTimeout(r, 1500));
  t.is(a.appliance.listener.counters.rejected['loop-detected'], 1, 'A refused exactly one relay');
  t.is(b.appliance.forwarder!.stats().dropped['loop-detected'], 1);
  t.is(b.appliance.forwarder!.stats().backlog, 0, 'B\'s outbox is empty');
  t.is(a.appliance.forwarder!.stats().backlog, 0);
  t.is(a.appliance.registry.get(printer.serialNumber)!.announceCount, 1, 'A recorded the printer once');
  const viewB = (await api(b.appliance.webPort, 'GET', '/api/v1/listeners', { token: tb })).body.listeners[0];
  t.is(viewB.status.refused['loop-detected'], 1);
  t.true(logsA.some((l) => l.includes('loop-detected') && l.includes('announcement rejected') && l.includes('appliance-a')), 'A logged the loop');
});
