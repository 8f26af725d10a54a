import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { PolicyRepo } from '../../../appliance/src/policy/policy-repo.ts';
import { secretBox } from '../../../appliance/src/snmp/secret-box.ts';
import { randomBytes } from 'node:crypto';

test('policies stored before the MIB check are migrated at load: ftp-printing → ftp, retired rows dropped, logged', async (t) => {
  const store = await Store.open();
  const old = { id: 'p1', name: 'Old', settings: { telnet: false, 'ftp-printing': true, 'tftp-config': false, 'ipv4-multicast': true }, createdAt: 'x', updatedAt: 'x' };
  const off = { id: 'p2', name: 'Off', settings: { 'ftp-printing': false }, createdAt: 'x', updatedAt: 'x' };
  await store.commit([old, off].map((p) => ({ type: 'put' as const, sublevel: store.sub('policies'), key: p.id, value: p })));
  const warned: unknown[] = [];
  const repo = new PolicyRepo(store, undefined, { warn: (o) => warned.push(o) });
  await repo.load();
  t.deepEqual(repo.get('p1')!.settings, { telnet: false, ftp: 'print-only' });
  t.deepEqual(repo.get('p2')!.settings, { ftp: 'off' });
  t.is(warned.length, 2);
  // Stored migrated: a second load changes nothing.
  const again = new PolicyRepo(store, undefined, { warn: (o) => warned.push(o) });
  await again.load();
  t.deepEqual(again.get('p1')!.settings, { telnet: false, ftp: 'print-only' });
  t.is(warned.length, 2);
});

test('secrets are sealed at rest, shown as {set: true}, opened only for a run, kept on request', async (t) => {
  const store = await Store.open();
  const repo = new PolicyRepo(store, secretBox(randomBytes(32)));
  const p = await repo.create({ name: 'S', settings: { 'admin-password': 'Pw-1234567', telnet: false } });
  const stored = await store.get<any>('policies', p.id);
  t.false(JSON.stringify(stored).includes('Pw-1234567'));
  t.regex(stored.settings['admin-password'].sealed, /^sb1\./);
  t.deepEqual(repo.view(p).settings, { 'admin-password': { set: true }, telnet: false });
  t.deepEqual(repo.plain(p).settings, { 'admin-password': 'Pw-1234567', telnet: false });
  const kept = repo.resolve(p.id, { name: 'S', settings: { 'admin-password': { set: true }, ftp: 'off' } });
  t.true(kept.ok);
  if (kept.ok) t.deepEqual(kept.policy.settings, { 'admin-password': 'Pw-1234567', ftp: 'off' });
  const nothing = repo.resolve(p.id, { name: 'S', settings: { 'fs-password': { set: true } } });
  t.false(nothing.ok);
  await t.throwsAsync(() => new PolicyRepo(store).create({ name: 'N', settings: { 'admin-password': 'x' } }), { message: /no secret box/ });
});
