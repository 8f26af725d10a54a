// Trigger A against real SNMP agents (simulated printers and Debian snmpd), one test per row of the
// reference's Instant-On table, and group priorities deciding the group policy.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { groupsRig } from '../fakes/groups-rig.ts';
import { startSnmpd } from '../fakes/snmpd.ts';
import { CATALOG } from '../../appliance/src/policy/catalog.ts';

const exec = promisify(execFile);
const oid = (id: string) => CATALOG.find((s) => s.id === id)!.oid;
const snmpget = async (d: { host: string; port: number }, id: string) =>
  (await exec('snmpget', ['-v2c', '-c', 'public', '-Oqv', '-m', '', `${d.host}:${d.port}`, oid(id)])).stdout.trim();

test('A, skipInstantOnPolicy off: a member gets the Initial Assessment Policy, then the group policy (snmpd: the later SET wins); a non-member and a member of a group without a policy get the initial one only', async (t) => {
  const r = await groupsRig(t);
  const snmpd = await startSnmpd();
  t.teardown(() => snmpd.stop());
  const initial = await r.policy('Initial', { telnet: false, 'sys-location': 'Initial policy' });
  const group = await r.policy('Finance', { ftp: 'off', 'sys-location': 'Finance floor' });
  await r.group({ name: 'Finance MFPs', kind: 'auto', priority: 10, policyId: group, filter: { all: [{ field: 'model', op: 'contains', value: 'M555' }, { field: 'hostname', op: 'glob', value: 'snmpd-*' }] } });
  const plain = await r.printer();
  await r.group({ name: 'Sim printers, no policy', kind: 'auto', priority: 5, filter: { field: 'serial', op: 'equals', value: plain.serialNumber } });
  const loner = await r.printer();
  await r.ok('PUT', '/api/v1/instant-on', { allowAutomaticRemediation: true, initialPolicyId: initial });

  await r.announceSnmpd(snmpd, 'SNMPD00001');
  t.is(await plain.boot(), 'Success');
  t.is(await loner.boot(), 'Success');

  const order = await r.assessments('SNMPD00001', 2);
  t.deepEqual(order.map((e: any) => e.assessment.policyName), ['Initial', 'Finance'], 'initial first, then the group policy');
  t.deepEqual(Object.keys(order[0].assessment.changed).sort(), ['sys-location', 'telnet']);
  t.deepEqual(order[1].assessment.changed['sys-location'], { from: 'Initial policy', to: 'Finance floor' }, 'the group policy\'s SET comes second and wins');
  t.is(await snmpget(snmpd, 'sys-location'), '"Finance floor"', 'read back from snmpd with snmpget');
  t.is(await snmpget(snmpd, 'telnet'), '0');
  t.is(await snmpget(snmpd, 'ftp'), '0');
  const dev = await r.device('SNMPD00001');
  t.like(dev.groupPolicy, { groupName: 'Finance MFPs', policyName: 'Finance' });
  const task = (await r.ok('GET', '/api/v1/tasks?type=instant-on')).tasks.find((x: any) => x.serials[0] === 'SNMPD00001');
  t.deepEqual(task.policyIds, [initial, group]);

  await r.quiet();
  for (const p of [plain, loner]) {
    t.deepEqual((await r.assessments(p.serialNumber, 1)).map((e: any) => e.assessment.policyName), ['Initial']);
    t.like(p.agent!.values(), { telnet: false, 'sys-location': 'Initial policy', ftp: 'on' });
  }
  t.deepEqual((await r.device(plain.serialNumber)).groups.map((g: any) => g.name), ['Sim printers, no policy']);
});

test('A, skipInstantOnPolicy on: a member gets only its group policy; a device without a group policy still gets the initial one', async (t) => {
  const r = await groupsRig(t);
  const initial = await r.policy('Initial', { telnet: false, 'sys-location': 'Initial policy' });
  const group = await r.policy('Lobby', { ftp: 'off', 'sys-location': 'Lobby' });
  const member = await r.printer();
  const outsider = await r.printer();
  await r.group({ name: 'Lobby', kind: 'auto', priority: 3, policyId: group, filter: { field: 'ipv4', op: 'inRange', value: `${member.address}-${member.address}` } });
  await r.ok('PUT', '/api/v1/instant-on', { allowAutomaticRemediation: true, initialPolicyId: initial });
  await r.settings({ skipInstantOnPolicy: true });
  t.is(await member.boot(), 'Success');
  t.is(await outsider.boot(), 'Success');
  await r.assessments(member.serialNumber, 1);
  await r.assessments(outsider.serialNumber, 1);
  await r.quiet();
  t.deepEqual((await r.assessments(member.serialNumber, 1)).map((e: any) => e.assessment.policyName), ['Lobby']);
  t.like(member.agent!.values(), { telnet: true, ftp: 'off', 'sys-location': 'Lobby' }, 'the initial policy\'s telnet=false was not applied');
  t.deepEqual((await r.assessments(outsider.serialNumber, 1)).map((e: any) => e.assessment.policyName), ['Initial']);
  t.like(outsider.agent!.values(), { telnet: false, ftp: 'on', 'sys-location': 'Initial policy' });
});

test('A off (automatic remediation off): an announcing member of a group with a policy is not remediated', async (t) => {
  const r = await groupsRig(t);
  const group = await r.policy('Group', { telnet: false });
  const p = await r.printer();
  await r.group({ name: 'All', kind: 'auto', priority: 1, policyId: group, filter: { field: 'serial', op: 'prefix', value: 'AGT' } });
  t.is(await p.boot(), 'Success');
  await r.quiet();
  t.deepEqual((await r.device(p.serialNumber)).groups.map((g: any) => g.name), ['All'], 'it joined the group');
  t.is((await r.ok('GET', '/api/v1/tasks')).total, 0);
  t.is(p.agent!.requests, 0, 'not one SNMP request');
});

test('two autogroups: the higher priority\'s policy applies; swapping priorities swaps it', async (t) => {
  const r = await groupsRig(t);
  const initial = await r.policy('Initial', { slp: false });
  const a = await r.policy('Policy A', { 'sys-location': 'A' });
  const b = await r.policy('Policy B', { 'sys-location': 'B' });
  const p = await r.printer();
  const ga = await r.group({ name: 'Group A', kind: 'auto', priority: 20, policyId: a, filter: { field: 'serial', op: 'equals', value: p.serialNumber } });
  const gb = await r.group({ name: 'Group B', kind: 'auto', priority: 10, policyId: b, filter: { field: 'mac', op: 'prefix', value: '02:00' } });
  await r.ok('PUT', '/api/v1/instant-on', { allowAutomaticRemediation: true, initialPolicyId: initial });
  await r.settings({ skipInstantOnPolicy: true });
  t.is(await p.boot(), 'Success');
  await r.assessments(p.serialNumber, 1);
  t.is(p.agent!.values()['sys-location'], 'A');
  t.like((await r.device(p.serialNumber)).groupPolicy, { groupName: 'Group A', priority: 20 });

  // Swap: A to 5 (free), B to 20, A to 10.
  const put = (id: string, name: string, priority: number, policyId: string, filter: unknown) => r.ok('PUT', `/api/v1/groups/${id}`, { name, kind: 'auto', priority, policyId, filter });
  await put(ga, 'Group A', 5, a, { field: 'serial', op: 'equals', value: p.serialNumber });
  await put(gb, 'Group B', 20, b, { field: 'mac', op: 'prefix', value: '02:00' });
  const dev = await r.device(p.serialNumber);
  t.like(dev.groupPolicy, { groupName: 'Group B', priority: 20 });
  t.regex(dev.groupPolicy.reason, /"Group B" has the highest priority \(20\)/);
  await p.coldReset();
  await r.assessments(p.serialNumber, 2);
  t.is(p.agent!.values()['sys-location'], 'B');
});
