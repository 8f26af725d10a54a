import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { announcementSchema } from '../../../appliance/src/protocol/messages.ts';
import { sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

const ann = (serial: string, patch: Record<string, unknown> = {}, reason = 'initial-boot') => {
  const a = sampleAnnouncement(serial, { reason }) as any;
  Object.assign(a.device, patch);
  return announcementSchema.parse(a);
};
const peer = { address: '10.0.0.1', authMethod: 'anonymous' as const };

test('same serial with a new MAC and IP: one device, attributes updated, the change in its history', async (t) => {
  const store = await Store.open();
  const reg = new DeviceRegistry(store, () => 50);
  t.is((await reg.record(ann('SN1'), peer)).outcome, 'new');
  const r = await reg.record(ann('SN1', { macAddress: 'A0-D3-C1-99-99-99', ipv4: '10.20.30.99' }, 'cold-reset'), peer);
  t.is(r.outcome, 'changed');
  t.is(reg.size, 1);
  t.like(reg.get('SN1'), { macAddress: 'a0:d3:c1:99:99:99', ipv4: '10.20.30.99', lastReason: 'cold-reset', announceCount: 2 });
  const hist = await reg.history('SN1');
  t.deepEqual(hist.map((h) => h.kind), ['formatter-replaced', 'announcement', 'discovered']);
  t.deepEqual(hist[0].changes?.macAddress, { from: 'a0:d3:c1:12:34:56', to: 'a0:d3:c1:99:99:99' });
  t.deepEqual(hist[0].changes?.ipv4, { from: '10.20.30.40', to: '10.20.30.99' });
  // A reload sees the same thing.
  const again = new DeviceRegistry(store, () => 50);
  t.is(await again.load(), 1);
  t.is(again.get('SN1')?.macAddress, 'a0:d3:c1:99:99:99');
});

test('a new IP only is an attribute change, not a formatter replacement; omitted optional fields are kept', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  await reg.record(ann('SN2'), peer);
  const a = ann('SN2', { ipv4: '10.9.9.9' }, 'ip-change');
  delete (a.device as any).hostname;
  await reg.record(a, peer);
  const hist = await reg.history('SN2');
  t.is(hist[0].kind, 'attributes-changed');
  t.deepEqual(Object.keys(hist[0].changes!), ['ipv4']);
  t.is(reg.get('SN2')?.hostname, 'NPI123456');
});

test('a repeated messageId is acknowledged again but recorded once', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  const a = ann('SN3');
  await reg.record(a, peer);
  const r = await reg.record(a, peer);
  t.true(r.duplicate);
  t.is(reg.get('SN3')?.announceCount, 1);
});

test('history is bounded and racing announcements of one serial are serialised', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 5);
  await Promise.all(Array.from({ length: 20 }, (_, i) => reg.record(ann('SN4', { ipv4: `10.0.0.${i + 1}` }, 'ip-change'), peer)));
  t.is(reg.get('SN4')?.announceCount, 20);
  const hist = await reg.history('SN4');
  t.is(hist.length, 5);
  t.is(hist[0].seq, reg.get('SN4')!.historySeq);
});
