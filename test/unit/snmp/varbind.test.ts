import test from 'ava';
import snmp from 'net-snmp';
import { readingsFor, toReading, toVarbind } from '../../../appliance/src/snmp/varbind.ts';

test('ordinary answers decode to values with a short raw description', (t) => {
  t.deepEqual(toReading({ oid: '1.2', type: snmp.ObjectType.Integer, value: 1 }), { kind: 'value', type: 'Integer', value: 1, raw: 'Integer 1' });
  const s = toReading({ oid: '1.2', type: snmp.ObjectType.OctetString, value: Buffer.from('Branch 42') });
  t.like(s, { kind: 'value', type: 'OctetString', value: 'Branch 42' });
  t.is(toReading({ oid: '1.2', type: snmp.ObjectType.NoSuchObject, value: null }).kind, 'noSuchObject');
  t.is(toReading({ oid: '1.2', type: snmp.ObjectType.NoSuchInstance, value: null }).kind, 'noSuchInstance');
});

test('hostile answers: huge strings, odd types, garbage values', (t) => {
  const huge = toReading({ oid: '1.2', type: snmp.ObjectType.OctetString, value: Buffer.alloc(65_000, 0x41) });
  t.is(huge.kind, 'value');
  if (huge.kind === 'value') {
    t.true(String(huge.value).length < 1100, 'value is capped');
    t.true(huge.raw.length < 400, 'raw is short');
    t.regex(huge.raw, /65000 bytes/);
  }
  const ctl = toReading({ oid: '1.2', type: snmp.ObjectType.OctetString, value: Buffer.from('a\u0000\u001b[31mb') });
  t.false(ctl.raw.includes('\u001b'));
  t.like(toReading({ oid: '1.2', type: snmp.ObjectType.Counter, value: 1 }), { type: 'Counter' });
  t.like(toReading({ oid: '1.2', type: snmp.ObjectType.Integer, value: 'x' as unknown as number }), { kind: 'value', value: '(Integer)' });
  t.like(toReading({ oid: '1.2', type: 999, value: { toString: () => { throw new Error('boom'); } } }), { kind: 'value', raw: 'type 999 undecodable' });
  t.is(toReading(undefined).kind, 'missing');
  t.is(toReading(null as never).kind, 'missing');
});

test('readingsFor matches by OID and marks what is missing', (t) => {
  const r = readingsFor(['1.1', '1.2'], [{ oid: '1.2', type: snmp.ObjectType.Integer, value: 0 }]);
  t.is(r['1.1'].kind, 'missing');
  t.like(r['1.2'], { value: 0 });
  t.is(readingsFor(['1.1'], undefined)['1.1'].kind, 'missing');
});

test('toVarbind encodes integers and strings', (t) => {
  t.deepEqual(toVarbind({ id: 'telnet', oid: '1.3', wireType: 'Integer', wireValue: 0, expected: false }), { oid: '1.3', type: snmp.ObjectType.Integer, value: 0 });
  const s = toVarbind({ id: 'sys-location', oid: '1.4', wireType: 'OctetString', wireValue: 'Zürich', expected: 'Zürich' });
  t.deepEqual(s.value, Buffer.from('Zürich'));
});
