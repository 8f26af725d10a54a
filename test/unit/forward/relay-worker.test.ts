import test from 'ava';
import { randomUUID } from 'node:crypto';
import { Store } from '../../../appliance/src/store/store.ts';
import { Outbox, type OutboxItem } from '../../../appliance/src/forward/outbox.ts';
import { RelayWorker } from '../../../appliance/src/forward/relay-worker.ts';
import { RelayError, type RelayResult } from '../../../appliance/src/forward/relay-client.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';
import type { AckReason, Announcement } from '../../../appliance/src/protocol/messages.ts';

const ann = (serial: string): Announcement => ({ messageId: randomUUID(), sentAt: new Date().toISOString(), reason: 'initial-boot',
  device: { serialNumber: serial, macAddress: '02:00:00:00:00:01', model: 'HP LaserJet', snmpPort: 161 } });
const config = { id: 'l1', host: '127.0.0.1', port: 3329, validateIdentityCertificate: false, enabled: true, createdAt: '' };

async function setup(count: number) {
  const store = await Store.open();
  const outbox = new Outbox(store, () => ({ maxEntries: 1e6, maxBytes: 1e9, maxAgeMs: 1e9 }), silentLogger());
  const anns = Array.from({ length: count }, (_, i) => ann(`W${i}`));
  for (const a of anns) { await store.commit(outbox.reserve(a, ['l1'])); outbox.confirm(a.messageId); }
  return { store, outbox, anns };
}

const ack = (items: OutboxItem[], reason: (i: number) => AckReason) => items.map((it, i) => ({ messageId: it.entry.ann.messageId,
  status: reason(i) === 'ok' ? 'accepted' as const : 'rejected' as const, reason: reason(i), authMethod: 'anonymous' as const, retryAfterSeconds: 0 }));

test('final refusals are dropped and counted, not retried; delivery is in order', async (t) => {
  const { store, outbox, anns } = await setup(5);
  const seen: string[] = [];
  let calls = 0;
  const worker = new RelayWorker(config, { outbox, log: silentLogger(), target: () => ({} as any), batchSize: () => 2, backoff: () => ({ baseMs: 10, maxMs: 20 }),
    send: async (_t, items): Promise<RelayResult> => {
      calls++;
      seen.push(...items.map((i) => i.entry.serial));
      return { acks: ack(items, (i) => items[i].entry.serial === 'W1' ? 'loop-detected' : 'ok') };
    } });
  worker.start();
  while (outbox.backlog('l1').count > 0) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 100));
  await worker.stop();
  t.deepEqual(seen, anns.map((a) => a.device.serialNumber), 'each sent once, in order');
  t.is(calls, 3);
  t.deepEqual(worker.status.refused, { 'loop-detected': 1 });
  t.is(outbox.dropped['loop-detected'], 1);
  t.is(worker.status.delivered, 4);
  await store.close();
});

test('a listener that is down is retried with back-off, keeping the queue; partial acks are kept', async (t) => {
  const { store, outbox } = await setup(4);
  let calls = 0;
  const worker = new RelayWorker(config, { outbox, log: silentLogger(), target: () => ({} as any), batchSize: () => 10, backoff: () => ({ baseMs: 20, maxMs: 40 }),
    send: async (_t, items): Promise<RelayResult> => {
      calls++;
      if (calls <= 3) return { acks: [], error: new RelayError('connect-failed', 'ECONNREFUSED') };
      if (calls === 4) return { acks: ack(items.slice(0, 1), () => 'ok'), error: new RelayError('closed', 'closed after 1') };
      if (calls === 5) return { acks: ack(items.slice(0, 1), () => 'busy') };
      return { acks: ack(items, () => 'ok') };
    } });
  const started = Date.now();
  worker.start();
  await new Promise((r) => setTimeout(r, 30));
  t.is(outbox.backlog('l1').count, 4);
  t.is(worker.status.lastError?.code, 'connect-failed');
  while (outbox.backlog('l1').count > 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 5));
  await worker.stop();
  t.is(outbox.backlog('l1').count, 0);
  t.is(calls, 6);
  t.is(worker.status.delivered, 4);
  t.true(Date.now() - started >= 10 + 20 + 20, 'waited between failed attempts');
  t.is(worker.status.consecutiveFailures, 0);
  await store.close();
});

test('lanes keep each device on one connection, in queue order', async (t) => {
  const { splitLanes } = await import('../../../appliance/src/forward/relay-worker.ts');
  const items = Array.from({ length: 200 }, (_, i) => ({ key: String(i), entry: { seq: i, serial: `S${i % 17}`, at: 0, bytes: 0, ann: {} as any } }));
  const lanes = splitLanes(items, 4);
  t.true(lanes.length > 1 && lanes.length <= 4);
  t.is(lanes.flat().length, 200);
  for (const lane of lanes) t.deepEqual(lane.map((i) => i.entry.seq), [...lane.map((i) => i.entry.seq)].sort((a, b) => a - b));
  const laneOf = new Map<string, number>();
  lanes.forEach((lane, n) => lane.forEach((i) => { t.not(laneOf.get(i.entry.serial) ?? n, undefined); t.is(laneOf.get(i.entry.serial) ?? n, n); laneOf.set(i.entry.serial, n); }));
});
