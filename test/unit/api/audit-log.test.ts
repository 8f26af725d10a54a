// The audit log on the store contract (memory-level): newest first, paging, filters, bound, redaction.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { AuditLog, redact } from '../../../appliance/src/api/audit.ts';

const entry = (i: number, action = 'settings.change') => ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), user: 'admin', ip: '127.0.0.1',
  method: 'PUT', path: '/api/v1/settings', status: 200, action });

for (const durable of [true, false]) {
  test(`${durable ? 'store' : 'memory'}: newest first, paging with before, filters by action and since, bounded`, async (t) => {
    const store = durable ? await Store.open() : undefined;
    t.teardown(() => store?.close());
    const log = new AuditLog(store, 150);
    t.is(log.durable, durable);
    const published: unknown[] = [];
    log.publisher = { publish: (type, data) => published.push([type, data]) };
    for (let i = 0; i < 200; i++) await log.record(entry(i, i % 10 === 0 ? 'login-failed' : 'settings.change'));
    t.is(published.length, 200, 'every entry is published live');
    const first = await log.list({ limit: 20 });
    t.is(first.length, 20);
    t.is(first[0].at, entry(199).at);
    t.true(first.every((e, i) => i === 0 || e.id < first[i - 1].id));
    const next = await log.list({ limit: 20, before: first[19].id });
    t.is(next[0].at, entry(179).at);
    const failed = await log.list({ action: 'login-failed', since: entry(150).at, limit: 1000 });
    t.deepEqual(failed.map((e) => e.at), [190, 180, 170, 160, 150].map((i) => entry(i).at));
    if (durable) {
      // Pruning runs every 100 writes, in the background: the 200th write prunes back to the bound.
      let n = 0;
      for (let i = 0; i < 40 && (n = (await log.list({ limit: 1000 })).length) !== 150; i++) await new Promise((r) => setTimeout(r, 50));
      t.is(n, 150);
    } else {
      t.is((await log.list({ limit: 1000 })).length, 150);
    }
  });
}

test('redact masks secrets at any depth and cuts long strings, and keeps ordinary fields', (t) => {
  const r = redact({ key: 'deviceHistoryLimit', password: 'pw', nested: [{ readCommunity: 'c', authKey: 'k', privKey: 'p', user: 'admin' }], long: 'x'.repeat(5000), token: '' }) as any;
  t.is(r.key, 'deviceHistoryLimit');
  t.is(r.password, '***');
  t.deepEqual(r.nested[0], { readCommunity: '***', authKey: '***', privKey: '***', user: 'admin' });
  t.true(r.long.length < 2100);
  t.is(r.token, '', 'an empty secret stays empty (nothing to hide)');
});
