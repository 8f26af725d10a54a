// Secure at Install and Stay Secure, end to end: a simulated printer (a real SNMP agent on its own loopback
// address) announces, is remediated with the Initial Assessment Policy, is cold-reset (factory settings
// back), announces again and is put right again — automatically. Credentials never leak into the API or logs.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';

test('announce → remediated → cold reset → re-announce → compliant again, with both changes in the history', async (t) => {
  const logs: string[] = [];
  const h = await startTestAppliance({ captureLogs: logs, env: { INSTANT_ON_SNMP_TIMEOUT_MS: '500' } });
  const printer = new SimPrinter({ index: 3001, serialPrefix: 'IOE', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await printer.startAgent({ readCommunity: 'br4nch-read', writeCommunity: 'br4nch-write' });
  t.teardown(async () => { await printer.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);

  t.is((await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'br4nch-read', writeCommunity: 'br4nch-write' } })).status, 200);
  const created = await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'Branch baseline', settings: { telnet: false, ftp: 'off', 'sys-location': 'Branch 42' } } });
  t.is(created.status, 201);
  const policyId = created.body.id;
  const io = await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } });
  t.is(io.status, 200);
  // The firewall reminder names the port the appliance really listens on (here a random one, not 3329).
  t.true(io.body.reminder.includes(`TCP port ${h.appliance.announcePort} `), io.body.reminder);
  t.is(io.body.announcePort, h.appliance.announcePort);

  printer.agent!.setValue('telnet', false); // already compliant: must be left alone
  t.is(await printer.boot(), 'Success');
  const first = await waitFor(async () => (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body.compliance?.status === 'remediated'
    && (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body, 15_000);
  const bySetting = Object.fromEntries(first.compliance.settings.map((s: any) => [s.id, s]));
  t.like(bySetting.telnet, { compliant: true, changed: false });
  t.like(bySetting.ftp, { compliant: true, changed: true, before: 'on', actual: 'off' });
  t.like(bySetting['sys-location'], { compliant: true, changed: true, actual: 'Branch 42' });
  t.like(first.lastPolicy, { id: policyId, name: 'Branch baseline' });
  t.like(printer.agent!.values(), { telnet: false, ftp: 'off', 'sys-location': 'Branch 42', slp: true, lpd: true });

  // Cold reset wipes settings; the printer announces cold-reset; the appliance puts them back (Stay Secure).
  await printer.coldReset();
  t.like(printer.agent!.values(), { telnet: true, ftp: 'on' }, 'factory settings right after the reset…');
  const second = await waitFor(async () => {
    const d = (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body;
    return d.lastReason === 'cold-reset' && d.compliance?.at > first.compliance.at && d.compliance.status === 'remediated' && d;
  }, 15_000);
  t.like(printer.agent!.values(), { telnet: false, ftp: 'off', 'sys-location': 'Branch 42' }, '…and the policy back after the re-announcement');
  const assessments = second.history.filter((e: any) => e.kind === 'assessment');
  t.is(assessments.length, 2);
  t.deepEqual(Object.keys(assessments[0].assessment.changed).sort(), ['ftp', 'sys-location', 'telnet'], 'after the cold reset telnet had to be fixed too');
  t.deepEqual(Object.keys(assessments[1].assessment.changed).sort(), ['ftp', 'sys-location']);

  // A manual assessment without remediation now finds it compliant.
  const manual = await api(web, 'POST', `/api/v1/devices/${printer.serialNumber}/assess`, { token, body: { policyId, remediate: false } });
  t.is(manual.status, 202);
  const task = await waitFor(async () => { const r = await api(web, 'GET', `/api/v1/tasks/${manual.body.taskId}`, { token }); return r.body.state === 'done' && r.body; });
  t.is(task.outcomes[printer.serialNumber].status, 'compliant');

  // Secrets never leave: not in the credential view, the device, or any log line.
  const views = [await api(web, 'GET', '/api/v1/credentials', { token }), await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token }),
    await api(web, 'GET', '/api/v1/tasks', { token })];
  for (const v of views) t.false(JSON.stringify(v.body).includes('br4nch'), 'no community in API responses');
  t.true(logs.length > 10);
  t.false(logs.some((l) => l.includes('br4nch')), 'no community in the logs');
});

test('automatic remediation off: discovery only, the device is not assessed', async (t) => {
  const h = await startTestAppliance();
  const printer = new SimPrinter({ index: 3002, serialPrefix: 'IOE', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await printer.startAgent();
  t.teardown(async () => { await printer.stop(); await h.stop(); });
  t.is(await printer.boot(), 'Success');
  await new Promise((r) => setTimeout(r, 300));
  t.truthy(h.appliance.registry.get(printer.serialNumber));
  t.is(h.appliance.registry.get(printer.serialNumber)?.compliance, undefined);
  t.is(h.appliance.tasks.list().length, 0);
  t.is(printer.agent!.requests, 0, 'no SNMP request was sent');
});

test('policy and credential input is validated field by field', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const bad = await api(web, 'POST', '/api/v1/policies', { token, body: { name: '', settings: { telnet: 'no', nonsense: true } } });
  t.is(bad.status, 400);
  const fields = bad.body.error.details.map((d: any) => d.field).sort();
  t.deepEqual(fields, ['name', 'settings.nonsense', 'settings.telnet']);
  const cred = await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '3', user: 'admin', authProtocol: 'md5', authKey: 'short', privProtocol: 'des', privKey: 'x' } });
  t.is(cred.status, 400);
  t.true(cred.body.error.details.some((d: any) => d.field === 'privProtocol'));
  const noPolicy = await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true } });
  t.is(noPolicy.status, 400);
  t.is(noPolicy.body.error.code, 'no-initial-policy');
  const catalog = await api(web, 'GET', '/api/v1/catalog', { token });
  t.true(catalog.body.settings.length >= 16);
});
