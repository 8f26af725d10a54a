// The compliance journal (what is kept), the report (how a period is judged) and the period rules.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { ComplianceJournal, buildComplianceReport, categoryOf, parsePeriod, type JournalEntry } from '../../../appliance/src/reports/index.ts';
import type { ComplianceRecord, Device } from '../../../appliance/src/devices/device.ts';

const device = (serial: string, extra: Partial<Device> = {}): Device => ({ serialNumber: serial, macAddress: '02:00:00:00:00:01', model: 'M507', snmpPort: 161,
  discoveredBy: 'instant-on', foundBy: {}, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z', peerAddress: '127.0.0.1',
  announceCount: 1, historySeq: 0, ...extra });

const record = (at: string, status: ComplianceRecord['status'], changed = false): ComplianceRecord => ({ status, policyId: 'p1', policyName: 'Baseline', at, taskId: 't', run: 1, remediate: true,
  settings: [{ id: 'telnet', expected: false, before: true, actual: changed ? false : status === 'compliant' ? false : true, changed, compliant: status !== 'non-compliant', supported: true, outcome: 'x' }] });

test('the journal keeps changes, status changes and one unchanged result a day, in the device\'s own batch', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  const registry = new DeviceRegistry(store, () => 50);
  const journal = new ComplianceJournal(store);
  registry.addApplyHook(journal.hook);
  await store.commit([{ type: 'put', sublevel: store.sub('devices'), key: 'A1', value: device('A1') }]);
  await registry.load();
  const apply = (r: ComplianceRecord) => registry.apply('A1', () => ({ patch: { compliance: r } }));
  await apply(record('2026-03-01T10:00:00.000Z', 'remediated', true));
  await apply(record('2026-03-01T11:00:00.000Z', 'compliant'));
  await apply(record('2026-03-01T12:00:00.000Z', 'compliant')); // same status, same day: not kept
  await apply(record('2026-03-02T11:30:00.000Z', 'compliant')); // a day later: kept
  await registry.apply('A1', () => ({ patch: { lastAuth: undefined } })); // not an assessment
  const all: JournalEntry[] = [];
  for await (const e of journal.entries('2026-01-01T00:00:00.000Z', '2026-12-31T00:00:00.000Z')) all.push(e);
  t.deepEqual(all.map((e) => [e.at.slice(5, 13), e.status, e.changed?.length ?? 0]), [['03-01T10', 'remediated', 1], ['03-01T11', 'compliant', 0], ['03-02T11', 'compliant', 0]]);
  t.deepEqual(all[0].changed, [{ id: 'telnet', from: true, to: false }]);
  // A restart reloads the latest per pair: an unchanged result right after does not add an entry.
  const again = new ComplianceJournal(store);
  await again.load();
  t.deepEqual(again.hook(device('A1', { compliance: record('2026-03-02T11:30:00.000Z', 'compliant') }), device('A1', { compliance: record('2026-03-02T12:00:00.000Z', 'compliant') })), []);
  t.true(again.knowsPolicy('p1'));
  // Deleting the device takes its journal along.
  const ops = await again.deleteOps(['A1']);
  t.is(ops.length, 4, 'three entries and the latest marker');
  await store.commit(ops);
  again.forget(['A1']);
  t.false(again.knowsPolicy('p1'));
});

test('a period is judged per device and policy: remediated, compliant, non-compliant, unreachable, not assessed', async (t) => {
  const e = (at: string, serial: string, status: JournalEntry['status'], changed?: JournalEntry['changed']): JournalEntry =>
    ({ at: `2026-03-${at}`, serial, policyId: 'p1', policyName: 'Baseline', status, taskId: 't', remediate: true, ...(changed ? { changed } : {}) });
  async function* list(x: JournalEntry[]) { yield* x; }
  const before = [e('01T00:00:00.000Z', 'OLD', 'compliant'), e('01T00:00:00.000Z', 'FIX', 'non-compliant')];
  const during = [
    e('05T10:00:00.000Z', 'FIX', 'remediated', [{ id: 'telnet', from: true, to: false }]), e('06T10:00:00.000Z', 'FIX', 'compliant'),
    e('05T10:00:00.000Z', 'OK', 'compliant'), e('05T11:00:00.000Z', 'BAD', 'non-compliant'), e('05T12:00:00.000Z', 'GONE', 'unreachable'),
    e('05T12:00:00.000Z', 'AUTH', 'auth-failed'), e('05T13:00:00.000Z', 'DELETED', 'remediated', [{ id: 'ftp', from: true, to: false }]),
  ];
  const known = new Set(['OLD', 'FIX', 'OK', 'BAD', 'GONE', 'AUTH', 'NEW']);
  const r = await buildComplianceReport({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z', before: list(before), during: list(during),
    device: (s) => (known.has(s) ? { serialNumber: s, model: 'M507', retired: s === 'GONE' ? { at: 'x' } : undefined } : undefined), policyName: () => 'Baseline' });
  const cat = Object.fromEntries(r.policies[0].devices.map((d) => [d.serial, d.category]));
  t.deepEqual(cat, { FIX: 'remediated', OK: 'compliant', BAD: 'non-compliant', GONE: 'unreachable', AUTH: 'unreachable', OLD: 'not-assessed' });
  t.deepEqual(r.totals, { compliant: 1, remediated: 1, 'non-compliant': 1, unreachable: 2, 'not-assessed': 1 });
  t.deepEqual(r.changes.map((c) => [c.serial, c.setting]), [['FIX', 'telnet']], 'a deleted device\'s changes are gone with it');
  t.true(r.policies[0].devices.find((d) => d.serial === 'GONE')!.retired);
  // A group scope lists members never assessed, and nothing else.
  const g = await buildComplianceReport({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z', before: list(before), during: list(during),
    device: (s) => (known.has(s) ? { serialNumber: s } : undefined), policyName: () => 'Baseline', serials: new Set(['OK', 'NEW']), group: { id: 'g', name: 'Floor 2' } });
  t.deepEqual(g.policies.map((p) => [p.policyName, p.devices.map((d) => `${d.serial}:${d.category}`)]), [['Baseline', ['OK:compliant']], ['(never assessed)', ['NEW:not-assessed']]]);
  t.is(categoryOf('unsupported', false, true), 'non-compliant');
});

test('periods: dates, defaults, the future refused with the field named', (t) => {
  const now = Date.parse('2026-03-10T12:00:00.000Z');
  t.deepEqual(parsePeriod({ from: '2026-03-01', to: '2026-03-05' }, now), { from: '2026-03-01T00:00:00.000Z', to: '2026-03-05T23:59:59.999Z' });
  t.deepEqual(parsePeriod({ from: '2026-03-01', to: '2026-03-10' }, now).to, '2026-03-10T12:00:00.000Z', 'to = today means up to now');
  t.is(parsePeriod({}, now).from, '2026-02-08T12:00:00.000Z', 'default: the last 30 days');
  t.throws(() => parsePeriod({ to: '2026-03-11' }, now), { message: /future/ });
  t.is((t.throws(() => parsePeriod({ from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' }, now)) as any).field, 'from');
  t.is((t.throws(() => parsePeriod({ to: '2026-03-11T00:00:00Z' }, now)) as any).field, 'to');
  t.throws(() => parsePeriod({ from: 'last week' }, now), { message: /ISO/ });
  t.throws(() => parsePeriod({ from: '2026-03-05', to: '2026-03-01' }, now), { message: /after/ });
  t.throws(() => parsePeriod({ from: '2024-01-01', to: '2026-03-01' }, now), { message: /at most/ });
});
