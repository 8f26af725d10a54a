// Real file systems running out of space and failing under a real LevelDB: a full disk is degraded and
// recovers by itself once space is freed; a file system that fails (an aborted ext4 journal, what a dying SD
// card does) makes the store emit `failed` with the cause.
import test from 'ava';
import { openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../appliance/src/store/store.ts';
import { StoreUnavailableError } from '../../../appliance/src/store/errors.ts';
import { mountFailingExt4, mountTmpfs } from '../../fakes/store-files.ts';

/** Fills the file system holding `dir` with one file, until the kernel says ENOSPC. */
function fill(path: string) {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try { for (;;) writeSync(fd, chunk); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err; } finally { closeSync(fd); }
}

const device = (store: Store, key: string) => [{ type: 'put' as const, sublevel: store.sub('devices'), key, value: { key, pad: 'd'.repeat(500) } }];

test('a full disk: writes refused, health degraded, and the store reopens by itself once space is freed', async (t) => {
  const fs = mountTmpfs('2m');
  if ('skip' in fs) { t.log(`SKIPPED: ${fs.skip}`); t.pass(); return; }
  t.teardown(fs.unmount);
  const store = await Store.open({ dir: join(fs.dir, 'db'), minFreeBytes: () => 256 * 1024, recoveryCheckMs: 100 });
  t.teardown(() => store.close());
  for (let i = 0; i < 20; i++) await store.commit(device(store, `OK${i}`));
  t.is(store.health().status, 'ok');
  fill(join(fs.dir, 'filler'));
  t.is(store.health().status, 'degraded', 'a full disk shows before a write fails');

  let failure: unknown;
  for (let i = 0; i < 500 && !failure; i++) await store.commit(device(store, `FULL${i}`)).catch((e) => { failure = e; });
  t.regex(String((failure as Error)?.message), /No space left on device/);
  t.is(store.status().state, 'disk-full');
  t.regex(store.health().reasons.join(' '), /disk is full/);
  // Later writes are refused at once, with a 503 for the API, and counted.
  const refused = await t.throwsAsync(store.commit(device(store, 'LATER')), { instanceOf: StoreUnavailableError });
  t.is((refused as any).status, 503);
  t.true(store.status().writes.refused >= 1);
  t.true(store.status().writes.failedBatches >= 1);

  const recovered = new Promise<void>((r) => store.once('recovered', () => r()));
  rmSync(join(fs.dir, 'filler'));
  await Promise.race([recovered, new Promise((_, rej) => setTimeout(() => rej(new Error('no recovery within 10 s')), 10_000))]);
  t.is(store.status().state, 'ok');
  t.is(store.health().status, 'ok');
  await store.commit(device(store, 'AFTER'));
  t.truthy(await store.get('devices', 'AFTER'));
  for (let i = 0; i < 20; i++) t.truthy(await store.get('devices', `OK${i}`), `OK${i} survived`);
});

test('a failing file system (aborted ext4 journal): the store emits failed with the cause', async (t) => {
  const fs = mountFailingExt4();
  if ('skip' in fs) { t.log(`SKIPPED: ${fs.skip}`); t.pass(); return; }
  t.teardown(fs.unmount);
  const store = await Store.open({ dir: join(fs.dir, 'db') });
  await store.commit(device(store, 'BEFORE'));
  const failed = new Promise<Error>((r) => store.once('failed', r));
  fs.abort();
  await t.throwsAsync(store.commit(device(store, 'AFTER')), { message: /Read-only file system|Input\/output error/ });
  const err = await failed;
  t.regex(err.message, /Read-only file system|Input\/output error/);
  t.is(store.health().status, 'failed');
  t.is(store.status().writes.failedBatches, 1);
  await store.close().catch(() => undefined);
});
