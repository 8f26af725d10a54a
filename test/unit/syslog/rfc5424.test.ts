// RFC 5424 formatting: header fields, SD escaping (§6.3.3), size bounds without splitting UTF-8, octet framing.
import test from 'ava';
import fc from 'fast-check';
import { formatRfc5424, octetFrame, escapeParamValue, FACILITY, type SyslogMessage } from '../../../appliance/src/syslog/rfc5424.ts';

const base: SyslogMessage = { facility: FACILITY.local0, severity: 'warning', timestamp: new Date('2025-03-01T10:20:30.123Z'), hostname: 'edge-1',
  appName: 'instant-on-edge', procId: '42', msgId: 'ALERT', structuredData: [{ id: 'alert@32473', params: { kind: 'disk-low', n: 3, skip: undefined } }], message: 'disk low' };

test('header, structured data and a BOM-marked UTF-8 message', (t) => {
  t.is(formatRfc5424(base), '<132>1 2025-03-01T10:20:30.123Z edge-1 instant-on-edge 42 ALERT [alert@32473 kind="disk-low" n="3"] \uFEFFdisk low');
});

test('param values escape " \\ and ], control characters cannot forge a second line', (t) => {
  t.is(escapeParamValue('a"b\\c]d\ne'), 'a\\"b\\\\c\\]d e');
  const line = formatRfc5424({ ...base, structuredData: [{ id: 'device@32473', params: { model: 'HP "X"] [evil@1 a="b"' } }], message: 'x\r\n<13>1 forged' });
  t.true(line.includes('model="HP \\"X\\"\\] [evil@1 a=\\"b\\""]'));
  t.false(/[\r]/.test(line));
  t.is(line.split('\n').length, 1, 'one message is one line: a collector writing lines (UDP, or no escaping) sees no forged one');
});

test('unauthenticated text (a failed sign-in\'s user name) cannot forge a line, reorder text or hide in any field', async (t) => {
  const { auditEvent } = await import('../../../appliance/src/syslog/events.ts');
  const user = 'admin\n<13>1 2025-03-01T00:00:00Z edge-1 instant-on-edge 1 AUDIT - forged\u0085NEL\u2028LS\u202eRLO\tTAB\u200bZW\ud800';
  const e = auditEvent({ id: '1', at: '2025-03-01T00:00:00Z', user, ip: '10.0.0.66', method: 'POST', path: '/api/v1/login', status: 401, action: 'login-failed' });
  const line = formatRfc5424({ ...base, msgId: e.msgId, structuredData: e.sd, message: e.message });
  t.false(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u200b]/.test(line), JSON.stringify(line));
  t.false(line.includes('\ufffd'), 'a lone surrogate is replaced, not written as broken UTF-8');
  t.true(line.includes('user="admin <13>1 2025-03-01T00:00:00Z'), 'the text itself is kept, on one line');
});

test('header fields lose spaces and non-ASCII; empty ones are the NILVALUE', (t) => {
  const line = formatRfc5424({ ...base, hostname: 'my host', appName: '', msgId: 'ÄLERT', structuredData: [] });
  t.regex(line, /^<132>1 \S+ myhost - 42 LERT - \uFEFFdisk low$/);
});

test('array params repeat the name; SD-IDs and names drop forbidden characters', (t) => {
  const line = formatRfc5424({ ...base, structuredData: [{ id: 'a=b]"c', params: { 'x y': ['1', '2'] } }] });
  t.true(line.includes('[abc xy="1" xy="2"]'));
});

test('never more than maxBytes, never a broken UTF-8 character, header always kept', (t) => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 120, max: 2048 }), (msg, max) => {
    const line = formatRfc5424({ ...base, message: msg, structuredData: [{ id: 'a@1', params: { v: msg } }, { id: 'b@1', params: { v: msg } }] }, max);
    const bytes = Buffer.byteLength(line);
    return bytes <= max && !line.includes('\uFFFD') && line.startsWith('<132>1 2025-03-01T10:20:30.123Z edge-1 ');
  }), { numRuns: 200 });
  t.pass();
});

test('octet counting frames by byte length, not characters', (t) => {
  t.is(octetFrame('é').toString('utf8'), '2 é');
  t.is(octetFrame('abc').toString(), '3 abc');
});
