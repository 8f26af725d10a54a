// The device index against a plain sort-and-filter of the same devices: every page of every order, with
// devices changing and leaving between pages, reads like the naive list (no row repeated or skipped).
import test from 'ava';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { CursorError, DeviceIndex, DEVICE_SORTS, complianceOf, type DeviceQuery, type DeviceSort } from '../../../appliance/src/devices/device-query.ts';
import type { Device } from '../../../appliance/src/devices/device.ts';

class FakeRegistry extends EventEmitter {
  map = new Map<string, Device>();
  list() { return [...this.map.values()]; }
  get(s: string) { return this.map.get(s); }
  put(d: Device) { this.map.set(d.serialNumber, d); this.emit('device', { device: d }); }
  remove(s: string) { this.map.delete(s); this.emit('removed', { serialNumber: s }); }
}

const STATUSES = ['compliant', 'non-compliant', 'remediated', 'unreachable', 'auth-failed'] as const;
function device(i: number, r: () => number): Device {
  const t = new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 1e9)).toISOString();
  const st = Math.floor(r() * 6);
  return {
    serialNumber: `SN${String(i).padStart(6, '0')}`, macAddress: `aa:bb:cc:00:${(i >> 8 & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    model: ['HP LaserJet M40', 'HP Color LaserJet M480', 'OfficeJet 9010'][i % 3], ipv4: `10.0.${i % 7}.${i % 251}`, hostname: i % 5 ? `npi${i}` : undefined,
    snmpPort: 161, discoveredBy: 'instant-on', foundBy: i % 4 ? { announcement: { first: t, last: t } } : { discovery: { first: t, last: t } },
    firstSeen: t, lastSeen: t, peerAddress: '10.0.0.1', announceCount: 1, historySeq: 0,
    ...(st < 5 ? { compliance: { status: STATUSES[st], policyId: 'p', policyName: `Policy ${i % 2}`, at: t, taskId: 'x', run: 1, remediate: true, settings: [] } } : {}),
    ...(i % 9 === 0 ? { retired: { at: t, by: 'admin' } } : {}),
  } as Device;
}

function naive(all: Device[], q: Omit<DeviceQuery, 'limit' | 'cursor'>, key: (d: Device) => string): string[] {
  const words = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const keep = all.filter((d) => (q.retired ?? 'include') === 'include' || (q.retired === 'only') === !!d.retired)
    .filter((d) => !q.compliance || complianceOf(d) === q.compliance)
    .filter((d) => !q.foundBy || !!d.foundBy[q.foundBy])
    .filter((d) => words.every((w) => `${d.serialNumber} ${d.model} ${d.macAddress} ${d.ipv4 ?? ''} ${d.hostname ?? ''} ${d.lastPolicy?.name ?? ''} ${complianceOf(d)}`.toLowerCase().includes(w)));
  const sorted = keep.map((d) => ({ k: key(d), s: d.serialNumber })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.s < b.s ? -1 : 1));
  if (q.dir === 'desc') sorted.reverse();
  return sorted.map((x) => x.s);
}

function readAll(ix: DeviceIndex, q: Omit<DeviceQuery, 'cursor'>): { serials: string[]; pages: number; matched: number } {
  const serials: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let matched = 0;
  do {
    const p = ix.query({ ...q, cursor });
    serials.push(...p.devices.map((d) => d.serialNumber));
    matched = p.matched;
    cursor = p.nextCursor ?? undefined;
    if (++pages > 10_000) throw new Error('no end');
  } while (cursor);
  return { serials, pages, matched };
}

// A key function for the naive list, independent of the index's own (same meaning).
const KEY: Record<DeviceSort, (d: Device) => string> = {
  lastSeen: (d) => d.lastSeen, firstSeen: (d) => d.firstSeen, serial: (d) => d.serialNumber, model: (d) => d.model.toLowerCase(),
  ip: (d) => (d.ipv4 ? d.ipv4.split('.').map((x) => x.padStart(3, '0')).join('.') : '~~'), hostname: (d) => (d.hostname ?? '~').toLowerCase(),
  mac: (d) => d.macAddress.toLowerCase() || '~', compliance: complianceOf, policy: (d) => (d.lastPolicy?.name ?? d.compliance?.policyName ?? '~').toLowerCase(),
};

test('every sort, direction and filter pages through exactly the naive list', (t) => {
  let seed = 7;
  const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const reg = new FakeRegistry();
  for (let i = 0; i < 700; i++) reg.put(device(i, r));
  const ix = new DeviceIndex(reg);
  for (const sort of DEVICE_SORTS) {
    for (const dir of ['asc', 'desc'] as const) {
      for (const f of [{}, { compliance: 'auth-failed' as const }, { foundBy: 'discovery' as const }, { q: 'color 10.0.3' }, { retired: 'exclude' as const }, { compliance: 'not-assessed' as const, retired: 'only' as const }]) {
        const q = { sort, dir, limit: 37, ...f };
        const got = readAll(ix, q);
        const want = naive(reg.list(), q, KEY[sort]);
        t.deepEqual(got.serials, want, `${sort} ${dir} ${JSON.stringify(f)}`);
        t.is(got.matched, want.length);
      }
    }
  }
  t.is(ix.query({ sort: 'serial', dir: 'asc', limit: 5 }).total, 700);
});

test('changes between queries are patched into the index; pages stay exact (property)', (t) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 399 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 400 }),
    fc.constantFrom(...DEVICE_SORTS), fc.constantFrom('asc' as const, 'desc' as const), (changes, sort, dir) => {
      let seed = 11;
      const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      const reg = new FakeRegistry();
      for (let i = 0; i < 300; i++) reg.put(device(i, r));
      const ix = new DeviceIndex(reg);
      ix.query({ sort, dir, limit: 10 }); // builds the index; the changes below patch it (or rebuild past 256)
      for (const [i, op, v] of changes) {
        if (op === 0) reg.remove(`SN${String(i).padStart(6, '0')}`);
        else { const d = device(i, () => (v % 1000) / 1000); reg.put(op === 2 ? { ...d, model: `M${v}` } : d); }
      }
      const got = readAll(ix, { sort, dir, limit: 23 });
      t.deepEqual(got.serials, naive(reg.list(), { sort, dir }, KEY[sort]));
    }), { numRuns: 60 });
});

test('a device that moves between two pages is neither repeated nor skipped among the rest', (t) => {
  let seed = 3;
  const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const reg = new FakeRegistry();
  for (let i = 0; i < 100; i++) reg.put(device(i, r));
  const ix = new DeviceIndex(reg);
  const first = ix.query({ sort: 'lastSeen', dir: 'desc', limit: 50 });
  const moved = first.devices[49];
  const stay = new Set(reg.list().map((d) => d.serialNumber));
  stay.delete(moved.serialNumber);
  reg.put({ ...moved, lastSeen: '2030-01-01T00:00:00.000Z' }); // announces: it jumps to the top
  const second = ix.query({ sort: 'lastSeen', dir: 'desc', limit: 50, cursor: first.nextCursor! });
  const seen = [...first.devices, ...second.devices].map((d) => d.serialNumber).filter((s) => s !== moved.serialNumber);
  t.is(new Set(seen).size, seen.length, 'no repeat');
  t.deepEqual([...seen].sort(), [...stay].sort(), 'no other device skipped');
});

test('a cursor from another order, or a made-up one, is refused by name', (t) => {
  const reg = new FakeRegistry();
  let seed = 5;
  const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < 20; i++) reg.put(device(i, r));
  const ix = new DeviceIndex(reg);
  const p = ix.query({ sort: 'serial', dir: 'asc', limit: 5 });
  t.throws(() => ix.query({ sort: 'model', dir: 'asc', limit: 5, cursor: p.nextCursor! }), { instanceOf: CursorError, message: /another sort order/ });
  t.throws(() => ix.query({ sort: 'serial', dir: 'asc', limit: 5, cursor: 'bm9wZQ' }), { instanceOf: CursorError });
});

test('fleet counts leave retired devices apart', (t) => {
  const reg = new FakeRegistry();
  let seed = 9;
  const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < 90; i++) reg.put(device(i, r));
  const c = new DeviceIndex(reg).counts();
  t.is(c.retired, 10);
  t.is(c.fleet, 80);
  t.is(Object.values(c.compliance).reduce((a, b) => a + b, 0), 80);
  t.is(c.foundBy.announcement + c.foundBy.discovery, 80);
});
