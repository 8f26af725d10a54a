import test from 'ava';
import { AnnounceRate } from '../../../appliance/src/devices/announce-rate.ts';

const HOUR = 3600_000;

test('counts the announcements of the last hour per device and flags the ones over the threshold', (t) => {
  let now = 10 * HOUR;
  const rate = new AnnounceRate(() => 3, () => now);
  for (let i = 0; i < 5; i++) { rate.record('BUSY'); now += 60_000; }
  rate.record('CALM');
  t.deepEqual(rate.view('BUSY'), { lastHour: 5, tooOften: true });
  t.deepEqual(rate.view('CALM'), { lastHour: 1, tooOften: false });
  t.deepEqual(rate.view('NEVER'), { lastHour: 0, tooOften: false });
  t.deepEqual(rate.flagged(), [{ serialNumber: 'BUSY', lastHour: 5 }]);
  now += 56 * 60_000; // the first two of BUSY's leave the window
  t.is(rate.lastHour('BUSY'), 3);
  t.deepEqual(rate.flagged(), []);
});

test('a device that announced once an hour ago starts again at one; devices quiet for an hour are forgotten by the check', (t) => {
  let now = 10 * HOUR;
  const rate = new AnnounceRate(() => 3, () => now);
  rate.record('A');
  rate.record('B');
  now += HOUR + 1;
  rate.record('A');
  t.is(rate.lastHour('A'), 1);
  t.is(rate.lastHour('B'), 0);
  t.is(rate.size, 2);
  rate.flagged();
  t.is(rate.size, 1, 'B is gone, A (announced just now) stays');
  rate.record('B');
  t.is(rate.lastHour('B'), 1);
});

test('memory per device stays bounded in a boot loop', (t) => {
  let now = 10 * HOUR;
  const rate = new AnnounceRate(() => 10, () => now);
  for (let i = 0; i < 5000; i++) { rate.record('LOOP'); now += 100; }
  t.is(rate.lastHour('LOOP'), 1000, 'capped at max(1000, 2 × threshold)');
  t.true(rate.view('LOOP').tooOften);
});
