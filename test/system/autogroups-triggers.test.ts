// Triggers B (discovery), C (interval), D (edit) against real SNMP agents, every trigger off → nothing,
// and bad group input answered with 400s naming the field.
import test from 'ava';
import { groupsRig } from '../fakes/groups-rig.ts';
import { freeUdpPort } from '../fakes/snmpd.ts';
import { waitFor } from '../fakes/appliance.ts';

const bySerial = (...serials: string[]) => ({ field: 'serial', op: 'in', value: serials });

test('B: a discovery job remediates only the printers that are new in an autogroup with a policy; off → the sweep remediates nothing', async (t) => {
  const r = await groupsRig(t);
  const port = await freeUdpPort('127.0.0.1');
  const [old, fresh, other, offNew] = [await r.printer({ port }), await r.printer({ port }), await r.printer({ port }), await r.printer({ port })];
  const policy = await r.policy('Discovered', { telnet: false, 'sys-location': 'Found by a sweep' });
  await r.group({ name: 'Sweepable', kind: 'auto', priority: 1, policyId: policy, filter: bySerial(old.serialNumber, fresh.serialNumber, offNew.serialNumber) });
  const sweep = async (targets: string[]) => {
    const { taskId } = await r.ok('POST', '/api/v1/discovery', { targets, snmpPort: port });
    return waitFor(async () => { const x = await r.ok('GET', `/api/v1/tasks/${taskId}`); return x.state === 'done' && x; }, 30_000);
  };
  // Off: a new member is found and joins, nothing is remediated.
  await sweep([offNew.address]);
  await r.quiet();
  t.deepEqual((await r.device(offNew.serialNumber)).groups.map((g: any) => g.name), ['Sweepable']);
  t.like(offNew.agent!.values(), { telnet: true, 'sys-location': '' });

  await r.settings({ autoGroupDiscoveryAutoRemediationEnable: true });
  t.is(await old.boot(), 'Success'); // known and a member already (joined by its announcement)
  await r.quiet();
  await sweep([old.address, fresh.address, other.address, offNew.address]);
  await r.assessments(fresh.serialNumber, 1);
  await r.quiet();
  t.like(fresh.agent!.values(), { telnet: false, 'sys-location': 'Found by a sweep' }, 'new in the group: remediated');
  for (const p of [old, other, offNew]) t.like(p.agent!.values(), { telnet: true, 'sys-location': '' }, `${p.serialNumber}: not new in the group, untouched`);
  const tasks = (await r.ok('GET', '/api/v1/tasks?type=assessment')).tasks.filter((x: any) => x.trigger === 'autogroup:discovery');
  t.is(tasks.length, 1);
  t.like(tasks[0], { groupName: 'Sweepable', policyId: policy, total: 1 });
});

test('C: every autoGroupFilterExecutionFrequency, only the devices that joined since the last run; off → nothing', async (t) => {
  const r = await groupsRig(t);
  const policy = await r.policy('Interval', { telnet: false });
  const [early, late, offJoiner] = [await r.printer(), await r.printer(), await r.printer()];
  await r.group({ name: 'Interval group', kind: 'auto', priority: 1, policyId: policy, filter: { field: 'serial', op: 'prefix', value: 'AGT' } });
  const runs = async () => (await r.ok('GET', '/api/v1/groups')).refresh.refreshRuns as number;
  const nextRun = async (after: number): Promise<number> => waitFor(async () => { const x = await runs(); return x > after ? x : 0; }, 15_000);
  await r.settings({ autoGroupFilterExecutionFrequency: '0:0:0:1', autoGroupDailyRefreshAutoRemediationEnable: true });
  t.is(await early.boot(), 'Success'); // A is off: it only joins
  let n = await nextRun(await runs());
  n = await nextRun(n); // a run that surely began after the join
  await r.quiet();
  t.like(early.agent!.values(), { telnet: false });
  const earlyCount = (await r.assessments(early.serialNumber, 1)).length;

  t.is(await late.boot(), 'Success');
  n = await nextRun(n);
  n = await nextRun(n);
  await r.quiet();
  t.like(late.agent!.values(), { telnet: false });
  t.is((await r.assessments(early.serialNumber, 1)).length, earlyCount, 'the early member was not remediated again');
  t.is((await r.assessments(late.serialNumber, 1)).length, 1);
  const tasks = (await r.ok('GET', '/api/v1/tasks?type=assessment')).tasks.filter((x: any) => x.trigger === 'autogroup:interval');
  t.true(tasks.every((x: any) => x.groupName === 'Interval group' && x.total === 1));

  await r.settings({ autoGroupDailyRefreshAutoRemediationEnable: false });
  t.is(await offJoiner.boot(), 'Success');
  n = await nextRun(n);
  await nextRun(n);
  await r.quiet();
  t.like(offJoiner.agent!.values(), { telnet: true }, 'C off: the newcomer is not remediated');
});

test('D: editing an autogroup\'s filter or policy, or the policy itself, remediates every member; off → nothing', async (t) => {
  const r = await groupsRig(t);
  const members = [await r.printer(), await r.printer(), await r.printer()];
  const outsider = await r.printer();
  for (const p of [...members, outsider]) t.is(await p.boot(), 'Success');
  const first = await r.policy('First', { 'sys-location': 'first' });
  const second = await r.policy('Second', { 'sys-location': 'second', telnet: false });
  const filter = bySerial(...members.map((p) => p.serialNumber));
  const id = await r.group({ name: 'Edited', kind: 'auto', priority: 1, policyId: first, filter });
  await r.quiet();
  for (const p of members) t.is(p.agent!.values()['sys-location'], '', 'D off: creating the group remediates nothing');

  await r.settings({ autoGroupEditAutoRemediationEnable: true });
  await r.ok('PUT', `/api/v1/groups/${id}`, { name: 'Edited', kind: 'auto', priority: 1, policyId: second, filter });
  for (const p of members) await r.assessments(p.serialNumber, 1);
  await r.quiet();
  for (const p of members) t.like(p.agent!.values(), { 'sys-location': 'second', telnet: false });
  t.like(outsider.agent!.values(), { 'sys-location': '', telnet: true }, 'not a member: untouched');

  await r.ok('PUT', `/api/v1/policies/${second}`, { name: 'Second', settings: { 'sys-location': 'second, edited', telnet: false } });
  for (const p of members) await r.assessments(p.serialNumber, 2);
  await r.quiet();
  for (const p of members) t.is(p.agent!.values()['sys-location'], 'second, edited');
  const tasks = (await r.ok('GET', '/api/v1/tasks?type=assessment')).tasks.filter((x: any) => x.trigger === 'autogroup:edit');
  t.is(tasks.length, 2);
  t.true(tasks.every((x: any) => x.groupName === 'Edited' && x.total === 3));

  await r.settings({ autoGroupEditAutoRemediationEnable: false });
  await r.ok('PUT', `/api/v1/groups/${id}`, { name: 'Edited', kind: 'auto', priority: 1, policyId: first, filter });
  await r.quiet();
  for (const p of members) t.is(p.agent!.values()['sys-location'], 'second, edited', 'D off: the edit remediates nothing');
});

test('every trigger off (the defaults): announcements, a sweep, refresh runs and edits remediate nothing', async (t) => {
  const r = await groupsRig(t);
  const port = await freeUdpPort('127.0.0.1');
  const [announced, swept] = [await r.printer({ port }), await r.printer({ port })];
  const initial = await r.policy('Initial', { telnet: false });
  const policy = await r.policy('Group', { 'sys-location': 'group' });
  const filter = bySerial(announced.serialNumber, swept.serialNumber);
  const id = await r.group({ name: 'All off', kind: 'auto', priority: 1, policyId: policy, filter });
  await r.ok('PUT', '/api/v1/instant-on', { initialPolicyId: initial }); // chosen, but automatic remediation stays off
  await r.settings({ autoGroupFilterExecutionFrequency: '0:0:0:1' });
  t.is(await announced.boot(), 'Success');
  const { taskId } = await r.ok('POST', '/api/v1/discovery', { targets: [swept.address], snmpPort: port });
  await waitFor(async () => (await r.ok('GET', `/api/v1/tasks/${taskId}`)).state === 'done', 30_000);
  await r.ok('PUT', `/api/v1/groups/${id}`, { name: 'All off', kind: 'auto', priority: 2, policyId: initial, filter });
  const runs = (await r.ok('GET', '/api/v1/groups')).refresh.refreshRuns;
  await waitFor(async () => (await r.ok('GET', '/api/v1/groups')).refresh.refreshRuns >= runs + 2, 15_000);
  await r.quiet();
  t.is((await r.ok('GET', '/api/v1/groups')).groups[0].memberCount, 2);
  t.is((await r.ok('GET', '/api/v1/tasks?type=assessment')).matched, 0);
  t.is((await r.ok('GET', '/api/v1/tasks?type=instant-on')).matched, 0);
  for (const p of [announced, swept]) t.like(p.agent!.values(), { telnet: true, 'sys-location': '' });
});

test('bad input: filter that does not parse, unknown field, unknown policy, priority clash → 400 naming the field; a policy a group uses cannot be deleted', async (t) => {
  const r = await groupsRig(t);
  const policy = await r.policy('Kept', { telnet: false });
  await r.group({ name: 'Holder', kind: 'auto', priority: 7, policyId: policy, filter: { field: 'model', op: 'contains', value: 'M555' } });
  const fields = async (body: unknown, path = '/api/v1/groups', method = 'POST') => {
    const res = await r.call(method, path, body);
    t.is(res.status, 400, JSON.stringify(res.body));
    return res.body.error.details.map((d: any) => `${d.field}: ${d.message}`);
  };
  const base = { name: 'New', kind: 'auto', priority: 8 };
  t.regex((await fields({ ...base, filter: 'model contains M555' }))[0], /^filter: must be a condition/);
  t.regex((await fields({ ...base, filter: { all: [{ field: 'colour', op: 'equals', value: 'red' }] } }))[0], /^filter\.all\.0\.field: unknown field/);
  t.regex((await fields({ ...base, filter: { field: 'ipv4', op: 'inRange', value: '10.1.2.0/40' } }))[0], /^filter\.value: /);
  t.regex((await fields({ ...base, policyId: 'no-such-policy', filter: { field: 'model', op: 'equals', value: 'x' } }))[0], /^policyId: no policy/);
  t.regex((await fields({ ...base, priority: 7, filter: { field: 'model', op: 'equals', value: 'x' } }))[0], /^priority: priority 7 is already used by group "Holder"/);
  t.regex((await fields({ ...base, kind: 'manual', members: ['NOT-A-DEVICE'] }))[0], /^members\.0: no device/);
  t.regex((await fields({ filter: { field: 'x' } }, '/api/v1/groups/preview'))[0], /^filter\.field: unknown field/);
  const raw = await r.call('POST', '/api/v1/groups', undefined);
  t.is(raw.status, 400);
  const del = await r.call('DELETE', `/api/v1/policies/${policy}`);
  t.is(del.status, 409);
  t.regex(del.body.error.message, /"Holder"/);
  t.is((await r.call('GET', `/api/v1/policies/${policy}`)).status, 200, 'still there');
  t.is((await r.ok('GET', '/api/v1/groups')).groups.length, 1, 'nothing stored by the refused requests');
  t.is((await r.call('GET', '/api/v1/groups/nope')).status, 404);
});
