import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { MessageDedup } from '../../../appliance/src/forward/message-dedup.ts';

test('remembers stored messageIds (only once on disk), bounded, across a restart', async (t) => {
  const store = await Store.open();
  const dedup = new MessageDedup(store, () => 3);
  for (const id of ['m1', 'm2', 'm3', 'm4']) {
    const ops = dedup.remember(id);
    t.false(dedup.has(id), 'not a duplicate before its batch is on disk');
    await store.commit(ops);
    dedup.confirm(id);
  }
  t.true(dedup.has('m4'));
  t.false(dedup.has('m1'), 'the oldest was forgotten beyond the limit');
  t.is(dedup.size, 3);
  t.deepEqual((await store.entries('messages')).map(([k]) => k).sort(), ['m2', 'm3', 'm4']);
  const again = new MessageDedup(store, () => 2);
  await again.load();
  t.is(again.size, 2);
  t.true(again.has('m4'));
  t.false(again.has('m2'));
  t.is((await store.entries('messages')).length, 2);
  await store.close();
});
