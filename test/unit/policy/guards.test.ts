import test from 'ava';
import { guardRefusals, type CredentialFacts } from '../../../appliance/src/policy/guards.ts';

const v2c = (read: string, write: string): CredentialFacts => ({ version: '2c', readsWithFactoryCommunity: read === 'public', writesWith: (c) => c === write });
const v3: CredentialFacts = { version: '3' };
const fields = (r: { field: string }[]) => r.map((x) => x.field).sort();

test('SNMP off is always refused; an interface down is refused; "on" is fine', (t) => {
  const r = guardRefusals({ 'snmp-agent': false, 'wireless-radio': false, 'network-connection-mode': 'wired-only' }, { credentials: [v3] });
  t.deepEqual(fields(r), ['settings.network-connection-mode', 'settings.snmp-agent', 'settings.wireless-radio']);
  t.regex(r.find((x) => x.field === 'settings.snmp-agent')!.message, /cannot be undone over SNMP/);
  t.deepEqual(guardRefusals({ 'snmp-agent': true, 'wireless-radio': true, 'network-connection-mode': 'automatic' }, { credentials: [] }), []);
});

test('v3-only: refused while only v2c credentials exist, accepted with an SNMPv3 credential', (t) => {
  const only2c = guardRefusals({ 'snmp-version-access': 'v3-only' }, { credentials: [v2c('public', 'private')] });
  t.deepEqual(fields(only2c), ['settings.snmp-version-access']);
  t.regex(only2c[0].message, /ends v1\/v2c writes, and this appliance has only v2c credentials/);
  t.deepEqual(guardRefusals({ 'snmp-version-access': 'v3-only' }, { credentials: [v2c('public', 'private'), v3] }), []);
  t.regex(guardRefusals({ 'snmp-version-access': 'v1v2-rw-no-v3' }, { credentials: [v3] })[0].message, /turns SNMPv3 off/);
  t.deepEqual(guardRefusals({ 'snmp-version-access': 'v1v2-rw-no-v3' }, { credentials: [v2c('x', 'y')] }), []);
  t.regex(guardRefusals({ 'snmp-version-access': 'v3-only' }, { credentials: [] })[0].message, /no SNMP credential yet/);
});

test('factory read community off and a new write community: refused unless a credential keeps working', (t) => {
  t.deepEqual(fields(guardRefusals({ 'snmp-default-read-community': false }, { credentials: [v2c('public', 'private')] })), ['settings.snmp-default-read-community']);
  t.deepEqual(guardRefusals({ 'snmp-default-read-community': false }, { credentials: [v2c('branch-ro', 'private')] }), []);
  t.deepEqual(fields(guardRefusals({ 'snmp-set-community': 'n3w-write' }, { credentials: [v2c('public', 'private')] })), ['settings.snmp-set-community']);
  t.deepEqual(guardRefusals({ 'snmp-set-community': 'n3w-write' }, { credentials: [v2c('public', 'n3w-write')] }), []);
  t.deepEqual(guardRefusals({ 'snmp-set-community': 'n3w-write' }, { credentials: [v2c('public', 'private'), v3] }), []);
  // Together: v3 off and a community nobody writes with leaves nothing.
  t.deepEqual(fields(guardRefusals({ 'snmp-version-access': 'v1v2-rw-no-v3', 'snmp-set-community': 'other' }, { credentials: [v2c('public', 'private'), v3] })),
    ['settings.snmp-set-community', 'settings.snmp-version-access']);
});
