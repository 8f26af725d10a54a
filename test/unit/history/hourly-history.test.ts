// Hourly history on the store contract (memory-level) with a fake clock: counts land in their hour, a
// restart continues the hour from the store, days aggregate, a year is kept and no more.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { HourlyHistory, hourKey, RETENTION_HOURS, type AnnounceTotals } from '../../../appliance/src/history/hourly-history.ts';

const H = 3600_000;
const T0 = Date.parse('2026-03-01T10:15:00Z');

function rig(store: Store, clock: { now: number }) {
  const totals: AnnounceTotals = { accepted: 0, rejected: {} };
  const fleet = { devices: 0, byStatus: {} as Record<string, number> };
  const h = new HourlyHistory({ store, announcements: () => totals, compliance: () => fleet, now: () => clock.now, flushMs: 3600_000 });
  return { h, totals, fleet };
}

test('announcements count in their hour; compliance is the hour\'s last snapshot; a restart continues the hour', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  const clock = { now: T0 };
  const a = rig(store, clock);
  await a.h.start();
  a.totals.accepted = 5;
  a.totals.rejected['serial-not-listed'] = 2;
  a.fleet.devices = 5;
  a.fleet.byStatus = { compliant: 3, 'not-assessed': 2 };
  a.h.sample(); // the minute tick
  clock.now += H; // 11:15: the 10:00 hour is finished
  a.totals.accepted = 8;
  a.fleet.byStatus = { compliant: 4, remediated: 1 };
  await a.h.flush();
  let s = await a.h.series(T0 - H, clock.now, 'hour');
  t.deepEqual(s.map((p) => [p.start.slice(11, 13), p.accepted, p.rejected]), [['09', 0, 0], ['10', 5, 2], ['11', 3, 0]]);
  t.is(s[0].compliance, null, 'an hour with nothing recorded has no compliance');
  t.deepEqual(s[1].compliance, { compliant: 3, 'not-assessed': 2 });
  t.deepEqual(s[1].rejectedBy, { 'serial-not-listed': 2 });
  await a.h.stop();

  // A new process: its listener counters start at zero again; the hour goes on from the stored record.
  const b = rig(store, clock);
  Object.assign(b.fleet, { devices: 5, byStatus: { compliant: 4, remediated: 1 } });
  await b.h.start();
  b.totals.accepted = 4;
  s = await b.h.series(clock.now, clock.now, 'hour');
  t.is(s[0].accepted, 7, '3 before the restart + 4 after');
  s = await b.h.series(T0, clock.now, 'hour');
  t.is(s[0].accepted, 5, 'the finished hour is read back from the store');
  const day = await b.h.series(T0 - 10 * H, clock.now, 'day');
  t.is(day.length, 1);
  t.is(day[0].start, '2026-03-01T00:00:00.000Z');
  t.is(day[0].accepted, 12);
  t.deepEqual(day[0].compliance, { compliant: 4, remediated: 1 }, 'a day shows its latest snapshot');
  await b.h.stop();
});

test('a year is kept and older hours are pruned; the store holds one record per hour', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  const clock = { now: T0 };
  const { h, totals } = rig(store, clock);
  await h.start();
  // 400 days of one announcement every 6 hours (1,600 writes: fast on memory-level).
  for (let i = 0; i < 400 * 4; i++) {
    totals.accepted++;
    await h.flush();
    clock.now += 6 * H;
  }
  await h.flush();
  const keys = await store.sub('counters').keys().all();
  t.true(keys.length <= RETENTION_HOURS / 6 + 2, `${keys.length} records`);
  t.true(keys[0] >= hourKey(clock.now - RETENTION_HOURS * H), `oldest ${keys[0]}`);
  const year = await h.series(clock.now - 365 * 24 * H, clock.now, 'day');
  t.true(year.length >= 365 && year.length <= 367);
  t.true(year.every((p) => p.accepted === 4 || p.accepted === 0 || p.start === year.at(-1)!.start || p.start === year[0].start), 'four a day');
  await h.stop();
});

test('a failed write keeps the finished hour for the next flush', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  const clock = { now: T0 };
  const { h, totals } = rig(store, clock);
  await h.start();
  totals.accepted = 3;
  h.sample();
  clock.now += H;
  const commit = store.commit.bind(store);
  let fail = true;
  (store as any).commit = (ops: any) => (fail ? Promise.reject(new Error('disk full')) : commit(ops));
  await t.throwsAsync(h.flush(), { message: 'disk full' });
  fail = false;
  await h.flush();
  t.is((await store.get<any>('counters', hourKey(T0)))?.accepted, 3);
  await h.stop();
});
