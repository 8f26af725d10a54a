// Issue 14: one device however found, against real agents — a printer that moved is an attribute change
// found by the next sweep; a printer of another maker is listed as not HP and never assessed; IPv6 by
// explicit address; manual addresses are recorded as "manual".
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { startSimAgent } from '../../appliance/src/sim/snmp-agent.ts';

const isRoot = process.getuid?.() === 0;
const silent = async () => { throw new Error('silent'); };

test('a moved printer, another maker\'s printer, an IPv6 address: one device each, found the right way', async (t) => {
  if (!isRoot) { t.fail('port 161 needs root (CI runs the tests as root)'); return; }
  const net = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 256)}`;
  const h = await startTestAppliance({ env: { INSTANT_ON_DISCOVERY_TIMEOUT_MS: '400', INSTANT_ON_DISCOVERY_RETRIES: '1', INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  const printer = new SimPrinter({ index: 7700, serialPrefix: 'MOV', address: `${net}.10`, resolveTarget: silent });
  await printer.startAgent({ port: 161 });
  const other = await startSimAgent({ address: `${net}.20`, port: 161, identity: { serialNumber: 'BRN4711', model: 'Brother HL-L6400DW', vendor: 'other' } });
  const v6 = await startSimAgent({ address: '::1', identity: { serialNumber: 'V6PRN0001', model: 'HP LaserJet Enterprise M611dn', macAddress: '02:00:00:00:66:01' } });
  t.teardown(async () => { await printer.stop(); await other.stop(); await v6.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'p', settings: { telnet: false } } })).body.id;
  const run = async (body: unknown) => {
    const r = await api(web, 'POST', '/api/v1/discovery', { token, body });
    t.is(r.status, 202, JSON.stringify(r.body));
    return waitFor(async () => { const x = (await api(web, 'GET', `/api/v1/tasks/${r.body.taskId}`, { token })).body; return x.state === 'done' ? x : undefined; }, 20_000, 100);
  };

  const first = await run({ targets: [`${net}.0/27`], assess: { policyId, remediate: true } });
  t.like(first.progress, { found: 2, new: 2 });
  t.like(h.appliance.registry.get('BRN4711'), { vendor: 'other', model: 'Brother HL-L6400DW' });
  t.regex(first.outcomes.BRN4711.detail, /not HP/);
  const assessment = await waitFor(async () => { const x = (await api(web, 'GET', `/api/v1/tasks/${first.result.assessmentTaskId}`, { token })).body; return x.state === 'done' ? x : undefined; }, 20_000, 100);
  t.deepEqual(assessment.serials, [printer.serialNumber], 'only the HP printer is assessed: no catalog setting applies to another maker\'s');
  t.is(h.appliance.registry.get('BRN4711')!.compliance, undefined);
  t.is(other.requests > 0, true);

  // The printer moves to another address of the range; the next sweep finds it there: same device, new ipv4.
  await printer.agent!.stop();
  printer.address = `${net}.11`;
  await printer.startAgent({ port: 161 });
  const second = await run({ targets: [`${net}.0/27`] });
  t.like(second.progress, { found: 2, updated: 1, unchanged: 1 });
  t.is(h.appliance.registry.size, 2);
  const moved = (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body;
  t.is(moved.ipv4, `${net}.11`);
  const change = (moved.history as any[]).find((e) => e.kind === 'attributes-changed');
  t.like(change, { via: 'discovery', taskId: second.id, changes: { ipv4: { from: `${net}.10`, to: `${net}.11` } } });

  // IPv6 by explicit address (this agent listens on a free port of ::1): a manual addition.
  const third = await run({ targets: ['::1'], snmpPort: v6.port });
  t.like(third.progress, { total: 1, found: 1, new: 1 });
  t.like(h.appliance.registry.get('V6PRN0001'), { ipv6: ['::1'], discoveredBy: 'manual', macAddress: '02:00:00:00:66:01', snmpPort: v6.port });
  t.truthy(h.appliance.registry.get('V6PRN0001')!.foundBy.manual);
  t.falsy(h.appliance.registry.get('V6PRN0001')!.foundBy.discovery);
});
