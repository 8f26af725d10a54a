// The scheduler against a fake clock: runs counted from the start (month ends clamp without drifting), one
// timer instead of polling, missed runs not replayed, edits and refusals naming the field.
import test from 'ava';
import FakeTimers from '@sinonjs/fake-timers';
import { Scheduler, ScheduleError } from '../../../appliance/src/tasks/scheduler.ts';
import { nextOccurrence, occurrence } from '../../../appliance/src/tasks/schedule.ts';
import { Store } from '../../../appliance/src/store/store.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
// Local-time arithmetic (date-fns works in the process's zone): build dates in local time so the test holds in any TZ.
const local = (y: number, m: number, d: number, h = 2) => new Date(y, m - 1, d, h, 0, 0, 0);

test('monthly from Jan 31 runs on each month\'s last day up to the 31st, never drifting', (t) => {
  const start = local(2028, 1, 31);
  const runs = [1, 2, 3, 4, 5].map((n) => occurrence({ kind: 'monthly' }, start, n)!);
  t.deepEqual(runs.map((d) => [d.getMonth() + 1, d.getDate()]), [[2, 29], [3, 31], [4, 30], [5, 31], [6, 30]]);
  const y2027 = occurrence({ kind: 'monthly' }, local(2027, 1, 31), 1)!;
  t.deepEqual([y2027.getMonth() + 1, y2027.getDate()], [2, 28]);
  // nextOccurrence from any point lands on the same sequence
  t.is(iso(nextOccurrence({ kind: 'monthly' }, start, local(2028, 3, 1))), iso(local(2028, 3, 31)));
  t.is(iso(nextOccurrence({ kind: 'monthly' }, start, local(2028, 3, 31))), iso(local(2028, 4, 30)));
});

test('daily, weekly, every and once', (t) => {
  const start = local(2026, 3, 1);
  t.is(iso(nextOccurrence({ kind: 'daily' }, start, local(2026, 3, 5, 3))), iso(local(2026, 3, 6)));
  t.is(iso(nextOccurrence({ kind: 'weekly' }, start, local(2026, 3, 5))), iso(local(2026, 3, 8)));
  t.is(iso(nextOccurrence({ kind: 'every', every: '0:1:30:0' }, start, start)), iso(new Date(start.getTime() + 90 * 60_000)));
  t.is(nextOccurrence({ kind: 'once' }, start, start), null);
  t.is(iso(nextOccurrence({ kind: 'once' }, start, local(2026, 2, 1))), iso(start));
});

async function setup(t: any, startAt: Date) {
  // setImmediate stays real: the in-memory store completes writes with it.
  const clock = FakeTimers.install({ now: startAt, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const store = await Store.open();
  const ran: string[] = [];
  const scheduler = new Scheduler({ store, log: silentLogger(), minIntervalMs: () => 300_000 });
  scheduler.registerAction('probe', { async run() { ran.push(new Date().toISOString()); return { taskId: `t${ran.length}` }; } });
  await scheduler.start();
  t.teardown(async () => { await scheduler.stop(); clock.uninstall(); await store.close(); });
  /** Moves the fake clock forward in steps, letting the store's real I/O callbacks complete in between. */
  const advance = async (ms: number, step = 600_000) => {
    for (let done = 0; done < ms; done += step) {
      await clock.tickAsync(Math.min(step, ms - done));
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
  };
  return { clock, scheduler, ran, advance };
}

test.serial('with a fake clock: a monthly schedule starting Jan 31 runs Feb 29, Mar 31, Apr 30 and shows its next time', async (t) => {
  const { scheduler, ran, advance } = await setup(t, local(2028, 1, 30, 12));
  const s = await scheduler.create({ name: 'month end', kind: 'monthly', startAt: local(2028, 1, 31).toISOString(), action: { type: 'probe' } });
  t.is(s.nextRunAt, local(2028, 1, 31).toISOString());
  await advance(100 * 86_400_000);
  t.deepEqual(ran, [local(2028, 1, 31), local(2028, 2, 29), local(2028, 3, 31), local(2028, 4, 30)].map((d) => d.toISOString()));
  t.is(scheduler.get(s.id)!.nextRunAt, local(2028, 5, 31).toISOString());
  t.is(scheduler.get(s.id)!.runs, 4);
});

test.serial('no polling: between runs no timer fires more often than the next due time (or hourly)', async (t) => {
  const { clock, scheduler } = await setup(t, local(2026, 6, 1, 0));
  await scheduler.create({ name: 'daily', kind: 'daily', startAt: local(2026, 6, 1, 2).toISOString(), action: { type: 'probe' } });
  t.is(clock.countTimers(), 1);
  const fired = clock.runToLast(); // the one armed timer, not a 1 s tick
  t.true(fired - local(2026, 6, 1, 0).getTime() >= 3_600_000 - 1, 'the first wakeup is an hour away, not a second');
});

test.serial('refusals name the field: too short an interval, a past start, an unknown action; edits recompute the next run', async (t) => {
  const { scheduler, ran, advance } = await setup(t, local(2026, 6, 1, 0));
  const fail = (fn: () => Promise<unknown>, field: string, code: string) => t.throwsAsync(fn, { instanceOf: ScheduleError }).then((e) => { t.is((e as ScheduleError).field, field); t.is((e as ScheduleError).code, code); });
  await fail(() => scheduler.create({ name: 'x', kind: 'every', every: '0:0:0:5', action: { type: 'probe' } }), 'every', 'interval-too-short');
  await fail(() => scheduler.create({ name: 'x', kind: 'once', startAt: local(2026, 5, 1).toISOString(), action: { type: 'probe' } }), 'startAt', 'start-in-past');
  await fail(() => scheduler.create({ name: 'x', kind: 'once', action: { type: 'nope' } }), 'action.type', 'unknown-action');
  await fail(() => scheduler.create({ name: 'x', kind: 'every', every: 'soon', action: { type: 'probe' } }), 'every', 'invalid-schedule');
  const s = await scheduler.create({ name: 'hourly', kind: 'every', every: '0:1:0:0', startAt: local(2026, 6, 1, 1).toISOString(), action: { type: 'probe' } });
  const edited = await scheduler.update(s.id, { every: '0:6:0:0', startAt: local(2026, 6, 2, 0).toISOString() });
  t.is(edited!.nextRunAt, local(2026, 6, 2, 0).toISOString());
  await advance(29 * 3_600_000);
  t.deepEqual(ran, [local(2026, 6, 2, 0).toISOString()], 'the old hourly runs are gone');
  await scheduler.cancel(s.id);
  await advance(48 * 3_600_000);
  t.is(ran.length, 1);
});

test.serial('downtime: missed runs are not replayed one by one, the next is the first due after now', async (t) => {
  const { clock, scheduler, ran, advance } = await setup(t, local(2026, 6, 1, 0));
  const s = await scheduler.create({ name: 'daily', kind: 'daily', startAt: local(2026, 6, 1, 2).toISOString(), action: { type: 'probe' } });
  await scheduler.stop();
  clock.setSystemTime(local(2026, 6, 8, 12)); // a week "off"
  await scheduler.start();
  await advance(1000, 1000);
  t.is(ran.length, 1, 'one catch-up run, not seven');
  t.is(scheduler.get(s.id)!.nextRunAt, local(2026, 6, 9, 2).toISOString());
});
