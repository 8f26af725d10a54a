// The task engine without a network: a fake device runner with controllable timing.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { PolicyRepo } from '../../../appliance/src/policy/policy-repo.ts';
import { TaskEngine, type RunDevice, type EngineLimits } from '../../../appliance/src/tasks/engine.ts';
import { parseEvery } from '../../../appliance/src/tasks/task.ts';
import { announcementSchema } from '../../../appliance/src/protocol/messages.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';
import { sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

async function setup(limits: Partial<EngineLimits> = {}, run?: RunDevice, store?: Store) {
  store ??= await Store.open();
  const registry = new DeviceRegistry(store, () => 50);
  await registry.load();
  const policies = new PolicyRepo(store);
  await policies.load();
  const policy = policies.list()[0] ?? await policies.create({ name: 'p', settings: { telnet: false } });
  let inFlight = 0;
  let maxInFlight = 0;
  const calls: string[] = [];
  const runDevice: RunDevice = run ?? (async (device) => {
    calls.push(device.serialNumber);
    inFlight++; maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 20));
    inFlight--;
    return { record: { status: 'remediated', settings: [{ id: 'telnet', expected: false, before: true, actual: false, changed: true, compliant: true, supported: true, outcome: 'remediated' }] } };
  });
  const engine = new TaskEngine({ store, registry, policies, runDevice, log: silentLogger(),
    limits: () => ({ maxNumberTasks: 10, maxConcurrentDevices: 64, childTaskSize: 25, compatibilityMode: false, ...limits }) });
  await engine.load();
  const addDevices = async (n: number) => {
    for (let i = 0; i < n; i++) await registry.record(announcementSchema.parse(sampleAnnouncement(`UT${String(i).padStart(5, '0')}`)), { address: '10.0.0.1', authMethod: 'anonymous' });
  };
  return { store, registry, engine, policy, calls, stats: () => ({ maxInFlight }), addDevices };
}

const settle = async (engine: TaskEngine) => { while (engine.list({ state: 'active' }).length) await new Promise((r) => setTimeout(r, 10)); };

test('an assessment over 60 devices is split into child tasks of 25 and every device gets one result', async (t) => {
  const s = await setup();
  await s.addDevices(60);
  const parent = await s.engine.createAssessment(s.policy.id, s.registry.list().map((d) => d.serialNumber), true, 'manual');
  t.is(parent.childIds!.length, 3);
  await settle(s.engine);
  t.is(s.engine.get(parent.id)!.state, 'done');
  t.is(Object.keys(s.engine.get(parent.id)!.outcomes).length, 60);
  t.is(s.calls.length, 60);
  t.true(s.registry.list().every((d) => d.compliance?.status === 'remediated'));
});

test('compatibility mode: at most 10 tasks and one device per task at a time', async (t) => {
  const s = await setup({ compatibilityMode: true, maxNumberTasks: 10 });
  await s.addDevices(100);
  await s.engine.createAssessment(s.policy.id, s.registry.list().map((d) => d.serialNumber), false, 'manual');
  await settle(s.engine);
  t.is(s.calls.length, 100);
  t.true(s.stats().maxInFlight <= 4, `child tasks of 25: 4 tasks, one device each → ${s.stats().maxInFlight}`);
  const d = await setup({ compatibilityMode: false, maxConcurrentDevices: 64 });
  await d.addDevices(100);
  await d.engine.createAssessment(d.policy.id, d.registry.list().map((x) => x.serialNumber), false, 'manual');
  await settle(d.engine);
  t.true(d.stats().maxInFlight > 10, `default mode runs devices concurrently (${d.stats().maxInFlight})`);
});

test('Instant-On: one pending task per device; announcements while it runs make it run once more, not more', async (t) => {
  const s = await setup();
  await s.addDevices(1);
  const serial = s.registry.list()[0].serialNumber;
  const first = s.engine.reserveInstantOn(serial, s.policy.id, 'initial-boot');
  t.is(first.ops.length, 1);
  s.engine.adopt(first.task!);
  await new Promise((r) => setTimeout(r, 5));
  for (let i = 0; i < 10; i++) t.deepEqual(s.engine.reserveInstantOn(serial, s.policy.id, 'power-cycle').ops, []);
  await settle(s.engine);
  t.is(s.calls.length, 2, 'ran once, then once more for the ten coalesced announcements');
  t.is(s.engine.list({ type: 'instant-on' }).length, 1);
  t.is(s.engine.get(first.task!.id)!.runs, 2);
});

test('after a crash, queued and running tasks continue and finished results are not run again', async (t) => {
  const store = await Store.open();
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let n = 0;
  const slow: RunDevice = async () => {
    if (++n > 10) await gate; // the first 10 finish, the rest hang: the "crash" happens while they do
    return { record: { status: 'compliant', settings: [] } };
  };
  const a = await setup({ maxConcurrentDevices: 5 }, slow, store);
  await a.addDevices(30);
  const parent = await a.engine.createAssessment(a.policy.id, a.registry.list().map((d) => d.serialNumber), false, 'manual');
  while (Object.keys(a.engine.get(parent.childIds![0])!.outcomes).length < 10) await new Promise((r) => setTimeout(r, 5));
  await a.store.commit([]); // what is recorded is on "disk"; the engine's memory is now thrown away
  const b = await setup({}, undefined, store);
  await settle(b.engine);
  release();
  const p = b.engine.get(parent.id)!;
  t.is(p.state, 'done');
  t.is(Object.keys(p.outcomes).length, 30);
  t.is(b.calls.length, 30 - Object.values(p.outcomes).filter((o) => o.status === 'compliant').length, 'only the unfinished devices ran again');
});

test('schedule formats', (t) => {
  t.is(parseEvery('1:0:0:0'), 86_400_000);
  t.is(parseEvery('0:0:0:5'), 5000);
  t.is(parseEvery('0:0:0:0'), null);
  t.is(parseEvery('0:25:0:0'), null);
  t.is(parseEvery('five'), null);
});
