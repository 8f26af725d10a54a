import test from 'ava';
import { RateLimiter } from '../../../appliance/src/dns/rate-limiter.ts';

test('allows a burst, then the sustained rate, per source', (t) => {
  let now = 0;
  const rl = new RateLimiter(10, 10, 100, () => now);
  const allowed = Array.from({ length: 15 }, () => rl.allow('a')).filter(Boolean).length;
  t.is(allowed, 10);
  t.true(rl.allow('b'), 'another source has its own bucket');
  now += 500;
  t.is(Array.from({ length: 10 }, () => rl.allow('a')).filter(Boolean).length, 5);
});

test('0 disables limiting', (t) => {
  const rl = new RateLimiter(0);
  t.true(Array.from({ length: 10_000 }, () => rl.allow('a')).every(Boolean));
});

test('the source table stays bounded under spoofed-source sprays', (t) => {
  let now = 0;
  const rl = new RateLimiter(5, 5, 1000, () => now);
  for (let i = 0; i < 50_000; i++) {
    now += 0.01;
    rl.allow(`10.0.${i >> 8}.${i & 255}`);
  }
  t.true(rl.trackedSources <= 1000);
});
