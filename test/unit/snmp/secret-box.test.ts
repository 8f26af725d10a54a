import test from 'ava';
import { mkdtemp, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KEY_FILE, loadOrCreateKey, open, seal, SecretBoxError } from '../../../appliance/src/snmp/secret-box.ts';

test('creates a 0600 key once, reuses it, and round-trips a credential', async (t) => {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'sb-')), 'data');
  const key = await loadOrCreateKey(dir);
  t.is((await stat(path.join(dir, KEY_FILE))).mode & 0o777, 0o600);
  t.deepEqual(await loadOrCreateKey(dir), key);
  const cred = { version: '2c', readCommunity: 'public', writeCommunity: 's3cret-community' };
  const blob = seal(key, cred);
  t.false(blob.includes('s3cret'));
  t.not(seal(key, cred), blob, 'a fresh IV every time');
  t.deepEqual(open(key, blob), cred);
});

test('concurrent first starts agree on one key; a world-readable key is tightened', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-'));
  const keys = await Promise.all([loadOrCreateKey(dir), loadOrCreateKey(dir), loadOrCreateKey(dir)]);
  t.deepEqual(keys[0], keys[1]);
  t.deepEqual(keys[1], keys[2]);
  await chmod(path.join(dir, KEY_FILE), 0o644);
  await loadOrCreateKey(dir);
  t.is((await stat(path.join(dir, KEY_FILE))).mode & 0o777, 0o600);
});

test('tampered blobs, other keys and broken key files are typed errors', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-'));
  const key = await loadOrCreateKey(dir);
  const blob = seal(key, { a: 1 });
  const parts = blob.split('.');
  const flipped = Buffer.from(parts[3], 'base64url');
  flipped[0] ^= 1;
  const tampered = [...parts.slice(0, 3), flipped.toString('base64url')].join('.');
  for (const bad of [tampered, 'nonsense', '', 'sb1.a.b']) {
    const e = t.throws(() => open(key, bad), { instanceOf: SecretBoxError });
    t.is(e?.code, 'SECRET_BLOB_INVALID');
  }
  t.throws(() => open(Buffer.alloc(32, 7), blob), { instanceOf: SecretBoxError });
  const other = await mkdtemp(path.join(tmpdir(), 'sb-'));
  await writeFile(path.join(other, KEY_FILE), 'short');
  await t.throwsAsync(loadOrCreateKey(other), { instanceOf: SecretBoxError });
  t.is((await readFile(path.join(dir, KEY_FILE))).length, 32);
});
