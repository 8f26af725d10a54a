// Failed sign-ins are recorded per source up to a bound per window, all sources together up to another; the
// rest are one summary entry when the window ends (review: a locked sign-in was an audit entry each, so an
// unauthenticated host could write without end and push every real entry out of the 10,000 kept).
import test from 'ava';
import { SignInAuditGate, sourceKey, SIGNIN_AUDIT, type HeldBack } from '../../../appliance/src/api/signin-audit.ts';

test('sources: IPv4 (also mapped) as is, IPv6 by its /64', (t) => {
  t.is(sourceKey('10.0.0.7'), '10.0.0.7');
  t.is(sourceKey('::ffff:10.0.0.7'), '10.0.0.7');
  t.is(sourceKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  t.is(sourceKey('2001:0db8:0001:0002:ffff:1:2:3'), '2001:db8:1:2::/64');
  t.is(sourceKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  t.is(sourceKey('::1'), '0:0:0:0::/64');
});

test('a few entries per source and in all per window; the rest is one summary with counts', (t) => {
  let now = 1_000_000;
  const summaries: HeldBack[] = [];
  const gate = new SignInAuditGate((s) => summaries.push(s), () => now);
  let admitted = 0;
  for (let i = 0; i < 1000; i++) if (gate.admit('10.0.0.66', `guess${i}`)) admitted++;
  t.is(admitted, SIGNIN_AUDIT.perSource, 'one source: its first few');
  // Rotating IPv6 addresses inside one /64 is one source.
  for (let i = 0; i < 500; i++) if (gate.admit(`2001:db8:0:7::${i.toString(16)}`, 'admin')) admitted++;
  t.is(admitted, 2 * SIGNIN_AUDIT.perSource);
  // Many IPv4 sources: bounded in all.
  for (let i = 0; i < 5000; i++) if (gate.admit(`10.1.${i >> 8}.${i & 255}`, 'admin')) admitted++;
  t.is(admitted, SIGNIN_AUDIT.total);
  t.deepEqual(summaries, []);
  now += SIGNIN_AUDIT.windowMs;
  t.true(gate.admit('10.0.0.66', 'admin'), 'a new window records again');
  t.is(summaries.length, 1);
  t.is(summaries[0].attempts, 1000 + 500 + 5000 - SIGNIN_AUDIT.total);
  t.is(summaries[0].sources['10.0.0.66'], 1000 - SIGNIN_AUDIT.perSource);
  t.is(summaries[0].sources['2001:db8:0:7::/64'], 500 - SIGNIN_AUDIT.perSource);
  t.true(Object.keys(summaries[0].sources).length <= 20);
  t.is(summaries[0].users, 991, 'the user names of what was held back (990 guesses and admin)');
});
