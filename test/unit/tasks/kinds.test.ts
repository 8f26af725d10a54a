// Tasks of a registered kind (discovery and later ones): progress, cancel, failure, resume after a restart.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { PolicyRepo } from '../../../appliance/src/policy/policy-repo.ts';
import { TaskEngine, type TaskRunner } from '../../../appliance/src/tasks/engine.ts';
import type { TaskRecord } from '../../../appliance/src/tasks/task.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';

async function engineWith(runner: TaskRunner, store?: Store) {
  store ??= await Store.open();
  const registry = new DeviceRegistry(store, () => 50);
  const policies = new PolicyRepo(store);
  const engine = new TaskEngine({ store, registry, policies, log: silentLogger(),
    runDevice: async () => { throw new Error('not used'); },
    limits: () => ({ maxNumberTasks: 2, maxConcurrentDevices: 8, childTaskSize: 25, compatibilityMode: false }) });
  engine.registerRunner('discovery', runner);
  await engine.load();
  return { store, engine };
}

const until = async (fn: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!fn()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 5)); }
};

test('a registered kind runs with its params, reports throttled progress and ends done with its counts stored', async (t) => {
  const events: TaskRecord[] = [];
  const { store, engine } = await engineWith(async (run) => {
    const n = (run.task.params as { n: number }).n;
    for (let i = 1; i <= n; i++) { run.progress({ done: i, total: n, found: Math.floor(i / 10) }); await new Promise((r) => setImmediate(r)); }
    run.task.result = { ok: true };
  });
  engine.on('task', (x) => events.push({ ...x }));
  const task = await engine.createTask('discovery', { trigger: 'manual', params: { n: 500 }, progress: { done: 0, total: 500 } });
  await until(() => engine.get(task.id)!.state === 'done');
  t.deepEqual(engine.get(task.id)!.progress, { done: 500, total: 500, found: 50 });
  t.true(events.length < 50, `${events.length} events for 500 progress calls`);
  t.is(events.at(-1)!.state, 'done');
  const stored = await store.get<TaskRecord>('tasks', task.id);
  t.like(stored, { state: 'done', type: 'discovery', progress: { done: 500, total: 500, found: 50 }, result: { ok: true } });
});

test('cancel aborts the runner; the task ends cancelled with the progress it made', async (t) => {
  let sawAbort = false;
  const { engine } = await engineWith(async (run) => {
    for (let i = 0; !run.signal.aborted; i++) { run.progress({ done: i, total: 1e9 }); await new Promise((r) => setTimeout(r, 2)); }
    sawAbort = true;
  });
  const task = await engine.createTask('discovery', { trigger: 'manual' });
  await until(() => (engine.get(task.id)!.progress?.done ?? 0) > 3);
  await engine.cancel(task.id);
  await until(() => sawAbort);
  t.is(engine.get(task.id)!.state, 'cancelled');
  t.true(engine.get(task.id)!.progress!.done > 3);
});

test('a runner that throws fails its task with the message; the slot is given back', async (t) => {
  let calls = 0;
  const { engine } = await engineWith(async () => { calls++; throw new Error('range too big'); });
  for (let i = 0; i < 4; i++) await engine.createTask('discovery', { trigger: 'manual' });
  await until(() => engine.list({ state: 'active' }).length === 0);
  t.is(calls, 4, 'failed tasks free their slots (2 slots, 4 tasks)');
  t.true(engine.list({ type: 'discovery' }).every((x) => x.state === 'failed' && x.error === 'range too big'));
});

test('a task interrupted by shutdown runs again from the start after the restart', async (t) => {
  const store = await Store.open();
  let release!: () => void;
  const first = await engineWith(async (run) => {
    run.progress({ done: 1, total: 2 });
    await new Promise<void>((r) => { release = r; run.signal.addEventListener('abort', () => r()); });
  }, store);
  const task = await first.engine.createTask('discovery', { trigger: 'schedule:x', params: { n: 2 } });
  await until(() => first.engine.get(task.id)!.state === 'running' && release !== undefined);
  await first.engine.stop();
  t.is((await store.get<TaskRecord>('tasks', task.id))!.state, 'running', 'left running on disk by the shutdown');
  let ranWith: unknown;
  const second = await engineWith(async (run) => { ranWith = run.task.params; run.progress({ done: 2, total: 2 }); }, store);
  await until(() => second.engine.get(task.id)!.state === 'done');
  t.deepEqual(ranWith, { n: 2 });
  t.is(second.engine.get(task.id)!.trigger, 'schedule:x');
});
