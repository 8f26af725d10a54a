import test from 'ava';
import { assess, finalize, remediationPlan, type Reading } from '../../../appliance/src/policy/assessment.ts';
import { settingById } from '../../../appliance/src/policy/catalog.ts';
import { diffRuns } from '../../../appliance/src/policy/run-diff.ts';

const int = (value: number): Reading => ({ kind: 'value', type: 'Integer', value, raw: `Integer ${value}` });
const str = (value: string): Reading => ({ kind: 'value', type: 'OctetString', value, raw: `OctetString ${value}` });
const oid = (id: string) => settingById(id)!.oid;
const policy = { name: 'p', settings: { telnet: false, 'sys-location': 'Branch 42', 'ws-print': false } };

function runOn(device: Record<string, Reading>) {
  const initial = assess(policy, device);
  const plan = remediationPlan(initial);
  const verified = assess(policy, { ...device, [oid('telnet')]: int(0), [oid('sys-location')]: str('Branch 42') });
  return finalize({ initial, written: plan, rejected: {}, verified });
}

test('a cold reset shows as drift, and the next run as what was put back', (t) => {
  const missing: Reading = { kind: 'noSuchObject', raw: 'noSuchObject' };
  const first = runOn({ [oid('telnet')]: int(1), [oid('sys-location')]: str(''), [oid('ws-print')]: missing });
  const firstDiff = diffRuns(undefined, first.settings);
  t.deepEqual(firstDiff.drifted, []);
  t.deepEqual(firstDiff.putBack, [{ id: 'telnet', from: true, to: false }, { id: 'sys-location', from: '', to: 'Branch 42' }]);

  // Cold reset: telnet back on, location wiped.
  const second = runOn({ [oid('telnet')]: int(1), [oid('sys-location')]: str(''), [oid('ws-print')]: missing });
  const d = diffRuns(first.settings, second.settings);
  t.deepEqual(d.drifted, [{ id: 'telnet', was: false, found: true }, { id: 'sys-location', was: 'Branch 42', found: '' }]);
  t.is(d.putBack.length, 2);
  t.deepEqual(d.stillWrong, []);

  // Nothing happened in between: no drift, nothing put back.
  const third = runOn({ [oid('telnet')]: int(0), [oid('sys-location')]: str('Branch 42'), [oid('ws-print')]: missing });
  t.deepEqual(diffRuns(second.settings, third.settings), { drifted: [], putBack: [], stillWrong: [] });
});
