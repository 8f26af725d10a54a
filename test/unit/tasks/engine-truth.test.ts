// Tasks that tell the truth (issue 17 §2): queued until a device slot is theirs, cancel stops queued work at
// once and in-flight work after the current device, parts with their parent, cancel all of a kind, counts.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { PolicyRepo } from '../../../appliance/src/policy/policy-repo.ts';
import { TaskEngine, type RunDevice, type EngineLimits } from '../../../appliance/src/tasks/engine.ts';
import type { TaskRecord } from '../../../appliance/src/tasks/task.ts';
import { announcementSchema } from '../../../appliance/src/protocol/messages.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';
import { sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

/** A device runner held at a gate: `started` lists the devices whose SNMP step began; `open()` lets them finish. */
function gatedRunner() {
  const started: string[] = [];
  let gates: (() => void)[] = [];
  let open = false;
  const run: RunDevice = async (device) => {
    started.push(device.serialNumber);
    if (!open) await new Promise<void>((r) => gates.push(r));
    return { record: { status: 'compliant', settings: [] } };
  };
  return { run, started, open: () => { open = true; for (const g of gates) g(); gates = []; }, releaseOne: () => gates.shift()?.() };
}

async function setup(run: RunDevice, limits: Partial<EngineLimits> = {}) {
  const store = await Store.open();
  const registry = new DeviceRegistry(store, () => 50);
  await registry.load();
  const policies = new PolicyRepo(store);
  await policies.load();
  const policy = await policies.create({ name: 'p', settings: { telnet: false } });
  const engine = new TaskEngine({ store, registry, policies, runDevice: run, log: silentLogger(),
    limits: () => ({ maxNumberTasks: 10, maxConcurrentDevices: 64, childTaskSize: 25, compatibilityMode: false, ...limits }) });
  await engine.load();
  const serials: string[] = [];
  const add = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const s = `TR${String(serials.length).padStart(5, '0')}`;
      await registry.record(announcementSchema.parse(sampleAnnouncement(s)), { address: '10.0.0.1', authMethod: 'anonymous' });
      serials.push(s);
    }
    return serials;
  };
  return { store, registry, engine, policy, add };
}

const until = async (fn: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!fn()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 5)); }
};

test('1,500 Instant-On tasks and 64 device slots: 64 running, the rest queued, and the counts say so', async (t) => {
  const g = gatedRunner();
  const s = await setup(g.run, { maxConcurrentDevices: 64 });
  const serials = await s.add(1500);
  for (const serial of serials) {
    const r = s.engine.reserveInstantOn(serial, s.policy.id, 'initial-boot');
    await s.store.commit(r.ops);
    s.engine.adopt(r.task!);
  }
  await until(() => g.started.length === 64);
  await new Promise((r) => setTimeout(r, 50));
  const stats = s.engine.stats();
  t.is(stats.running, 64);
  t.is(stats.queued, 1436);
  t.deepEqual(stats.byType['instant-on'], { queued: 1436, running: 64, done: 0, failed: 0, cancelled: 0 });
  t.is(stats.devicesInFlight, 64);
  t.is(s.engine.list({ state: 'running' }).length, 64);
  t.true(s.engine.list({ state: 'queued' }).every((x) => x.startedAt === undefined), 'a queued task has not started');

  // Cancel all of the kind: the 1,436 that wait never start; the 64 under way finish their device and stop.
  const n = await s.engine.cancelAll({ type: 'instant-on' });
  t.is(n, 1500);
  t.is(s.engine.stats().devicesWaiting, 0, 'cancelled work left the device queue at once');
  g.open();
  await until(() => s.engine.stats().devicesInFlight === 0);
  await new Promise((r) => setTimeout(r, 50));
  t.is(g.started.length, 64, 'no device started after the cancel');
  t.deepEqual(s.engine.stats().byType['instant-on'], { queued: 0, running: 0, done: 0, failed: 0, cancelled: 1500 });
  const ranOne = s.engine.list({ type: 'instant-on' }).filter((x) => Object.keys(x.outcomes).length === 1);
  t.is(ranOne.length, 64, 'the devices under way have their result recorded');
  t.true(ranOne.every((x) => x.state === 'cancelled'), 'a finished device does not turn a cancelled task back into done');
  t.is(s.registry.list().filter((d) => d.compliance).length, 64);
});

test('cancelling an assessment of 200: queued devices never start, the current ones finish, parent and parts cancelled', async (t) => {
  const g = gatedRunner();
  const s = await setup(g.run, { maxConcurrentDevices: 8, maxNumberTasks: 2, childTaskSize: 25 });
  const serials = await s.add(200);
  const parent = await s.engine.createAssessment(s.policy.id, serials, true, 'manual');
  t.is(parent.childIds!.length, 8);
  await until(() => g.started.length === 8);
  const p = s.engine.get(parent.id)!;
  t.is(p.state, 'running');
  // Two parts hold the two task slots, but the first one's devices hold all 8 device slots: one part runs.
  t.deepEqual(s.engine.childCounts(p), { queued: 7, running: 1, done: 0, failed: 0, cancelled: 0 });
  g.releaseOne(); g.releaseOne(); // two devices finish before the cancel
  await until(() => g.started.length === 10);
  const events: TaskRecord[] = [];
  s.engine.on('task', (x) => events.push({ ...x }));
  await s.engine.cancel(parent.id);
  t.is(s.engine.get(parent.id)!.state, 'cancelled');
  t.deepEqual(s.engine.childCounts(s.engine.get(parent.id)!), { queued: 0, running: 0, done: 0, failed: 0, cancelled: 8 });
  g.open();
  await until(() => s.engine.stats().devicesInFlight === 0);
  await new Promise((r) => setTimeout(r, 50));
  t.is(g.started.length, 10, 'only the devices already under way ran');
  const after = s.engine.get(parent.id)!;
  t.is(after.state, 'cancelled');
  t.is(Object.keys(after.outcomes).length, 10, 'the parent counts every device that did run, including the in-flight ones');
  const stored = await s.store.get<TaskRecord>('tasks', parent.id);
  t.is(stored!.state, 'cancelled');
  t.true(events.some((e) => e.id === parent.id && e.state === 'cancelled'));
});

test('cancelling one part: the others finish, the parent ends cancelled (not queued forever) with their results', async (t) => {
  const g = gatedRunner();
  const s = await setup(g.run, { maxConcurrentDevices: 64, maxNumberTasks: 1, childTaskSize: 10 });
  const serials = await s.add(30);
  const parent = await s.engine.createAssessment(s.policy.id, serials, false, 'manual');
  const [first, second, third] = parent.childIds!;
  await until(() => g.started.length === 10);
  t.is(s.engine.get(second)!.state, 'queued');
  await s.engine.cancel(second);
  t.is(s.engine.get(parent.id)!.state, 'running');
  g.open();
  await until(() => s.engine.get(parent.id)!.state !== 'running');
  t.is(s.engine.get(parent.id)!.state, 'cancelled');
  t.is(s.engine.get(first)!.state, 'done');
  t.is(s.engine.get(third)!.state, 'done');
  t.is(Object.keys(s.engine.get(parent.id)!.outcomes).length, 20);
  t.is(g.started.length, 20, 'the cancelled part never started a device');
});

test('compatibility mode: a cancelled part stops after the device under way', async (t) => {
  const g = gatedRunner();
  const s = await setup(g.run, { compatibilityMode: true, maxNumberTasks: 1, childTaskSize: 25 });
  const serials = await s.add(25);
  const parent = await s.engine.createAssessment(s.policy.id, serials, false, 'manual');
  await until(() => g.started.length === 1);
  await s.engine.cancel(parent.id);
  g.open();
  await until(() => s.engine.stats().devicesInFlight === 0);
  await new Promise((r) => setTimeout(r, 50));
  t.is(g.started.length, 1);
  t.is(s.engine.get(parent.id)!.state, 'cancelled');
  t.is(Object.keys(s.engine.get(parent.id)!.outcomes).length, 1);
});
