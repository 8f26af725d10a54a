import test from 'ava';
import { eachLimited } from '../../../appliance/src/util/each-limited.ts';

const tick = () => new Promise((r) => setImmediate(r));

test('every item is visited once, never more than the limit at a time', async (t) => {
  const items = Array.from({ length: 1000 }, (_, i) => i);
  const seen: number[] = [];
  let inFlight = 0;
  let most = 0;
  await eachLimited(items, 16, async (i) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await tick();
    seen.push(i);
    inFlight--;
  });
  t.deepEqual([...seen].sort((a, b) => a - b), items);
  t.is(most, 16);
});

test('a failure rejects with the first error, after the items in flight settled; nothing new starts', async (t) => {
  const started: number[] = [];
  let settled = 0;
  const err = await t.throwsAsync(eachLimited(Array.from({ length: 100 }, (_, i) => i), 4, async (i) => {
    started.push(i);
    await tick();
    settled++;
    if (i === 5 || i === 6) throw new Error(`item ${i}`);
  }));
  t.is(err?.message, 'item 5');
  t.is(settled, started.length, 'no step was still running when it rejected');
  t.true(started.length < 12, `stopped starting new items (started ${started.length})`);
});

test('no items, and a limit above the count or below one', async (t) => {
  let calls = 0;
  await eachLimited([], 8, async () => { calls++; });
  await eachLimited([1, 2], 100, async () => { calls++; });
  await eachLimited([1, 2, 3], 0, async () => { calls++; });
  t.is(calls, 5);
});
