// Issue 18: write-only secrets as policy settings, and the guards.
// - An admin password and a read community are remediated onto simulated printers (one with the password
//   verify object, one without), then assessed as compliant — and the values appear nowhere: not in any API
//   answer, the event stream, the audit log, the logs, nor in clear in the data folder (they are sealed).
// - Policies that would cut the appliance off are refused with the reason, unless a credential keeps working.
import test from 'ava';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { assessAndRemediate } from '../../appliance/src/snmp/assessor.ts';
import { startSimAgent } from '../../appliance/src/sim/snmp-agent.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';

const exec = promisify(execFile);
const PASSWORD = 'Adm1n-Zq8w!';
const COMMUNITY = 'rd-Kx42vP';
const NEW_PASSWORD = 'Adm1n-Hh3n#';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => { const p = join(dir, n); return statSync(p).isDirectory() ? filesUnder(p) : [p]; });
}

test('write-only secrets: remediated, verified, assessed compliant, and never shown anywhere', async (t) => {
  const logs: string[] = [];
  const h = await startTestAppliance({ captureLogs: logs, env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  const web = h.appliance.webPort;
  const events: string[] = [];
  h.appliance.services.events?.subscribe((type, data) => events.push(`${type} ${JSON.stringify(data)}`));
  const target = async () => ({ host: '127.0.0.1', port: h.appliance.announcePort });
  const m507 = new SimPrinter({ index: 5101, serialPrefix: 'SEC', address: '127.0.51.1', resolveTarget: target });
  const pagewide = new SimPrinter({ index: 5102, serialPrefix: 'SEC', address: '127.0.51.2', resolveTarget: target });
  await m507.startAgent({ port: 0 });
  await pagewide.startAgent({ port: 0, model: 'pagewide-477' });
  t.teardown(async () => { await m507.stop(); await pagewide.stop(); await h.stop(); });
  const token = await login(web);
  const answers: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await api(web, method, path, { token, body });
    answers.push(`${method} ${path} ${JSON.stringify(r.body)}`);
    return r;
  };
  await call('PUT', '/api/v1/credentials/default', { version: '2c', readCommunity: 'public', writeCommunity: 'private' });
  const created = await call('POST', '/api/v1/policies', { name: 'Passwords', settings: { 'admin-password': PASSWORD, 'snmp-get-community': COMMUNITY, telnet: false } });
  t.is(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  await call('PUT', '/api/v1/instant-on', { allowAutomaticRemediation: true, initialPolicyId: id });

  t.is(await m507.boot(), 'Success');
  t.is(await pagewide.boot(), 'Success');
  const device = async (p: SimPrinter) => (await call('GET', `/api/v1/devices/${p.serialNumber}`)).body;
  for (const p of [m507, pagewide]) await waitFor(async () => (await device(p)).compliance?.status === 'remediated', 15_000);
  // The printers really hold what the policy says (the agents never serve it back).
  t.is(m507.agent!.secret('admin-password'), PASSWORD);
  t.is(pagewide.agent!.secret('admin-password'), PASSWORD);
  t.is(m507.agent!.secret('snmp-get-community'), COMMUNITY);
  t.regex((await exec('snmpget', ['-v2c', '-c', COMMUNITY, '-Oqv', '-m', '', `${m507.address}:${m507.agent!.port}`, '1.3.6.1.2.1.1.1.0'])).stdout, /LaserJet/, 'the new read community works');
  const first = (await device(m507)).compliance.settings.find((s: any) => s.id === 'admin-password');
  t.like(first, { expected: 'set', before: 'not-set', actual: 'set', outcome: 'remediated', deviceAnswer: 'OctetString "SET"' });

  // A second assessment: compliant. With the verify object the printer confirms the very password; without it, "is set".
  const assess = async (p: SimPrinter, remediate: boolean) => {
    const r = await call('POST', `/api/v1/devices/${p.serialNumber}/assess`, { policyId: id, remediate });
    await waitFor(async () => ['done', 'failed'].includes((await call('GET', `/api/v1/tasks/${r.body.taskId}`)).body.state), 15_000);
    return (await device(p)).compliance;
  };
  const again = await assess(m507, false);
  t.is(again.status, 'compliant');
  t.regex(again.settings.find((s: any) => s.id === 'admin-password').note, /verified/);
  const pw = await assess(pagewide, false);
  t.is(pw.status, 'compliant');
  t.regex(pw.settings.find((s: any) => s.id === 'admin-password').note, /is set/);

  // Someone changes the password at the panel: the verify object says it differs; remediation puts the policy's back.
  m507.agent!.setValue('admin-password', NEW_PASSWORD);
  const differs = await assess(m507, false);
  t.like(differs.settings.find((s: any) => s.id === 'admin-password'), { actual: 'differs', compliant: false });
  t.is((await assess(m507, true)).status, 'remediated');
  t.is(m507.agent!.secret('admin-password'), PASSWORD);

  // The editor gets { set: true } and may send it back to keep the stored secret.
  const shown = (await call('GET', `/api/v1/policies/${id}`)).body;
  t.deepEqual(shown.settings, { 'admin-password': { set: true }, 'snmp-get-community': { set: true }, telnet: false });
  const kept = await call('PUT', `/api/v1/policies/${id}`, { name: 'Passwords', settings: { ...shown.settings, ftp: 'off' } });
  t.is(kept.status, 200, JSON.stringify(kept.body));
  t.is((await assess(m507, true)).status, 'remediated', 'ftp fixed; the kept secrets still verify');
  t.is(m507.agent!.secret('admin-password'), PASSWORD);
  t.is((await call('PUT', `/api/v1/policies/${id}`, { name: 'Passwords', settings: { 'web-proxy-password': { set: true } } })).status, 400, 'nothing stored to keep');

  for (const path of ['/api/v1/policies', '/api/v1/devices', '/api/v1/tasks', '/api/v1/audit', '/api/v1/catalog/support', '/api/v1/devices/export.csv',
    `/api/v1/devices/${m507.serialNumber}/history`]) await call('GET', path);
  for (const task of h.appliance.tasks.list({})) await call('GET', `/api/v1/tasks/${task.id}`);
  const everything = { answers: answers.join('\n'), events: events.join('\n'), logs: logs.join('') };
  t.true(events.length > 0 && logs.length > 0 && answers.length > 20);
  for (const secret of [PASSWORD, COMMUNITY, NEW_PASSWORD]) {
    for (const [where, text] of Object.entries(everything)) t.false(text.includes(secret), `${where} never holds ${secret}`);
  }
  // At rest: sealed. Every file of the data folder (LevelDB tables and logs, settings) is searched for the bytes.
  await h.appliance.stop(500);
  for (const f of filesUnder(h.dataDir)) {
    const bytes = readFileSync(f);
    for (const secret of [PASSWORD, COMMUNITY]) t.is(bytes.indexOf(secret), -1, `${f} holds ${secret} in clear`);
  }
});

test('guarded settings: refused with the reason unless a credential keeps the appliance in charge', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const post = (settings: Record<string, unknown>) => api(web, 'POST', '/api/v1/policies', { token, body: { name: 'guarded', settings } });
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });

  const off = await post({ 'snmp-agent': false });
  t.is(off.status, 400);
  t.is(off.body.error.code, 'policy-locks-out');
  t.regex(off.body.error.details[0].message, /cannot be undone over SNMP/);
  const v3only = await post({ 'snmp-version-access': 'v3-only' });
  t.is(v3only.status, 400);
  t.deepEqual(v3only.body.error.details.map((d: any) => d.field), ['settings.snmp-version-access']);
  t.regex(v3only.body.error.details[0].message, /only v2c credentials/);
  t.is((await post({ 'snmp-set-community': 'n0body-uses' })).status, 400);
  t.is((await post({ 'snmp-default-read-community': false })).status, 400);
  t.is((await post({ 'network-connection-mode': 'wireless-only' })).status, 400);
  t.is((await post({ 'snmp-set-community': 'private' })).status, 201, 'the write community the appliance uses is fine');

  // With an SNMPv3 credential the appliance keeps managing the printers: accepted.
  await api(web, 'PUT', '/api/v1/credentials/global', { token, body: [{ version: '3', user: 'admin', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes', privKey: 'privpass123' }] });
  t.is((await post({ 'snmp-version-access': 'v3-only', 'snmp-default-read-community': false })).status, 201);
  t.is((await post({ 'snmp-agent': false })).status, 400, 'SNMP off stays refused');
});

test('the second line: a device reached with v2c only is never sent "v3-only", whatever the stored policy', async (t) => {
  const a = await startSimAgent({ address: '127.0.51.9', port: 0 });
  t.teardown(() => a.stop());
  const r = await assessAndRemediate({ host: a.address, port: a.port, credentials: { default: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } },
    policy: { name: 'p', settings: { 'snmp-version-access': 'v3-only', telnet: false } }, remediate: true, timeoutMs: 2000 }, silentLogger());
  t.is(r.status, 'non-compliant');
  t.like(r.settings.find((s) => s.id === 'snmp-version-access'), { outcome: 'rejected', changed: false });
  t.regex(r.settings.find((s) => s.id === 'snmp-version-access')!.setAnswer!, /not sent by this appliance: refused: .*only v2c credentials/);
  t.like(r.settings.find((s) => s.id === 'telnet'), { outcome: 'remediated' });
  t.is(a.values()['snmp-version-access'], 'v1v2-rw-v3-rw');
});
