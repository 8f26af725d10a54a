// Issue 18, end to end: a silent simulated printer (its announcement agent switched off, so it never
// announces) is found by a discovery sweep and assessed with a policy that switches its agent on and sets
// the agent's server address to "this appliance". It then announces over HDAP by itself (Stay Secure without
// a DNS record for it), and after a cold reset — factory settings, agent back on, no server address, so it
// finds the appliance through hp-print-mgmt — it is remediated again by Instant-On.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { dnsTargetResolver } from '../../appliance/src/sim/dns-resolve.ts';

test('silent printer: swept, enrolled by policy, announces by itself, cold reset → Instant-On puts it right', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000', INSTANT_ON_DISCOVERY_TIMEOUT_MS: '500' } });
  const web = h.appliance.webPort;
  const resolveTarget = dnsTargetResolver({ dns: `127.0.0.1:${h.appliance.dns.udpPort}`, searchDomains: [], port: h.appliance.announcePort, ipv4Only: true });
  const printer = new SimPrinter({ index: 4711, serialPrefix: 'ENR', address: '127.0.47.11', resolveTarget, announcePort: h.appliance.announcePort });
  await printer.startAgent({ port: 0 });
  t.teardown(async () => { await printer.stop(); await h.stop(); });
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policy = await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'Enrol', settings: {
    'hpdap-announce': true, 'hpdap-server': 'this-appliance', telnet: false, ftp: 'off' } } });
  t.is(policy.status, 201, JSON.stringify(policy.body));
  const policyId = policy.body.id;
  t.is((await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } })).status, 200);

  // Silent: the agent is off (at the panel), so nothing reaches the appliance.
  printer.agent!.setValue('hpdap-announce', false);
  t.is(await printer.boot(), 'Disabled');
  t.is(h.appliance.registry.get(printer.serialNumber), undefined);

  const sweep = await api(web, 'POST', '/api/v1/discovery', { token, body: { targets: [printer.address], snmpPort: printer.agent!.port, assess: { policyId, remediate: true } } });
  t.is(sweep.status, 202, JSON.stringify(sweep.body));
  const found = await waitFor(() => h.appliance.registry.get(printer.serialNumber), 20_000);
  t.is(found.discoveredBy, 'manual', 'first found by the sweep (one an admin started)');

  // The assessment wrote the appliance's own address (as the printer sees it) into the agent and switched it on…
  await waitFor(() => printer.agent!.values()['hpdap-server'] === '127.0.0.1' && printer.agent!.values()['hpdap-announce'] === true, 20_000);
  // …and the printer announced over HDAP by itself, to that address.
  const announced = await waitFor(() => { const d = h.appliance.registry.get(printer.serialNumber); return d && d.announceCount >= 1 ? d : undefined; }, 20_000);
  t.true(announced.foundBy.announcement!.first > announced.foundBy.manual!.first, 'it announced after the sweep had found it');
  // The device is on disk before the Acknowledge reaches the printer.
  await waitFor(() => printer.status === 'Success', 10_000);
  t.is(printer.lastAck?.status, 'accepted');
  const compliance = await waitFor(async () => {
    const d = (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body;
    return d.compliance && ['compliant', 'remediated'].includes(d.compliance.status) && d.compliance;
  }, 20_000);
  t.deepEqual(Object.fromEntries(compliance.settings.map((s: any) => [s.id, s.actual])),
    { 'hpdap-announce': true, 'hpdap-server': '127.0.0.1', telnet: false, ftp: 'off' });

  // Cold reset: factory settings (telnet on, no server address); the agent finds the appliance through DNS.
  const count = announced.announceCount;
  await printer.coldReset();
  t.is(printer.status, 'Success', printer.lastError);
  await waitFor(() => (h.appliance.registry.get(printer.serialNumber)?.announceCount ?? 0) > count, 10_000);
  await waitFor(() => printer.agent!.values().telnet === false && printer.agent!.values()['hpdap-server'] === '127.0.0.1', 20_000);
  const tasks = h.appliance.tasks.list({ type: 'instant-on' }).filter((x) => x.serials.includes(printer.serialNumber));
  t.true(tasks.some((x) => x.trigger === 'cold-reset'), `Instant-On ran for the cold reset (triggers: ${tasks.map((x) => x.trigger).join(', ')})`);
  const after = await waitFor(async () => {
    const d = (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body;
    return d.compliance && ['compliant', 'remediated'].includes(d.compliance.status) && d.compliance.settings.every((s: any) => s.compliant) && d;
  }, 20_000);
  t.is(after.lastPolicy.id, policyId);
});
