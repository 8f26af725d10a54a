import test from 'ava';
import { randomUUID } from 'node:crypto';
import { Store } from '../../../appliance/src/store/store.ts';
import { Outbox } from '../../../appliance/src/forward/outbox.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';
import type { Announcement } from '../../../appliance/src/protocol/messages.ts';

const ann = (serial: string): Announcement => ({ messageId: randomUUID(), sentAt: new Date().toISOString(), reason: 'initial-boot',
  device: { serialNumber: serial, macAddress: '02:00:00:00:00:01', model: 'HP LaserJet', snmpPort: 161 } });

async function queue(outbox: Outbox, store: Store, a: Announcement, ids: string[]) {
  await store.commit(outbox.reserve(a, ids));
  outbox.confirm(a.messageId);
}

test('FIFO per listener, counted, removed after delivery, rebuilt on load', async (t) => {
  const store = await Store.open();
  const caps = { maxEntries: 1000, maxBytes: 10_000_000, maxAgeMs: 3600_000 };
  const outbox = new Outbox(store, () => caps, silentLogger());
  const sent = ['A', 'B', 'A', 'C'].map((s, i) => ann(`${s}${i}`));
  for (const a of sent) await queue(outbox, store, a, ['l1', 'l2']);
  t.is(outbox.backlog('l1').count, 4);
  t.is(outbox.totals().count, 8);
  const head = await outbox.peek('l1', 3);
  t.deepEqual(head.map((i) => i.entry.ann.messageId), sent.slice(0, 3).map((a) => a.messageId), 'oldest first, in order');
  await outbox.remove('l1', head);
  t.is(outbox.backlog('l1').count, 1);
  t.is(outbox.backlog('l2').count, 4, 'each listener has its own queue');

  const again = new Outbox(store, () => caps, silentLogger());
  await again.load(new Set(['l1'])); // l2 was deleted meanwhile: its entries go
  t.is(again.backlog('l1').count, 1);
  t.is(again.backlog('l2').count, 0);
  t.is((await store.values('outbox')).length, 1);
  // New entries after a restart sort after the old ones.
  const later = ann('D9');
  await queue(again, store, later, ['l1']);
  t.deepEqual((await again.peek('l1', 10)).map((i) => i.entry.ann.messageId), [sent[3].messageId, later.messageId]);
  await store.close();
});

test('a cap drops new announcements, counts them and raises an alert; a failed batch is released', async (t) => {
  const store = await Store.open();
  const caps = { maxEntries: 3, maxBytes: 10_000_000, maxAgeMs: 3600_000 };
  const outbox = new Outbox(store, () => caps, silentLogger());
  for (let i = 0; i < 5; i++) await queue(outbox, store, ann(`S${i}`), ['l1']);
  t.is(outbox.backlog('l1').count, 3);
  t.is(outbox.dropped['entry-cap'], 2);
  t.is(outbox.alerts.length, 1, 'one alert per reason per minute, every drop counted');
  t.is(outbox.alerts[0].code, 'outbox-full');

  caps.maxEntries = 100;
  const failed = ann('F1');
  t.is(outbox.reserve(failed, ['l1']).length, 1);
  t.is(outbox.totals().count, 4, 'reserved entries count against the caps before they are on disk');
  outbox.release(failed.messageId);
  t.is(outbox.totals().count, 3);

  caps.maxBytes = outbox.totals().bytes + 10;
  t.deepEqual(outbox.reserve(ann('BIG'), ['l1']), []);
  t.is(outbox.dropped['byte-cap'], 1);
  await store.close();
});

test('entries older than the age cap are expired, counted and alerted', async (t) => {
  const store = await Store.open();
  let now = 1_000_000;
  const outbox = new Outbox(store, () => ({ maxEntries: 100, maxBytes: 1e9, maxAgeMs: 60_000 }), silentLogger(), () => now);
  await queue(outbox, store, ann('OLD1'), ['l1']);
  await queue(outbox, store, ann('OLD2'), ['l1']);
  now += 50_000;
  await queue(outbox, store, ann('NEW1'), ['l1']);
  now += 20_000;
  t.is(await outbox.expire(), 2);
  t.is(outbox.backlog('l1').count, 1);
  t.is(outbox.dropped['age-cap'], 2);
  t.is(outbox.alerts.at(-1)?.code, 'outbox-expired');
  await store.close();
});
