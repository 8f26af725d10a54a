// The four triggers without a network (the system tests repeat each against real SNMP agents): which
// devices each remediates, with which policy, and that each is silent when off.
import test from 'ava';
import { GroupInputSchema } from '../../../appliance/src/autogroups/group.ts';
import { rig } from './helpers.ts';

const auto = (name: string, priority: number, filter: unknown, policyId: string | null = null) => GroupInputSchema.parse({ name, kind: 'auto', filter, priority, policyId });
const byModel = (m: string) => ({ field: 'model', op: 'contains', value: m });

async function withPolicies(settings = {}, runMs = 0) {
  const r = await rig({ settings, runMs });
  const initial = await r.policies.create({ name: 'Initial', settings: { telnet: false } });
  const group = await r.policies.create({ name: 'Group', settings: { ftp: 'off' } });
  return { ...r, initial, group };
}

test('A: the Initial Assessment Policy then the group policy; skipInstantOnPolicy; no group → initial only; off → nothing', async (t) => {
  const r = await withPolicies();
  t.teardown(r.stop);
  await r.groups.create(auto('M555', 1, byModel('M555'), r.group.id));
  await r.groups.create(auto('M611 no policy', 2, byModel('M611')));
  await r.announce('MEMBER', { model: 'HP M555dn' });
  await r.announce('NOPOLICY', { model: 'HP M611dn' });
  await r.announce('LONER', { model: 'HP 4002dn' });
  const plan = (s: string) => r.triggers.instantOnPlan(r.registry.get(s)!)?.policyIds;
  t.is(plan('MEMBER'), undefined, 'A off: allowAutomaticRemediation is off');
  Object.assign(r.settings, { allowAutomaticRemediation: true, initialPolicyId: r.initial.id });
  t.deepEqual(plan('MEMBER'), [r.initial.id, r.group.id]);
  t.deepEqual(plan('NOPOLICY'), [r.initial.id], 'member of a group without a policy: initial only');
  t.deepEqual(plan('LONER'), [r.initial.id]);
  r.settings.skipInstantOnPolicy = true;
  t.deepEqual(plan('MEMBER'), [r.group.id], 'skip: only the group policy for a member');
  t.deepEqual(plan('LONER'), [r.initial.id], 'skip: a device without a group policy still gets the initial one');
  r.settings.initialPolicyId = 'gone';
  t.is(plan('MEMBER'), undefined, 'A needs an existing Initial Assessment Policy');
});

test('the engine applies an Instant-On task\'s policies in order and records each', async (t) => {
  const r = await withPolicies();
  t.teardown(r.stop);
  await r.announce('ORDER');
  const { ops, task } = r.tasks.reserveInstantOn('ORDER', [r.initial.id, r.group.id], 'initial-boot');
  await r.store.commit(ops);
  r.tasks.adopt(task!);
  await r.settle();
  t.deepEqual(r.runs.map((x) => x.policy), ['Initial', 'Group']);
  const done = r.tasks.get(task!.id)!;
  t.is(done.state, 'done');
  t.deepEqual(done.policyIds, [r.initial.id, r.group.id]);
  t.deepEqual(done.outcomes.ORDER.steps!.map((s) => s.policyId), [r.initial.id, r.group.id]);
  const hist = (await r.registry.history('ORDER')).filter((h) => h.kind === 'assessment').reverse();
  t.deepEqual(hist.map((h) => h.assessment!.policyName), ['Initial', 'Group']);
  t.is(r.registry.get('ORDER')!.lastPolicy!.name, 'Group');
});

test('B: only devices that a discovery (sweep or manual address) brought into an autogroup with a policy; off → nothing', async (t) => {
  const r = await withPolicies();
  t.teardown(r.stop);
  await r.groups.create(auto('M555', 1, byModel('M555'), r.group.id));
  const found = (serial: string, model: string, way: 'discovery' | 'manual' = 'discovery') => r.registry.recordFound({ serialNumber: serial, model, snmpPort: 161, vendor: 'hp', address: '10.0.0.9', ipv4: '10.0.0.9' }, way, 'task-1');
  await found('OFF1', 'HP M555dn');
  await r.triggers.flushFound();
  await r.settle();
  t.deepEqual(r.runs, [], 'B off');
  r.settings.discovery = true;
  await r.announce('OLD', { model: 'HP M555dn' }); // already a member (joined by announcement)
  await found('OLD', 'HP M555dn');                  // found again by a sweep: not new in the group
  await found('OFF1', 'HP M555dn');                 // found again, still a member: not new
  await found('NEW', 'HP M555dn');                  // new device, joins
  await found('MAN', 'HP M555dn', 'manual');        // an address an admin gave, joins
  await found('OTHER', 'HP M611dn');                // new device, joins nothing
  await r.triggers.flushFound();
  await r.settle();
  t.deepEqual(r.runs.map((x) => [x.serial, x.policy]).sort(), [['MAN', 'Group'], ['NEW', 'Group']]);
  const task = r.tasks.list({ type: 'assessment' }).find((x) => x.trigger === 'autogroup:discovery')!;
  t.like(task, { groupName: 'M555', policyId: r.group.id, remediate: true });
  // An attribute change found by a sweep that brings a known device into the group is "new in the group" too.
  r.runs.length = 0;
  await found('OTHER', 'HP M555dn');
  await r.triggers.flushFound();
  await r.settle();
  t.deepEqual(r.runs.map((x) => x.serial), ['OTHER']);
});

test('C: filters re-run and only devices that joined since the last run are remediated; off → nothing but the refresh', async (t) => {
  let now = 1_000_000;
  const r = await rig({ clock: () => now, settings: { interval: true } });
  t.teardown(r.stop);
  const p = await r.policies.create({ name: 'Group', settings: { telnet: false } });
  await r.announce('EARLY', { model: 'HP M555dn' });
  now += 10;
  const g = await r.groups.create(auto('M555', 1, byModel('M555'), p.id));
  now += 10;
  await r.triggers.refresh();
  await r.settle();
  t.deepEqual(r.runs.map((x) => x.serial), ['EARLY'], 'joined (at creation) since start');
  now += 10;
  await r.announce('LATE', { model: 'HP M555dn' });
  now += 10;
  await r.triggers.refresh();
  await r.settle();
  t.deepEqual(r.runs.map((x) => x.serial), ['EARLY', 'LATE'], 'only the newcomer the second time');
  t.true(r.tasks.list().filter((x) => x.trigger === 'autogroup:interval').every((x) => x.groupId === g.id));
  now += 10;
  await r.triggers.refresh();
  await r.settle();
  t.is(r.runs.length, 2, 'nobody new: nothing');
  r.settings.interval = false;
  now += 10;
  await r.announce('OFF', { model: 'HP M555dn' });
  now += 10;
  await r.triggers.refresh();
  await r.settle();
  t.is(r.runs.length, 2, 'C off');
  t.is(r.triggers.stats.refreshRuns, 4);
});

test('D: editing an autogroup\'s filter or policy, or the policy, remediates every member; name or priority alone does not; off → nothing', async (t) => {
  const r = await withPolicies({ edit: true });
  t.teardown(r.stop);
  for (const s of ['M1', 'M2', 'M3']) await r.announce(s, { model: 'HP M555dn' });
  const g = await r.groups.create(auto('M555', 1, byModel('M555'), r.group.id));
  await r.settle();
  t.deepEqual(r.runs.map((x) => x.serial).sort(), ['M1', 'M2', 'M3'], 'creating a group with a policy is an edit');
  r.runs.length = 0;
  await r.groups.update(g.id, auto('M555 renamed', 9, byModel('M555'), r.group.id));
  await r.settle();
  t.deepEqual(r.runs, []);
  await r.groups.update(g.id, auto('M555 renamed', 9, byModel('M555'), r.initial.id));
  await r.settle();
  t.deepEqual(r.runs.map((x) => x.policy), ['Initial', 'Initial', 'Initial']);
  r.runs.length = 0;
  await r.policies.update(r.initial.id, { name: 'Initial', settings: { telnet: true } });
  await r.triggers.policyEdited(r.initial.id);
  await r.settle();
  t.is(r.runs.length, 3);
  r.runs.length = 0;
  r.settings.edit = false;
  await r.groups.update(g.id, auto('M555 renamed', 9, byModel('M55'), r.group.id));
  await r.triggers.policyEdited(r.group.id);
  await r.settle();
  t.deepEqual(r.runs, [], 'D off');
});

test('coalesced per device: a device with the policy still pending is not queued twice', async (t) => {
  const r = await withPolicies({ edit: true }, 100);
  t.teardown(r.stop);
  for (const s of ['C1', 'C2']) await r.announce(s, { model: 'HP M555dn' });
  const g = await r.groups.create(auto('M555', 1, byModel('M555'), r.group.id));
  await r.triggers.policyEdited(r.group.id); // same moment: the creation's task is still pending
  await r.groups.update(g.id, auto('M555', 1, { any: [byModel('M555'), byModel('M611')] }, r.group.id));
  await r.settle();
  t.is(r.runs.length, 2);
  t.is(r.tasks.list({ type: 'assessment' }).length, 1);
});
