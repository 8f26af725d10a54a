// Issue 8: device events for central systems. A real broker (Debian's mosquitto on a random loopback port)
// and a real subscriber (mosquitto_sub) see a simulated printer's announce → remediate → cold reset →
// remediate cycle as QoS 1 events, and a subscriber that joins late gets the retained state.
import test from 'ava';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { startMosquitto } from '../fakes/mosquitto.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';

const exec = promisify(execFile);


test('mosquitto_sub sees announce → remediate → cold reset → remediate, and the retained state', async (t) => {
  t.timeout(90_000);
  const broker = await startMosquitto();
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '500', INSTANT_ON_MQTT_URL: `mqtt://127.0.0.1:${broker.port}`, INSTANT_ON_MQTT_PREFIX: 'branch42' } });
  const lines: string[] = [];
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-v', '-t', 'branch42/devices/+/events']);
  let out = '';
  sub.stdout.on('data', (c) => { out += c; const parts = out.split('\n'); out = parts.pop()!; lines.push(...parts); });
  const printer = new SimPrinter({ index: 4301, serialPrefix: 'MQTT', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await printer.startAgent({ readCommunity: 'mq-read', writeCommunity: 'mq-write' });
  t.teardown(async () => { sub.kill(); await printer.stop(); await h.stop(); broker.stop(); });

  const web = h.appliance.webPort;
  const token = await login(web);
  await waitFor(() => h.appliance.mqtt?.connected, 10_000);
  await new Promise((r) => setTimeout(r, 300)); // mosquitto_sub subscribed
  t.is((await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'mq-read', writeCommunity: 'mq-write' } })).status, 200);
  const policy = await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'MQTT baseline', settings: { telnet: false, ftp: 'off' } } });
  t.is((await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policy.body.id } })).status, 200);

  const events = () => lines.filter((l) => l.startsWith(`branch42/devices/${printer.serialNumber}/events `)).map((l) => JSON.parse(l.slice(l.indexOf(' ') + 1)));
  t.is(await printer.boot(), 'Success');
  await waitFor(() => events().some((e) => e.type === 'compliance' && e.device.compliance.status === 'remediated'), 20_000);
  await printer.coldReset();
  await waitFor(() => events().filter((e) => e.type === 'compliance' && e.device.compliance.status === 'remediated').length === 2, 20_000);

  const seen = events().map((e) => `${e.type}:${e.reason}${e.type === 'compliance' ? ':' + e.device.compliance.status : ''}`);
  t.log(seen.join(' → '));
  const at = (p: (s: string) => boolean) => seen.findIndex(p);
  const discovered = at((s) => s.startsWith('discovered:initial-boot'));
  const firstFix = at((s) => s.startsWith('compliance:initial-boot:remediated'));
  const reset = at((s) => /^(announced|changed):cold-reset$/.test(s));
  const secondFix = at((s) => s.startsWith('compliance:cold-reset:remediated'));
  t.true(discovered === 0 && discovered < firstFix && firstFix < reset && reset < secondFix, seen.join(' → '));
  t.deepEqual(events()[secondFix].device.compliance.changed.sort(), ['ftp', 'telnet']);

  // A subscriber that joins now gets the retained state at once.
  const { stdout } = await exec('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-C', '1', '-W', '5', '-t', `branch42/devices/${printer.serialNumber}/state`]);
  const state = JSON.parse(stdout);
  t.like(state, { serialNumber: printer.serialNumber, lastReason: 'cold-reset', compliance: { status: 'remediated' } });
  t.false(lines.join('\n').includes('mq-read'), 'no community in any event');
  t.true(h.appliance.mqtt!.stats().published >= 8);
});

test('a deleted device leaves its groups for good and its retained MQTT state is cleared', async (t) => {
  t.timeout(90_000);
  const broker = await startMosquitto();
  const env = { INSTANT_ON_MQTT_URL: `mqtt://127.0.0.1:${broker.port}`, INSTANT_ON_MQTT_PREFIX: 'branch43' };
  let h = await startTestAppliance({ env });
  const dataDir = h.dataDir;
  t.teardown(async () => { await h.stop(); broker.stop(); });
  const printer = new SimPrinter({ index: 4311, serialPrefix: 'GONE', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.teardown(() => printer.stop());
  let web = h.appliance.webPort;
  let token = await login(web);
  await waitFor(() => h.appliance.mqtt?.connected, 10_000);
  t.is(await printer.boot(), 'Success');
  const serial = printer.serialNumber;
  const group = await api(web, 'POST', '/api/v1/groups', { token, body: { name: 'Everything', kind: 'auto', priority: 1, filter: { field: 'serial', op: 'prefix', value: 'GONE' } } });
  t.is(group.status, 201, JSON.stringify(group.body));
  await waitFor(async () => (await api(web, 'GET', `/api/v1/groups/${group.body.id}/members`, { token })).body.total === 1, 10_000);
  const stateTopic = `branch43/devices/${serial}/state`;
  await waitFor(async () => (await exec('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-C', '1', '-W', '2', '-t', stateTopic]).catch(() => ({ stdout: '' }))).stdout.includes(serial), 10_000);

  t.is((await api(web, 'DELETE', `/api/v1/devices/${serial}`, { token })).status, 200);
  await waitFor(async () => (await api(web, 'GET', `/api/v1/groups/${group.body.id}/members`, { token })).body.total === 0, 10_000);
  // The broker no longer hands the deleted device's state to a new subscriber (-W: give up after 2 s).
  await waitFor(async () => (await exec('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-C', '1', '-W', '2', '-t', stateTopic]).catch(() => ({ stdout: '' }))).stdout.trim() === '', 10_000);
  // And the membership is gone from the store, not only from memory: a restart does not bring it back.
  await h.stop(true);
  h = await startTestAppliance({ dataDir, env });
  web = h.appliance.webPort;
  token = await login(web);
  const after = await api(web, 'GET', `/api/v1/groups/${group.body.id}/members`, { token });
  t.is(after.body.total, 0, JSON.stringify(after.body));
});
