// Settings in the page's words (issue 17 §7): every row of the schema has a label and a section, numbers a
// unit where they have one, and a refused value is explained in words naming the setting.
import test from 'ava';
import { settingsSchema, settingKeys, SETTING_GROUPS } from '../../../appliance/src/config/schema.ts';
import { SettingsView, SettingsError } from '../../../appliance/src/config/settings.ts';

test('every setting has a human label and one of the sections', (t) => {
  for (const key of settingKeys) {
    const def = settingsSchema[key] as { label?: string; group?: string };
    t.truthy(def.label, `${key} has no label`);
    t.not(def.label, key, `${key}: the label is the raw key`);
    t.true((SETTING_GROUPS as readonly string[]).includes(def.group ?? ''), `${key}: section ${def.group}`);
  }
  const d = new SettingsView({}).describe();
  t.like(d.find((x) => x.key === 'snmpTimeoutMs'), { label: 'SNMP answer timeout', group: 'Tasks and SNMP', unit: 'ms' });
  t.deepEqual(d.find((x) => x.key === 'smtpSecurity')?.choices, ['starttls', 'tls', 'none']);
});

test('a refused value is said in words, with the setting named by its label', (t) => {
  const v = new SettingsView({});
  const refused = (key: string, value: unknown) => { try { v.validateChange(key, value); return undefined; } catch (e) { return e as SettingsError; } };
  t.deepEqual(refused('dnsPort', 70000)?.details, [{ field: 'dnsPort', message: 'DNS port: must be at most 65535' }]);
  t.deepEqual(refused('maxConcurrentDevices', 0)?.details, [{ field: 'maxConcurrentDevices', message: 'SNMP conversations at once: must be at least 1' }]);
  t.deepEqual(refused('logLevel', 'loud')?.details, [{ field: 'logLevel', message: 'Log level: must be one of trace, debug, info, warn, error' }]);
  t.deepEqual(refused('dnsTtl', 'soon')?.details, [{ field: 'dnsTtl', message: 'Answer TTL: must be a number' }]);
  t.regex(refused('syslogTargets', 'udp://a:514,nonsense')!.details[0].message, /^Syslog collectors: entry 2 "nonsense" is not udp/);
});
