// One contract for both backends: LevelDB on disk and the in-memory twin (the aedes-persistence idea).
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../appliance/src/store/store.ts';

const backends: Array<[string, () => Promise<{ store: Store; cleanup: () => void; reopen?: () => Promise<Store> }>]> = [
  ['level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioe-store-'));
    return { store: await Store.open({ dir }), cleanup: () => rmSync(dir, { recursive: true, force: true }), reopen: () => Store.open({ dir }) };
  }],
  ['memory', async () => ({ store: await Store.open(), cleanup: () => undefined })],
];

for (const [name, make] of backends) {
  test(`${name}: put, get, delete, sublevels are separate`, async (t) => {
    const { store, cleanup } = await make();
    t.teardown(async () => { await store.close(); cleanup(); });
    await store.commit([
      { type: 'put', sublevel: store.sub('devices'), key: 'A', value: { n: 1 } },
      { type: 'put', sublevel: store.sub('users'), key: 'A', value: { n: 2 } },
    ]);
    t.deepEqual(await store.get('devices', 'A'), { n: 1 });
    t.deepEqual(await store.get('users', 'A'), { n: 2 });
    t.is(await store.get('devices', 'missing'), undefined);
    await store.commit([{ type: 'del', sublevel: store.sub('devices'), key: 'A' }]);
    t.is(await store.get('devices', 'A'), undefined);
    t.deepEqual(await store.get('users', 'A'), { n: 2 });
  });

  test(`${name}: ranges and order`, async (t) => {
    const { store, cleanup } = await make();
    t.teardown(async () => { await store.close(); cleanup(); });
    await store.commit(['b!2', 'a!1', 'b!1', 'c!1'].map((key) => ({ type: 'put' as const, sublevel: store.sub('history'), key, value: key })));
    t.deepEqual(await store.values('history', { gte: 'b!', lt: 'b!~' }), ['b!1', 'b!2']);
    t.deepEqual(await store.values('history', { gte: 'b!', lt: 'b!~', reverse: true, limit: 1 }), ['b!2']);
  });

  test(`${name}: concurrent commits share batches (group commit) and all resolve`, async (t) => {
    const { store, cleanup } = await make();
    t.teardown(async () => { await store.close(); cleanup(); });
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.commit([{ type: 'put', sublevel: store.sub('devices'), key: `k${i}`, value: i }])));
    const stats = store.commitStats();
    t.is(stats.ops, 200);
    t.true(stats.batches < 20, `200 commits took ${stats.batches} batches`);
    t.is((await store.values('devices')).length, 200);
  });

  test(`${name}: a batch is atomic: a bad op fails the whole group`, async (t) => {
    const { store, cleanup } = await make();
    t.teardown(async () => { await store.close(); cleanup(); });
    await t.throwsAsync(store.commit([
      { type: 'put', sublevel: store.sub('devices'), key: 'ok', value: 1 },
      { type: 'put', sublevel: store.sub('devices'), key: undefined as any, value: 2 },
    ]));
    t.is(await store.get('devices', 'ok'), undefined);
  });
}

test('level: data survives close and reopen', async (t) => {
  const [, make] = backends[0];
  const { store, cleanup, reopen } = await make();
  await store.commit([{ type: 'put', sublevel: store.sub('devices'), key: 'P', value: { kept: true } }]);
  await store.close();
  const again = await reopen!();
  t.teardown(async () => { await again.close(); cleanup(); });
  t.deepEqual(await again.get('devices', 'P'), { kept: true });
});
