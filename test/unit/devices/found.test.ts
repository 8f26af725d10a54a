// A printer found by discovery and by its own announcement is one device that remembers both ways.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import type { FoundPrinter } from '../../../appliance/src/devices/found.ts';
import type { Device } from '../../../appliance/src/devices/device.ts';
import { announcementSchema } from '../../../appliance/src/protocol/messages.ts';
import { sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

const peer = { address: '10.20.30.40', authMethod: 'anonymous' as const };
const found = (serial: string, patch: Partial<FoundPrinter> = {}): FoundPrinter => ({
  serialNumber: serial, model: 'HP Color LaserJet Enterprise MFP M480f', firmware: '2505252_000112', macAddress: 'A0:D3:C1:12:34:56', ipv4: '10.20.30.40', address: '10.20.30.40',
  hostname: 'NPI123456', snmpPort: 161, vendor: 'hp', ...patch,
});

function clock(start = Date.parse('2026-11-01T10:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => { now += ms; } };
}

test('found by a sweep, then announcing: one device, both ways with first and last time', async (t) => {
  const c = clock();
  const reg = new DeviceRegistry(await Store.open(), () => 50, c.now);
  const first = await reg.recordFound(found('SNF1'), 'discovery', 'task-1');
  t.is(first.outcome, 'new');
  t.like(reg.get('SNF1'), { discoveredBy: 'auto-discovered', announceCount: 0, macAddress: 'a0:d3:c1:12:34:56', vendor: 'hp',
    foundBy: { discovery: { first: '2026-11-01T10:00:00.000Z', last: '2026-11-01T10:00:00.000Z', taskId: 'task-1' } } });
  t.is(reg.get('SNF1')!.lastReason, undefined);
  c.advance(60_000);
  await reg.record(announcementSchema.parse(sampleAnnouncement('SNF1')), peer);
  const before = await reg.history('SNF1');
  c.advance(60_000);
  t.is((await reg.recordFound(found('SNF1'), 'discovery', 'task-2')).outcome, 'unchanged');
  t.is(reg.size, 1);
  const d = reg.get('SNF1')!;
  t.deepEqual(d.foundBy, {
    discovery: { first: '2026-11-01T10:00:00.000Z', last: '2026-11-01T10:02:00.000Z', taskId: 'task-2' },
    announcement: { first: '2026-11-01T10:01:00.000Z', last: '2026-11-01T10:01:00.000Z' },
  });
  t.is(d.discoveredBy, 'auto-discovered', 'the first way stays');
  t.is(d.announceCount, 1);
  const hist = await reg.history('SNF1');
  t.deepEqual(hist, before, 'an unchanged sweep adds no history entry');
  // The announcement adds what a sweep cannot read (the DAA's auth mode) as an attribute change.
  t.deepEqual(hist.map((h) => [h.kind, h.via]), [['attributes-changed', 'announcement'], ['announcement', 'announcement'], ['discovered', 'discovery']]);
  t.deepEqual(Object.keys(hist[0].changes!), ['authMode']);
});

test('announced first, then an answer to a sweep from another address: SNMP stays where it announces from, the sighting is in its history', async (t) => {
  // Anyone on the LAN can answer a sweep with this serial (review of issue 14 against issue 12 §3): only an
  // announcement from the new address moves an announcing device.
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  await reg.record(announcementSchema.parse(sampleAnnouncement('SNF2')), peer);
  const before = reg.get('SNF2')!;
  const r = await reg.recordFound(found('SNF2', { ipv4: '10.20.31.7', address: '10.20.31.7', macAddress: '02:00:00:00:00:99' }), 'discovery', 'task-3');
  t.is(r.outcome, 'unchanged');
  const d = reg.get('SNF2')!;
  t.is(d.peerAddress, before.peerAddress);
  t.is(d.ipv4, '10.20.30.40');
  t.is(d.macAddress, 'a0:d3:c1:12:34:56');
  t.is(d.foundBy.discovery, undefined);
  const hist = await reg.history('SNF2');
  t.deepEqual(hist.map((h) => h.kind), ['found', 'discovered']);
  t.like(hist[0], { via: 'discovery', taskId: 'task-3', peerAddress: '10.20.31.7' });
  t.regex(hist[0].detail!, /answered a sweep at 10\.20\.31\.7 with this serial; SNMP stays at/);
  // Found where it announces from: an ordinary sighting.
  const same = await reg.recordFound(found('SNF2', { ipv4: before.peerAddress, address: before.peerAddress }), 'discovery', 'task-4');
  t.not(same.outcome, 'new');
  t.truthy(reg.get('SNF2')!.foundBy.discovery);
});

test('a discovered device without a MAC learns it from its announcement without a formatter replacement', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  await reg.recordFound(found('SNF3', { macAddress: undefined, hostname: undefined }), 'manual', 'task-4');
  t.is(reg.get('SNF3')!.macAddress, '');
  t.is(reg.get('SNF3')!.discoveredBy, 'manual');
  await reg.record(announcementSchema.parse(sampleAnnouncement('SNF3')), peer);
  const hist = await reg.history('SNF3');
  t.is(hist[0].kind, 'attributes-changed');
  t.deepEqual(hist[0].changes?.macAddress, { from: '', to: 'a0:d3:c1:12:34:56' });
});

test('a printer of another maker stays "other"; an HP printer never turns "other" because a sweep read less', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  await reg.recordFound(found('KYO1', { vendor: 'other', model: 'FS-1028MFP' }), 'discovery', 't');
  t.is(reg.get('KYO1')!.vendor, 'other');
  await reg.recordFound(found('SNF4'), 'discovery', 't');
  await reg.recordFound(found('SNF4', { vendor: 'other' }), 'discovery', 't');
  t.is(reg.get('SNF4')!.vendor, 'hp');
});

test('records stored before discovery existed read as found by announcement', async (t) => {
  const store = await Store.open();
  const old = { serialNumber: 'OLD1', macAddress: 'a0:d3:c1:00:00:01', model: 'm', snmpPort: 161, discoveredBy: 'instant-on', firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-02-01T00:00:00.000Z', lastReason: 'periodic', lastMessageId: 'x', peerAddress: '10.0.0.1', announceCount: 3, authMethod: 'anonymous', historySeq: 0 };
  await store.commit([{ type: 'put', sublevel: store.sub('devices'), key: 'OLD1', value: old as unknown as Device }]);
  const reg = new DeviceRegistry(store, () => 50);
  await reg.load();
  t.deepEqual(reg.get('OLD1')!.foundBy, { announcement: { first: '2026-01-01T00:00:00.000Z', last: '2026-02-01T00:00:00.000Z' } });
});
