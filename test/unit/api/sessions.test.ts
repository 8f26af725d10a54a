// Sessions on a real (LevelDB) store: kept across a reopen, expired ones purged at open and at each new
// session, the number of live sessions bounded, only hashes stored.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../appliance/src/store/store.ts';
import { Sessions } from '../../../appliance/src/api/sessions.ts';
import { passwordProblem } from '../../../appliance/src/api/password-rule.ts';

test('kept across a reopen; expired ones purged when opened and when a session starts; bounded', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-sessions-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let now = 1_000_000;
  let store = await Store.open({ dir });
  let s = await Sessions.open({ store, ttlMs: 60_000, now: () => now });
  const a = await s.create('admin');
  now += 30_000;
  const b = await s.create('admin');
  const secret = s.secret.toString('base64');
  await store.close();

  store = await Store.open({ dir });
  s = await Sessions.open({ store, ttlMs: 60_000, now: () => now });
  t.is(s.get(a.token)?.username, 'admin');
  t.is(s.secret.toString('base64'), secret, 'the key behind CSRF tokens is kept too');
  t.false(JSON.stringify(await store.entries('sessions')).includes(a.token), 'only hashes are stored');
  now += 40_000; // a is past its 60 s, b is not
  t.is(s.get(a.token), undefined, 'expired: refused at once');
  t.is((await store.entries('sessions')).length, 2, 'still stored until a purge');
  await store.close();

  store = await Store.open({ dir });
  s = await Sessions.open({ store, ttlMs: 60_000, now: () => now });
  t.is((await store.entries('sessions')).length, 1, 'purged when opened');
  t.truthy(s.get(b.token));
  now += 30_000; // b expires
  await s.create('admin');
  t.is((await store.entries('sessions')).length, 1, 'purged when a session starts');
  await s.revokeUser('admin');
  t.is((await store.entries('sessions')).length, 0);
  await store.close();
});

test('at most maxSessions live sessions: the oldest ends first', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  const s = await Sessions.open({ store, maxSessions: 3 });
  const made = [];
  for (let i = 0; i < 5; i++) made.push(await s.create(`u${i}`));
  t.is(s.size, 3);
  t.deepEqual(made.map((m) => !!s.get(m.token)), [false, false, true, true, true]);
  t.is((await store.entries('sessions')).length, 3);
});

test('password rule: length, user name, common passwords (any letter case); a long unusual one passes', async (t) => {
  t.regex((await passwordProblem('short'))!, /at least 10 characters \(this one has 5\)/);
  t.regex((await passwordProblem('operator-1', 'Operator-1'))!, /user name/);
  for (const pw of ['qwertyuiop', 'QwertyUiop', 'password123', '1234567890', 'iloveyou12']) t.regex((await passwordProblem(pw)) ?? 'accepted', /commonly used/, pw);
  t.is(await passwordProblem('printer fleet at branch 7'), undefined);
  t.is(await passwordProblem('ünïcödé-pässwörd'), undefined);
  t.regex((await passwordProblem('x'.repeat(300)))!, /at most 256/);
});
