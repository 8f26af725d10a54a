// Groups and membership without a network: joins and leaves follow device changes and group edits, are
// written into the device history and survive a restart; priorities decide the group policy.
import test from 'ava';
import { GroupError, type MembershipEvent } from '../../../appliance/src/autogroups/autogroups.ts';
import { GroupInputSchema } from '../../../appliance/src/autogroups/group.ts';
import { rig } from './helpers.ts';

const auto = (name: string, priority: number, filter: unknown, policyId: string | null = null) => GroupInputSchema.parse({ name, kind: 'auto', filter, priority, policyId });

test('membership follows device changes (announcement, attribute change, compliance) and is in the history', async (t) => {
  const r = await rig();
  t.teardown(r.stop);
  const events: MembershipEvent[] = [];
  r.groups.on('membership', (e) => events.push(e));
  const finance = await r.groups.create(auto('Finance MFPs', 10, { all: [{ field: 'model', op: 'contains', value: 'M480' }, { field: 'ipv4', op: 'inRange', value: '10.20.30.0/24' }] }));
  const unhealthy = await r.groups.create(auto('Non-compliant', 5, { field: 'compliance', op: 'in', value: ['non-compliant', 'unreachable'] }));
  await r.announce('FIN1');
  await r.announce('ELSE1', { ipv4: '10.99.0.1' });
  await r.settle();
  t.deepEqual(r.groups.index.memberList(finance.id).map(([s]) => s), ['FIN1']);
  t.deepEqual(r.groups.deviceView('FIN1').groups.map((g) => g.name), ['Finance MFPs']);
  t.deepEqual(r.groups.deviceView('ELSE1').groups, []);

  // The printer moves to another subnet: it leaves the group.
  await r.announce('FIN1', { ipv4: '10.21.0.5' }, 'ip-change');
  await r.settle();
  t.is(r.groups.memberCount(finance.id), 0);
  // A compliance change (another room's apply) moves a device into a group.
  await r.registry.apply('ELSE1', () => ({ patch: { compliance: { status: 'non-compliant', settings: [] } as any } }));
  await r.settle();
  t.deepEqual(r.groups.index.memberList(unhealthy.id).map(([s]) => s), ['ELSE1']);

  const hist = await r.registry.history('FIN1');
  t.deepEqual(hist.filter((h) => h.kind.startsWith('group')).map((h) => [h.kind, h.group?.name, h.group?.cause]),
    [['group-left', 'Finance MFPs', 'device'], ['group-joined', 'Finance MFPs', 'device']]);
  t.deepEqual(events.map((e) => [e.groupName, e.joined, e.left]), [
    ['Finance MFPs', ['FIN1'], []], ['Finance MFPs', [], ['FIN1']], ['Non-compliant', ['ELSE1'], []]]);
});

test('a group edit re-evaluates every device; membership and join times survive a restart', async (t) => {
  const r = await rig();
  for (const s of ['A1', 'A2', 'B1']) await r.announce(s, { hostname: `${s.toLowerCase()}.lobby.lan` });
  const g = await r.groups.create(auto('Lobby A', 1, { field: 'hostname', op: 'glob', value: 'a*.lobby.*' }));
  t.is(r.groups.memberCount(g.id), 2);
  const joined = r.groups.index.joinedAt(g.id, 'A1');
  await r.groups.update(g.id, auto('Lobby A', 1, { field: 'hostname', op: 'glob', value: '*.lobby.lan' }));
  t.deepEqual(r.groups.index.memberList(g.id).map(([s]) => s).sort(), ['A1', 'A2', 'B1']);
  t.is(r.groups.index.joinedAt(g.id, 'A1'), joined, 'a member that stays keeps its join time');
  await r.settle();
  await r.stop();

  const again = await rig({ store: r.store });
  t.teardown(again.stop);
  t.deepEqual(again.groups.index.memberList(g.id).map(([s]) => s).sort(), ['A1', 'A2', 'B1']);
  t.is(again.groups.index.joinedAt(g.id, 'A1'), joined);
  await again.groups.remove(g.id);
  await again.settle();
  t.is(again.groups.deviceView('A1').groups.length, 0);
  t.deepEqual((await again.registry.history('A1')).filter((h) => h.kind.startsWith('group')).map((h) => [h.kind, h.group?.cause]),
    [['group-left', 'group-deleted'], ['group-joined', 'group-created']]);
});

test('group policy: the highest-priority group with a policy, with the reason; changing priorities changes it', async (t) => {
  const r = await rig();
  t.teardown(r.stop);
  const p1 = await r.policies.create({ name: 'Baseline', settings: { telnet: false } });
  const p2 = await r.policies.create({ name: 'Finance', settings: { telnet: false, ftp: 'off' } });
  await r.announce('D1');
  const all = await r.groups.create(auto('All HP', 10, { field: 'model', op: 'prefix', value: 'HP' }, p1.id));
  const fin = await r.groups.create(auto('Finance', 20, { field: 'serial', op: 'equals', value: 'D1' }, p2.id));
  await r.groups.create(auto('No policy', 30, { field: 'serial', op: 'equals', value: 'D1' }));
  t.like(r.groups.policyGroupOf('D1'), { policyName: 'Finance', groupName: 'Finance', priority: 20 });
  t.regex(r.groups.policyGroupOf('D1')!.reason, /"Finance" has the highest priority \(20\).*"All HP" \(priority 10\)/);
  await r.groups.update(all.id, auto('All HP', 40, { field: 'model', op: 'prefix', value: 'HP' }, p1.id));
  t.like(r.groups.policyGroupOf('D1'), { policyName: 'Baseline', groupName: 'All HP' });
  t.deepEqual(r.groups.deviceView('D1').groups.map((g) => g.priority), [40, 30, 20]);
  void fin;
});

test('bad groups: unknown policy, priority clash, duplicate name and unknown manual member are 400s naming the field', async (t) => {
  const r = await rig();
  t.teardown(r.stop);
  await r.announce('M1');
  await r.groups.create(auto('First', 7, { field: 'serial', op: 'prefix', value: 'M' }));
  const err = await t.throwsAsync(r.groups.create(GroupInputSchema.parse({ name: 'first', kind: 'manual', members: ['M1', 'NOPE'], priority: 7, policyId: 'missing' })), { instanceOf: GroupError });
  t.deepEqual(err!.details!.map((d) => d.field).sort(), ['members.1', 'name', 'policyId', 'priority']);
  t.regex(err!.details!.find((d) => d.field === 'priority')!.message, /already used by group "First"/);
  const schema = GroupInputSchema.safeParse({ name: 'x', kind: 'auto', priority: 1.5, filter: { field: 'colour', op: 'equals', value: 'red' } });
  t.false(schema.success);
  t.deepEqual(schema.error!.issues.map((i) => i.path.join('.')).sort(), ['filter.field', 'priority']);
  t.deepEqual(GroupInputSchema.safeParse({ name: 'x', kind: 'auto', priority: 2 }).error!.issues.map((i) => i.path.join('.')), ['filter']);
  // A manual group holds exactly its listed devices.
  const m = await r.groups.create(GroupInputSchema.parse({ name: 'Kiosk', kind: 'manual', members: ['M1'], priority: 8 }));
  t.deepEqual(r.groups.index.memberList(m.id).map(([s]) => s), ['M1']);
  t.deepEqual(r.groups.preview({ field: 'serial', op: 'equals', value: 'm1' }).members.map((d) => d.serialNumber), ['M1']);
  t.throws(() => r.groups.preview({ field: 'serial', op: 'near', value: 'm1' }), { message: /not valid/ });
});
