import test from 'ava';
import fc from 'fast-check';
import { assess, deviceStatus, finalize, remediationPlan, type Reading } from '../../../appliance/src/policy/assessment.ts';
import { CATALOG, settingById } from '../../../appliance/src/policy/catalog.ts';
import type { Policy } from '../../../appliance/src/policy/policy.ts';

const int = (value: number): Reading => ({ kind: 'value', type: 'Integer', value, raw: `Integer ${value}` });
const str = (value: string): Reading => ({ kind: 'value', type: 'OctetString', value, raw: `OctetString ${value}` });
const oid = (id: string) => settingById(id)!.oid;

const policy: Policy = { name: 'p', settings: { telnet: false, ftp: 'off', 'sys-location': 'Branch 42', 'ws-print': false } };
const readings = {
  [oid('telnet')]: int(0),
  [oid('ftp')]: int(1),
  [oid('sys-location')]: str(''),
  [oid('ws-print')]: { kind: 'noSuchObject', raw: 'noSuchObject' } as Reading,
  [oid('slp')]: int(1), // read but not in the policy: must never appear
};

test('assess diffs only the policy settings', (t) => {
  const a = assess(policy, readings);
  t.deepEqual(a.map((s) => [s.id, s.actual, s.compliant, s.supported]), [
    ['telnet', false, true, true],
    ['ftp', 'on', false, true],
    ['sys-location', '', false, true],
    ['ws-print', null, false, false],
  ]);
});

test('the plan holds only supported non-compliant settings, with wire values', (t) => {
  const plan = remediationPlan(assess(policy, readings));
  t.deepEqual(plan.map((s) => [s.id, s.wireType, s.wireValue]), [
    ['ftp', 'Integer', 0],
    ['sys-location', 'OctetString', 'Branch 42'],
  ]);
});

test('wrong types and unknown values are non-compliant, never a crash', (t) => {
  const a = assess({ name: 'p', settings: { telnet: false, 'sys-name': 'a', 'control-panel-lock': true } }, {
    [oid('telnet')]: str('0'),
    [oid('sys-name')]: int(7),
    // no reading at all for the panel lock
  });
  t.deepEqual(a.map((s) => [s.actual, s.compliant, s.supported]), [[null, false, true], [null, false, true], [null, false, true]]);
  t.is(a[2].deviceAnswer, 'no varbind in reply');
  t.is(remediationPlan(a).length, 3);
});

test('finalize: remediated, compliant untouched, unsupported, rejected', (t) => {
  const initial = assess(policy, readings);
  const plan = remediationPlan(initial);
  const verified = assess(policy, { ...readings, [oid('ftp')]: int(0), [oid('sys-location')]: str('Branch 42') });
  const r = finalize({ initial, written: plan, rejected: {}, verified });
  t.is(r.status, 'remediated');
  t.deepEqual(r.settings.map((s) => [s.id, s.outcome, s.changed, s.before, s.actual]), [
    ['telnet', 'compliant', false, false, false],
    ['ftp', 'remediated', true, 'on', 'off'],
    ['sys-location', 'remediated', true, '', 'Branch 42'],
    ['ws-print', 'unsupported', false, null, null],
  ]);

  const rej = finalize({ initial, written: [plan[1]], rejected: { ftp: 'NotWritable: x' }, verified });
  t.is(rej.status, 'non-compliant');
  t.is(rej.settings[1].outcome, 'rejected');
  t.is(rej.settings[1].setAnswer, 'NotWritable: x');

  const assessOnly = finalize({ initial, written: [], rejected: {} });
  t.is(assessOnly.status, 'non-compliant');
  t.false(assessOnly.settings.some((s) => s.changed));

  const lost = finalize({ initial, written: plan, rejected: {} });
  t.is(lost.settings[1].outcome, 'not-verified');
  t.is(lost.status, 'non-compliant');
});

test('device status: all unsupported, all compliant', (t) => {
  const allMissing = assess({ name: 'p', settings: { 'ws-print': false } }, { [oid('ws-print')]: { kind: 'noSuchInstance', raw: 'noSuchInstance' } });
  t.is(finalize({ initial: allMissing, written: [], rejected: {} }).status, 'unsupported');
  const ok = assess({ name: 'p', settings: { telnet: false } }, { [oid('telnet')]: int(0) });
  t.is(finalize({ initial: ok, written: [], rejected: {} }).status, 'compliant');
  t.is(deviceStatus([]), 'compliant');
});

test('property: the plan never names a setting outside the policy, a compliant one or an unsupported one', (t) => {
  const settingArb = fc.constantFrom(...CATALOG);
  fc.assert(
    fc.property(
      fc.uniqueArray(settingArb, { minLength: 1, selector: (s) => s.id }),
      fc.array(fc.oneof(fc.integer({ min: -1, max: 5 }), fc.string({ maxLength: 4 }), fc.constant(null)), { minLength: 16, maxLength: 16 }),
      (defs, raw) => {
        const p: Policy = { name: 'p', settings: Object.fromEntries(defs.map((d) => [d.id, d.valueType === 'boolean' ? true : d.valueType === 'secret' ? 'pw-1' : d.factoryDefault!])) };
        const rs: Record<string, Reading> = {};
        CATALOG.forEach((d, i) => {
          const v = raw[i];
          rs[d.oid] = v === null ? { kind: 'noSuchObject', raw: '' } : typeof v === 'number' ? int(v) : str(v);
        });
        const a = assess(p, rs);
        const plan = remediationPlan(a, p);
        for (const step of plan) {
          const s = a.find((x) => x.id === step.id)!;
          if (!(step.id in p.settings) || s.compliant || !s.supported) return false;
        }
        return plan.length === a.filter((s) => s.supported && !s.compliant).length;
      },
    ),
  );
  t.pass();
});

test('an enumeration value outside the known set is reported, not read as a known one', (t) => {
  const [a] = assess({ name: 'p', settings: { ftp: 'off' } }, { [oid('ftp')]: int(7) });
  t.like(a, { actual: null, compliant: false, supported: true, deviceAnswer: 'Integer 7' });
  t.regex(a.note!, /Integer 7 is not a value this setting knows \(0 off, 1 on, 2 print-only, 3 download-only\)/);
  const [b] = assess({ name: 'p', settings: { 'eprint-email': false } }, { [oid('eprint-email')]: int(0) });
  t.like(b, { actual: null, compliant: false });
  t.regex(b.note!, /1 on|2 on/);
});

test('secrets: judged by SET / NOT_SET or the verify object, never shown, written from the policy', (t) => {
  const p: Policy = { name: 'p', settings: { 'admin-password': 'Sup3r-Secret', 'snmp-get-community': 'ro-c0mm' } };
  const before = assess(p, { [oid('admin-password')]: str('NOT_SET'), [oid('snmp-get-community')]: str('SET') });
  t.deepEqual(before.map((s) => [s.id, s.expected, s.actual, s.compliant]), [['admin-password', 'set', 'not-set', false], ['snmp-get-community', 'set', 'set', true]]);
  const plan = remediationPlan(before, p);
  t.deepEqual(plan.map((s) => [s.id, s.wireValue, s.expected]), [['admin-password', 'Sup3r-Secret', 'set']]);
  t.throws(() => remediationPlan(before));
  const differs = assess(p, { [oid('admin-password')]: str('SET'), [oid('snmp-get-community')]: str('SET') }, { 'admin-password': 'differs' });
  t.like(differs[0], { actual: 'differs', compliant: false });
  const leaky = assess(p, { [oid('admin-password')]: str('Sup3r-Secret'), [oid('snmp-get-community')]: str('SET') });
  t.false(JSON.stringify(leaky).includes('Sup3r-Secret'), 'a device answering with the secret itself does not put it in the result');
  t.like(leaky[0], { actual: null, compliant: false, deviceAnswer: 'OctetString (a value, not shown)' });
});
