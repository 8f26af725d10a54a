import test from 'ava';
import fc from 'fast-check';
import { assess, deviceStatus, finalize, remediationPlan, type Reading } from '../../../appliance/src/policy/assessment.ts';
import { CATALOG, settingById } from '../../../appliance/src/policy/catalog.ts';
import type { Policy } from '../../../appliance/src/policy/policy.ts';

const int = (value: number): Reading => ({ kind: 'value', type: 'Integer', value, raw: `Integer ${value}` });
const str = (value: string): Reading => ({ kind: 'value', type: 'OctetString', value, raw: `OctetString ${value}` });
const oid = (id: string) => settingById(id)!.oid;

const policy: Policy = { name: 'p', settings: { telnet: false, 'ftp-printing': false, 'sys-location': 'Branch 42', 'ws-print': false } };
const readings = {
  [oid('telnet')]: int(0),
  [oid('ftp-printing')]: int(1),
  [oid('sys-location')]: str(''),
  [oid('ws-print')]: { kind: 'noSuchObject', raw: 'noSuchObject' } as Reading,
  [oid('slp')]: int(1), // read but not in the policy: must never appear
};

test('assess diffs only the policy settings', (t) => {
  const a = assess(policy, readings);
  t.deepEqual(a.map((s) => [s.id, s.actual, s.compliant, s.supported]), [
    ['telnet', false, true, true],
    ['ftp-printing', true, false, true],
    ['sys-location', '', false, true],
    ['ws-print', null, false, false],
  ]);
});

test('the plan holds only supported non-compliant settings, with wire values', (t) => {
  const plan = remediationPlan(assess(policy, readings));
  t.deepEqual(plan.map((s) => [s.id, s.wireType, s.wireValue]), [
    ['ftp-printing', 'Integer', 0],
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
  const verified = assess(policy, { ...readings, [oid('ftp-printing')]: int(0), [oid('sys-location')]: str('Branch 42') });
  const r = finalize({ initial, written: plan, rejected: {}, verified });
  t.is(r.status, 'remediated');
  t.deepEqual(r.settings.map((s) => [s.id, s.outcome, s.changed, s.before, s.actual]), [
    ['telnet', 'compliant', false, false, false],
    ['ftp-printing', 'remediated', true, true, false],
    ['sys-location', 'remediated', true, '', 'Branch 42'],
    ['ws-print', 'unsupported', false, null, null],
  ]);

  const rej = finalize({ initial, written: [plan[1]], rejected: { 'ftp-printing': 'NotWritable: x' }, verified });
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
        const p: Policy = { name: 'p', settings: Object.fromEntries(defs.map((d) => [d.id, d.valueType === 'boolean' ? true : 'x'])) };
        const rs: Record<string, Reading> = {};
        CATALOG.forEach((d, i) => {
          const v = raw[i];
          rs[d.oid] = v === null ? { kind: 'noSuchObject', raw: '' } : typeof v === 'number' ? int(v) : str(v);
        });
        const a = assess(p, rs);
        const plan = remediationPlan(a);
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
