// Filters: every op on every kind of field, nesting and its limit, and bad input named by its path.
import test from 'ava';
import { parseFilter, type FilterNode } from '../../../appliance/src/autogroups/filter.ts';
import { deviceFacts } from '../../../appliance/src/autogroups/facts.ts';
import { compileGlob, globMatch, parseIpv4Range } from '../../../appliance/src/autogroups/match.ts';
import type { Device } from '../../../appliance/src/devices/device.ts';

const device = (patch: Partial<Device> = {}): Device => ({
  serialNumber: 'CNB1K23456', macAddress: 'a0:d3:c1:12:34:56', model: 'HP LaserJet Enterprise MFP M555dn', ipv4: '10.1.2.40',
  hostname: 'npi123456.finance.branch.lan', firmware: '2505252_000112', snmpPort: 161, discoveredBy: 'instant-on', foundBy: { announcement: { first: '', last: '' } }, firstSeen: '', lastSeen: '',
  lastReason: 'initial-boot', lastMessageId: 'm', peerAddress: '10.1.2.40', announceCount: 1, authMethod: 'anonymous', historySeq: 0, ...patch,
});

const matches = (filter: unknown, d = device()) => {
  const r = parseFilter(filter);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.match(deviceFacts(d));
};

test('every op on text fields, case-insensitive', (t) => {
  t.true(matches({ field: 'model', op: 'contains', value: 'm555' }));
  t.true(matches({ field: 'model', op: 'equals', value: 'hp laserjet enterprise mfp m555dn' }));
  t.false(matches({ field: 'model', op: 'equals', value: 'M555' }));
  t.true(matches({ field: 'model', op: 'prefix', value: 'HP LaserJet' }));
  t.true(matches({ field: 'hostname', op: 'glob', value: 'npi*.finance.*.lan' }));
  t.false(matches({ field: 'hostname', op: 'glob', value: 'npi*.lobby.*' }));
  t.true(matches({ field: 'serial', op: 'in', value: ['XX', 'cnb1k23456'] }));
  t.true(matches({ field: 'firmware', op: 'prefix', value: '2505' }));
  t.false(matches({ field: 'hostname', op: 'contains', value: 'x' }, device({ hostname: undefined })), 'a missing attribute matches nothing');
});

test('MAC prefix in any notation, IPv4 CIDR and ranges', (t) => {
  t.true(matches({ field: 'mac', op: 'prefix', value: 'A0-D3-C1' }));
  t.true(matches({ field: 'mac', op: 'prefix', value: 'a0d3c1' }));
  t.false(matches({ field: 'mac', op: 'prefix', value: '00:11:22' }));
  t.true(matches({ field: 'ipv4', op: 'inRange', value: '10.1.2.0/24' }));
  t.false(matches({ field: 'ipv4', op: 'inRange', value: '10.1.3.0/24' }));
  t.true(matches({ field: 'ipv4', op: 'inRange', value: '10.1.2.10-10.1.2.40' }));
  t.false(matches({ field: 'ipv4', op: 'inRange', value: '10.1.2.41-10.1.2.50' }));
  t.true(matches({ field: 'ipv4', op: 'inRange', value: '0.0.0.0/0' }));
  t.false(matches({ field: 'ipv4', op: 'inRange', value: '0.0.0.0/0' }, device({ ipv4: undefined })));
  t.deepEqual(parseIpv4Range('10.1.2.77/30'), { lo: 0x0a01024c, hi: 0x0a01024f });
});

test('how found, compliance, last authentication', (t) => {
  t.true(matches({ field: 'foundBy', op: 'equals', value: 'announcement' }));
  t.true(matches({ field: 'foundBy', op: 'in', value: ['discovery'] }, device({ discoveredBy: 'auto-discovered', foundBy: { discovery: { first: '', last: '' }, announcement: { first: '', last: '' } } })));
  t.true(matches({ field: 'compliance', op: 'equals', value: 'not-assessed' }));
  t.true(matches({ field: 'compliance', op: 'in', value: ['non-compliant', 'auth-failed'] }, device({ compliance: { status: 'auth-failed' } as any })));
  t.true(matches({ field: 'lastAuth', op: 'equals', value: 'never' }));
  t.true(matches({ field: 'lastAuth', op: 'equals', value: 'expired' }, device({ lastAuth: { at: '', mode: 'mutual', method: 'anonymous', result: 'expired' } })));
  t.true(matches({ field: 'authMethod', op: 'equals', value: 'anonymous' }));
});

test('all / any / not with one level of nesting', (t) => {
  const f: FilterNode = { all: [{ field: 'model', op: 'contains', value: 'M555' }, { not: { field: 'ipv4', op: 'inRange', value: '10.1.3.0/24' } },
    { any: [{ field: 'hostname', op: 'glob', value: '*.lobby.*' }, { not: { field: 'firmware', op: 'prefix', value: '24' } }] }] };
  t.true(matches(f));
  t.false(matches(f, device({ ipv4: '10.1.3.9' })));
  t.false(matches({ not: f }));
  t.false(matches({ any: [{ field: 'serial', op: 'equals', value: 'nope' }, { all: [{ field: 'serial', op: 'prefix', value: 'CNB' }, { field: 'model', op: 'contains', value: 'M611' }] }] }));
});

const errorsOf = (filter: unknown) => {
  const r = parseFilter(filter);
  return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
};

test('bad filters are refused with the path of each problem', (t) => {
  t.regex(errorsOf('model contains M555')[0], /^\(filter\): must be a condition/);
  t.regex(errorsOf({ field: 'colour', op: 'equals', value: 'red' })[0], /^field: unknown field \(one of model, serial/);
  t.regex(errorsOf({ all: [{ field: 'model', op: 'like', value: 'x' }] })[0], /^all\.0\.op: unknown op/);
  t.regex(errorsOf({ all: [{ field: 'model', op: 'inRange', value: 'x' }] })[0], /^all\.0\.op: field model takes equals, contains, glob, prefix, in/);
  t.regex(errorsOf({ any: [{ field: 'ipv4', op: 'inRange', value: '10.1.2.0/33' }] })[0], /^any\.0\.value: the prefix length/);
  t.regex(errorsOf({ not: { field: 'ipv4', op: 'in', value: ['10.1.2.3', '10.1.2'] } })[0], /^not\.value\.1: "10\.1\.2" is not an IPv4 address/);
  t.regex(errorsOf({ field: 'compliance', op: 'equals', value: 'great' })[0], /^value: "great" is not one of compliant/);
  t.regex(errorsOf({ field: 'model', op: 'in', value: 'x' })[0], /^value: op "in" takes an array/);
  t.regex(errorsOf({ field: 'model', op: 'equals', value: 'x', extra: 1 })[0], /Unrecognized key/);
  t.regex(errorsOf({ all: [] })[0], /^all: must be an array of 1 to 50/);
  t.regex(errorsOf({ all: [{ any: [{ all: [{ field: 'model', op: 'equals', value: 'x' }] }] }] })[0], /^all\.0\.any\.0\.all: all\/any nest only one level deep/);
  t.regex(errorsOf({ all: [{ field: 'model', op: 'equals', value: 'x' }], any: [] })[0], /^any: "all" cannot be combined/);
  t.regex(errorsOf({ field: 'model', op: 'equals', value: 'x'.repeat(300) })[0], /^value: must be at most 256/);
  t.regex(errorsOf({ field: 'mac', op: 'prefix', value: 'zz:11' })[0], /^value: "zz:11" is not a MAC/);
});

test('glob has no catastrophic backtracking: a pattern of stars against a long name (a RegExp would run for ages)', (t) => {
  t.false(globMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(255)));
  t.true(globMatch('a?c*', 'abcdef'));
  t.false(globMatch('a?c', 'abcd'));
  t.true(globMatch('*', ''));
});

test('the compiled glob agrees with the reference matcher', (t) => {
  const texts = ['', 'a', 'ab', 'aab', 'npi123.finance.lan', 'npi.lan', 'abcabc', 'xyz'];
  const patterns = ['*', 'a*', '*b', 'a*b', '*a*', 'npi*.*.lan', 'npi*.lan', 'abc*abc', 'a**b', '*c*c', 'xyz', 'x?z', 'a*a*a', 'aab*ab'];
  for (const p of patterns) for (const s of texts) t.is(compileGlob(p)(s), globMatch(p, s), `${p} vs ${s}`);
});

test('facts: the ways a device was found are one shared, frozen list per combination, and still match', (t) => {
  const a = deviceFacts(device({ serialNumber: 'A1' }));
  const b = deviceFacts(device({ serialNumber: 'B2' }));
  const both = deviceFacts(device({ foundBy: { announcement: { first: '', last: '' }, discovery: { first: '', last: '' } } }));
  t.is(a.foundBy, b.foundBy, 'two announced devices share one list');
  t.true(Object.isFrozen(a.foundBy));
  t.deepEqual([...both.foundBy], ['announcement', 'discovery']);
  t.not(both.foundBy, a.foundBy);
  t.deepEqual([...deviceFacts(device({ foundBy: undefined, discoveredBy: 'auto-discovered' })).foundBy], ['discovery'], 'older records: from discoveredBy');
  t.true(matches({ field: 'foundBy', op: 'in', value: ['discovery'] }, device({ foundBy: { announcement: { first: '', last: '' }, discovery: { first: '', last: '' } } })));
  t.false(matches({ field: 'foundBy', op: 'equals', value: 'discovery' }));
});
