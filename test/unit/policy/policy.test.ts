import test from 'ava';
import { validatePolicy } from '../../../appliance/src/policy/policy.ts';

test('a valid policy passes and keeps exactly the named settings', (t) => {
  const r = validatePolicy({ name: ' Branch ', settings: { telnet: false, 'sys-location': 'Branch 42', 'control-panel-lock': true } });
  t.true(r.ok);
  if (r.ok) t.deepEqual(r.policy, { name: 'Branch', settings: { telnet: false, 'sys-location': 'Branch 42', 'control-panel-lock': true } });
});

test('every bad field is reported at once, by path', (t) => {
  const r = validatePolicy({ name: '', settings: { telnet: 'off', bogus: true, 'sys-name': 'x'.repeat(256), 'sys-contact': 'a\nb', slp: 1 } });
  t.false(r.ok);
  if (r.ok) return;
  const fields = r.errors.map((e) => e.field).sort();
  t.deepEqual(fields, ['name', 'settings.bogus', 'settings.slp', 'settings.sys-contact', 'settings.sys-name', 'settings.telnet']);
  t.regex(r.errors.find((e) => e.field === 'settings.bogus')!.message, /unknown setting/);
  t.regex(r.errors.find((e) => e.field === 'settings.sys-name')!.message, /at most 255/);
  t.regex(r.errors.find((e) => e.field === 'settings.telnet')!.message, /true or false/);
});

test('a 255-character string is allowed, an empty policy and non-objects are not', (t) => {
  t.true(validatePolicy({ name: 'p', settings: { 'sys-name': 'y'.repeat(255) } }).ok);
  const empty = validatePolicy({ name: 'p', settings: {} });
  t.false(empty.ok);
  if (!empty.ok) t.deepEqual(empty.errors.map((e) => e.field), ['settings']);
  for (const bad of [null, 'x', 42, [], { name: 'p' }, { name: 'p', settings: [] }]) t.false(validatePolicy(bad).ok);
});
