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

test('typed values: enumerations by name, flags in MIB order, integers in range, addresses, secrets', (t) => {
  const r = validatePolicy({ name: 'p', settings: { ftp: 'print-only', 'tls-versions': 'tls1.2, tls1.1', 'syslog-port': 6514, 'syslog-server': '10.0.0.9',
    'hpdap-server': 'this-appliance', 'admin-password': 'Branch-42!' } });
  t.true(r.ok);
  if (r.ok) t.like(r.policy.settings, { ftp: 'print-only', 'tls-versions': 'tls1.1,tls1.2', 'syslog-port': 6514, 'hpdap-server': 'this-appliance', 'admin-password': 'Branch-42!' });
  const bad = validatePolicy({ name: 'p', settings: { ftp: true, 'ftp-printing': false, 'tftp-config': false, 'direct-connect-ports': 'not-supported', 'tls-versions': 'tls1.3',
    'syslog-port': 0, 'held-job-timeout': 1.5, 'syslog-server': 'this-appliance', 'admin-password': 'x'.repeat(17), 'snmp-get-community': { set: true } } });
  t.false(bad.ok);
  if (bad.ok) return;
  const msg = Object.fromEntries(bad.errors.map((e) => [e.field.replace('settings.', ''), e.message]));
  t.regex(msg.ftp, /off \(0\) \| on \(1\) \| print-only \(2\) \| download-only \(3\)/);
  t.regex(msg['ftp-printing'], /replaced by "ftp"/);
  t.regex(msg['tftp-config'], /no public MIB/);
  t.regex(msg['direct-connect-ports'], /reports, not one a policy can ask for/);
  t.regex(msg['tls-versions'], /unknown value "tls1.3"/);
  t.truthy(msg['syslog-port'] && msg['held-job-timeout'] && msg['syslog-server']);
  t.regex(msg['admin-password'], /1–16 characters/);
  t.regex(msg['snmp-get-community'], /the secret itself/);
  t.true(validatePolicy({ name: 'p', settings: { 'snmp-get-community': { set: true } } }, { allowKeep: true }).ok);
});
