// Review of discovery: addresses no printer has are refused however they are written (IPv4-mapped IPv6),
// and when a host name resolves to one (a DNS answer is not the admin's choice) — at the check and again at a
// scheduled run, which resolves anew. A scheduled discovery edited through PUT /api/v1/schedules/:id gets the
// same checks as the discovery route. Multicast and broadcast would hand the communities to every host.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { PolicyRepo } from '../../../appliance/src/policy/policy-repo.ts';
import { TaskEngine } from '../../../appliance/src/tasks/engine.ts';
import { Discovery } from '../../../appliance/src/discovery/index.ts';
import { addressProblem, parseTarget } from '../../../appliance/src/discovery/targets.ts';
import { parseUpload } from '../../../appliance/src/discovery/upload.ts';
import { MAX_HOST_NAMES, resolveNames } from '../../../appliance/src/discovery/resolve.ts';
import type { QualifyRequest } from '../../../appliance/src/snmp/qualify.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';

test('forbidden addresses are refused in every spelling', (t) => {
  for (const a of ['224.0.0.1', '255.255.255.255', '0.0.0.0', '::ffff:224.0.0.1', '::ffff:e000:1', '::FFFF:255.255.255.255', '0:0:0:0:0:ffff:0.0.0.0', 'ff02::1', '::', '0::0', '0:0:0:0:0:0:0:0']) {
    t.truthy(addressProblem(a), a);
    const r = parseTarget(a);
    t.false(r.ok, `${a} accepted as a target`);
  }
  for (const a of ['10.0.0.5', '::ffff:10.0.0.5', '::1', '2001:db8::5', 'fe80::1']) t.is(addressProblem(a), undefined, a);
});

async function discovery(answers: Record<string, string>) {
  const store = await Store.open();
  const registry = new DeviceRegistry(store, () => 50);
  const policies = new PolicyRepo(store);
  const tasks = new TaskEngine({ store, registry, policies, log: silentLogger(), runDevice: async () => { throw new Error('not used'); },
    limits: () => ({ maxNumberTasks: 2, maxConcurrentDevices: 8, childTaskSize: 25, compatibilityMode: false }) });
  const probed: string[] = [];
  const d = new Discovery({
    tasks, registry, log: silentLogger(), policyExists: () => true,
    credentials: { forDevice: async () => ({ default: { version: '2c', readCommunity: 'c', writeCommunity: 'w' } as any }), general: async () => ({ default: { version: '2c', readCommunity: 'c', writeCommunity: 'w' } as any }) },
    limits: () => ({ rate: 1000, concurrency: 4, timeoutMs: 100, retries: 0, maxAddresses: 1000 }),
    lookup: async (name) => (answers[name] ? [{ address: answers[name], family: answers[name].includes(':') ? 6 : 4 }] : []),
    qualify: async (req: QualifyRequest) => { probed.push(req.host); return { result: { kind: 'no-answer', detail: 'test' }, packets: 1 }; },
  });
  await tasks.load();
  return { d, tasks, probed, answers };
}

test('a host name that resolves to multicast, broadcast or a mapped form of them is refused; nothing is probed', async (t) => {
  const { d } = await discovery({ 'prn1.branch.lan': '10.0.0.7', 'evil.branch.lan': '224.0.0.1', 'bcast.branch.lan': '255.255.255.255', 'v6.branch.lan': '::ffff:224.0.0.251' });
  t.true((await d.check({ targets: ['prn1.branch.lan'] })).ok);
  const r = await d.check({ targets: ['prn1.branch.lan', 'evil.branch.lan', 'bcast.branch.lan', 'v6.branch.lan'] });
  t.false(r.ok);
  if (r.ok) return;
  t.deepEqual(r.errors.map((e) => e.field), ['targets[1]', 'targets[2]', 'targets[3]']);
  t.regex(r.errors[0].message, /"evil\.branch\.lan" resolves to 224\.0\.0\.1, which is one of the multicast/);
});

test('a scheduled run resolves again: a name that now answers multicast is not probed', async (t) => {
  const { d, tasks, probed, answers } = await discovery({ 'prn1.branch.lan': '10.0.0.7' });
  const action = d.scheduleAction();
  action.validate!({ type: 'discovery', targets: ['prn1.branch.lan', '10.0.0.9'] });
  answers['prn1.branch.lan'] = '224.0.0.1'; // the DNS answer changed after the schedule was made
  const { taskId } = await action.run({ type: 'discovery', targets: ['prn1.branch.lan', '10.0.0.9'] }, { id: 'sch-1' } as any);
  const until = Date.now() + 5000;
  while (tasks.get(taskId)?.state !== 'done' && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  const task = tasks.get(taskId)!;
  t.is(task.state, 'done');
  t.deepEqual(probed, ['10.0.0.9'], 'only the literal address was probed');
  t.regex(JSON.stringify((task.result as any).errors), /prn1\.branch\.lan.*resolves to 224\.0\.0\.1/);
});

test('PUT /api/v1/schedules/:id: a discovery action with a bad port or assess object is refused by name', async (t) => {
  const { d } = await discovery({});
  const validate = d.scheduleAction().validate!;
  for (const [action, field] of [[{ snmpPort: 'abc' }, 'snmpPort'], [{ snmpPort: 0 }, 'snmpPort'], [{ snmpPort: 70000 }, 'snmpPort'],
    [{ assess: 'p1' }, 'assess'], [{ assess: null }, 'assess'], [{ assess: { policyId: 5 } }, 'assess'], [{ assess: { policyId: 'p', remediate: 'yes' } }, 'assess']] as const) {
    const err = t.throws(() => validate({ type: 'discovery', targets: ['10.0.0.1'], ...action }), undefined, JSON.stringify(action));
    t.is((err as any)?.field, field, JSON.stringify(action));
  }
  t.notThrows(() => validate({ type: 'discovery', targets: ['10.0.0.1'], snmpPort: 1161, assess: { policyId: 'p', remediate: true } }));
});

test('an upload of a million one-character lines is refused at line 10,001 without parsing the rest', (t) => {
  const text = 'a\n'.repeat(1024 * 1024);
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const r = parseUpload(text);
  const grew = process.memoryUsage().rss - before;
  t.false(r.ok);
  if (!r.ok) t.deepEqual(r.errors, [{ line: 10_001, message: 'the file has more than 10000 lines' }]);
  t.true(grew < 100 * 2 ** 20, `RSS grew ${(grew / 2 ** 20).toFixed(0)} MiB (was +550 MiB)`);
  t.true(performance.now() - started < 1000, 'the event loop is not held for seconds');
});

test('host names: at most two lookups hold a resolver thread at once, even when they time out; at most 1,000 names a job', async (t) => {
  let inFlight = 0;
  let most = 0;
  // A resolver that takes 200 ms per name, far beyond the 10 ms timeout: each timed-out lookup keeps its thread.
  const slow = async () => { inFlight++; most = Math.max(most, inFlight); await new Promise((r) => setTimeout(r, 200)); inFlight--; return [{ address: '10.0.0.1', family: 4 }]; };
  const names = Array.from({ length: 12 }, (_, i) => `prn${i}.branch.lan`);
  const out = await resolveNames(names, { lookup: slow, timeoutMs: 10 });
  t.is(most, 2, 'never more than two lookups in flight');
  t.true([...out.values()].every((r) => 'error' in r && /timed out|ETIMEOUT/.test(r.error)));
  const { d } = await discovery({});
  const many = Array.from({ length: MAX_HOST_NAMES + 1 }, (_, i) => `prn${i}.branch.lan`);
  const r = await d.check({ targets: many });
  t.false(r.ok);
  if (!r.ok) { t.is(r.code, 'too-many-host-names'); t.regex(r.errors[0].message, /1001 host names; a job may name at most 1000/); }
  t.throws(() => d.scheduleAction().validate!({ type: 'discovery', targets: many }), { message: /at most 1000/ });
});
