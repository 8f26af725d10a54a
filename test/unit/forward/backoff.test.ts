import test from 'ava';
import fc from 'fast-check';
import { backoffDelay } from '../../../appliance/src/forward/backoff.ts';

test('back-off doubles per failure, stays within [ceiling/2, ceiling] and never exceeds the cap', (t) => {
  const policy = { baseMs: 100, maxMs: 5000 };
  t.is(backoffDelay(0, policy), 0);
  t.is(backoffDelay(1, policy, () => 1), 100);
  t.is(backoffDelay(1, policy, () => 0), 50);
  t.is(backoffDelay(4, policy, () => 1), 800);
  t.is(backoffDelay(40, policy, () => 1), 5000);
  fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
    const d = backoffDelay(n, policy, () => r);
    const ceiling = Math.min(5000, 100 * 2 ** (n - 1));
    return d >= Math.floor(ceiling / 2) && d <= ceiling;
  }));
});

test('jitter spreads retries: 100 branches do not all come back in the same 10 ms', (t) => {
  const delays = Array.from({ length: 100 }, () => backoffDelay(6, { baseMs: 1000, maxMs: 300_000 }));
  t.true(new Set(delays.map((d) => Math.floor(d / 10))).size > 50);
});
