// The sign-in back-off and page-session idle expiry, on a fake clock.
import test from 'ava';
import { LoginLimiter } from '../../../appliance/src/api/login-limiter.ts';
import { CookieAuth, SESSION_COOKIE } from '../../../appliance/src/api/cookie-auth.ts';
import { Sessions } from '../../../appliance/src/api/sessions.ts';

test('five failures are free; then each failure doubles the wait, capped per kind of key; success clears', (t) => {
  let now = 1_000_000;
  const l = new LoginLimiter({ now: () => now });
  const keys = ['ip:127.0.0.1', 'user:admin'];
  for (let i = 0; i < 5; i++) { t.is(l.retryAfterMs(keys), 0); l.fail(keys); }
  t.is(l.retryAfterMs(keys), 0, 'five failures lock nothing');
  const waits: number[] = [];
  for (let i = 0; i < 12; i++) { l.fail(keys); waits.push(l.retryAfterMs(['ip:127.0.0.1'])); now += waits[i]; }
  t.deepEqual(waits.slice(0, 5), [1000, 2000, 4000, 8000, 16000]);
  t.is(Math.max(...waits), 15 * 60_000, 'per-address wait capped at 15 min');
  l.fail(keys);
  t.is(l.retryAfterMs(['user:admin']), 60_000, 'per-user wait capped at 1 min: a guesser cannot lock the admin out for long');
  l.succeed(keys);
  t.is(l.retryAfterMs(keys), 0);
  t.is(l.failures('ip:127.0.0.1'), 0);
});

test('failures are forgotten after an hour without one; memory is bounded', (t) => {
  let now = 0;
  const l = new LoginLimiter({ now: () => now, maxKeys: 100 });
  for (let i = 0; i < 3; i++) l.fail(['ip:a']);
  now += 3600_001;
  t.is(l.failures('ip:a'), 0);
  for (let i = 0; i < 1000; i++) l.fail([`ip:${i}`]);
  t.is(l.failures('ip:0'), 0, 'oldest keys dropped');
  t.is(l.failures('ip:999'), 1);
});

test('a page session unused for longer than the idle time ends; use keeps it alive', async (t) => {
  let now = 5_000_000;
  const sessions = new Sessions({ ttlMs: 12 * 3600_000, now: () => now });
  const services = { sessions } as any;
  const auth = new CookieAuth(services, { idleMs: 60_000, now: () => now });
  const s = await sessions.create('admin');
  const csrf = auth.csrfFor(s.token);
  const ctx = (token: string) => ({ method: 'GET', query: {}, get: (h: string) => (h === 'cookie' ? `${SESSION_COOKIE}=${token}` : h === 'x-csrf-token' ? csrf : '') }) as any;
  t.like(auth.authenticate(ctx(s.token)), { username: 'admin', via: 'cookie' });
  now += 50_000;
  t.truthy(auth.authenticate(ctx(s.token)), 'used within the idle time');
  now += 50_000;
  t.truthy(auth.authenticate(ctx(s.token)), 'the clock restarted at the last use');
  now += 61_000;
  t.is(auth.authenticate(ctx(s.token)), undefined, 'idle too long: signed out');
  t.is(sessions.get(s.token), undefined, 'and the session is revoked');
});
