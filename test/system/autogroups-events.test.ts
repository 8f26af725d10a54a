// Joining and leaving a group is an event everywhere it should be: the device history, the audit log and
// MQTT (a real mosquitto and mosquitto_sub); and a group assessment, now or on a schedule, names its group.
import test from 'ava';
import { groupsRig } from '../fakes/groups-rig.ts';
import { startMosquitto, subscribe } from '../fakes/mosquitto.ts';
import { waitFor } from '../fakes/appliance.ts';

test('join and leave: device history, audit log and MQTT group-joined / group-left', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const r = await groupsRig(t, { INSTANT_ON_MQTT_URL: `mqtt://127.0.0.1:${broker.port}`, INSTANT_ON_MQTT_PREFIX: 'grp' });
  const sub = subscribe(broker.port, 'grp/devices/+/events');
  t.teardown(() => sub.stop());
  const p = await r.printer();
  await new Promise((res) => setTimeout(res, 300)); // the subscriber is connected
  t.is(await p.boot(), 'Success');
  const id = await r.group({ name: 'Watched', kind: 'auto', priority: 1, filter: { field: 'serial', op: 'equals', value: p.serialNumber } });
  await r.ok('PUT', `/api/v1/groups/${id}`, { name: 'Watched', kind: 'auto', priority: 1, filter: { field: 'serial', op: 'equals', value: 'nobody' } });
  await r.quiet();
  const hist = (await r.device(p.serialNumber)).history.filter((e: any) => e.kind.startsWith('group'));
  t.deepEqual(hist.map((e: any) => [e.kind, e.group.name, e.group.cause]), [['group-left', 'Watched', 'group-edited'], ['group-joined', 'Watched', 'group-created']]);
  const entries = (await r.ok('GET', '/api/v1/audit?action=group-membership')).entries as any[];
  t.deepEqual(entries.map((e) => [e.after.joined, e.after.left]).reverse(), [[[p.serialNumber], []], [[], [p.serialNumber]]]);
  const events: string[] = await waitFor(() => { const x = sub.lines.filter((l) => l.includes('"group-')); return x.length >= 2 ? x : undefined; }, 10_000);
  t.true(events[0].startsWith(`grp/devices/${p.serialNumber}/events {`));
  t.like(JSON.parse(events[0].slice(events[0].indexOf(' ') + 1)), { type: 'group-joined', group: { name: 'Watched' }, cause: 'group-created' });
  t.like(JSON.parse(events[1].slice(events[1].indexOf(' ') + 1)), { type: 'group-left', group: { name: 'Watched' }, cause: 'group-edited' });
});

test('group assessment now and on a schedule: the task names the group; every member is remediated with the group policy', async (t) => {
  const r = await groupsRig(t);
  const policy = await r.policy('Group', { telnet: false });
  const members = [await r.printer(), await r.printer()];
  for (const p of members) t.is(await p.boot(), 'Success');
  const id = await r.group({ name: 'Scheduled', kind: 'manual', priority: 1, policyId: policy, members: members.map((p) => p.serialNumber) });
  const now = await r.call('POST', `/api/v1/groups/${id}/assess`, { remediate: true });
  t.is(now.status, 202);
  const task = await waitFor(async () => { const x = await r.ok('GET', `/api/v1/tasks/${now.body.taskId}`); return x.state === 'done' && x; }, 20_000);
  t.like(task, { groupId: id, groupName: 'Scheduled', policyId: policy, trigger: 'group', total: 2 });
  for (const p of members) t.like(p.agent!.values(), { telnet: false });
  for (const p of members) p.agent!.setValue('telnet', true);
  const sch = await r.call('POST', `/api/v1/groups/${id}/assess`, { remediate: true, schedule: { kind: 'once' } });
  t.is(sch.status, 201);
  const scheduled = await waitFor(async () => (await r.ok('GET', '/api/v1/tasks?type=assessment')).tasks.find((x: any) => x.trigger === `schedule:${sch.body.scheduleId}` && x.state === 'done'), 20_000);
  t.like(scheduled, { groupName: 'Scheduled', total: 2 });
  for (const p of members) t.like(p.agent!.values(), { telnet: false });
  const bad = await r.call('POST', `/api/v1/groups/${id}/assess`, { remediate: true, policyId: 'missing' });
  t.is(bad.status, 400);
  t.is(bad.body.error.details[0].field, 'policyId');
});
