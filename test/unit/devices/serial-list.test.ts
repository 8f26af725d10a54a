import test from 'ava';
import fc from 'fast-check';
import { isValidSerial, parseSerialList } from '../../../appliance/src/devices/serial-list.ts';

test('a file with good, blank, comment, duplicate and invalid lines gives exact counts and line numbers', (t) => {
  const file = [
    '# managed-print contract 2026', // 1 comment
    'CNB1K23456', // 2 good
    '', // 3 blank
    '   ', // 4 whitespace only
    'JPBCS12345   # trailing comment', // 5 good with comment
    'CNB1K23456', // 6 duplicate within the file
    'EXISTING-1', // 7 duplicate against the store
    'bad serial', // 8 two values
    'CN_B1K', // 9 underscore not allowed
    'A'.repeat(33), // 10 too long
    'A'.repeat(32), // 11 longest allowed
    '\tVNB3R00001\t', // 12 tabs around a good serial
    'ünïcode', // 13 non-ASCII
    '#CNB0000000', // 14 commented out
  ].join('\r\n');
  const result = parseSerialList(file, new Set(['EXISTING-1']));
  t.deepEqual(result.added, ['CNB1K23456', 'JPBCS12345', 'A'.repeat(32), 'VNB3R00001']);
  t.is(result.duplicates, 2);
  t.deepEqual(result.invalid, [
    { line: 8, text: 'bad serial', reason: 'multiple-values' },
    { line: 9, text: 'CN_B1K', reason: 'invalid-characters' },
    { line: 10, text: 'A'.repeat(33), reason: 'too-long' },
    { line: 13, text: 'ünïcode', reason: 'invalid-characters' },
  ]);
});

test('LF, CR and BOM inputs are read like CRLF; an empty file adds nothing', (t) => {
  t.deepEqual(parseSerialList('\uFEFFA1\nB2\rC3\n').added, ['A1', 'B2', 'C3']);
  t.deepEqual(parseSerialList(''), { added: [], duplicates: 0, invalid: [] });
});

test('serials are case-sensitive, as the announcement filter compares them exactly', (t) => {
  const result = parseSerialList('abc\nABC\n');
  t.deepEqual(result.added, ['abc', 'ABC']);
  t.is(result.duplicates, 0);
});

test('an overlong garbage line is echoed truncated', (t) => {
  const result = parseSerialList(`${'x!'.repeat(200)}\n`);
  t.is(result.invalid.length, 1);
  t.true(result.invalid[0].text.length <= 81);
});

test('property: every non-comment line is accounted for exactly once', (t) => {
  const lineArb = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/),
    fc.constantFrom('', '# note', 'bad value', 'x_y', 'A'.repeat(40)),
    fc.string({ maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
  );
  fc.assert(
    fc.property(fc.array(lineArb, { maxLength: 60 }), fc.array(fc.stringMatching(/^[A-Z0-9]{1,8}$/)), (lines, existing) => {
      const result = parseSerialList(lines.join('\n'), new Set(existing));
      const counted = lines.filter((l) => (l.split('#')[0] ?? '').trim() !== '').length;
      t.is(result.added.length + result.duplicates + result.invalid.length, counted);
      t.true(result.added.every(isValidSerial));
      t.is(new Set(result.added).size, result.added.length);
      t.true(result.added.every((s) => !existing.includes(s)));
    }),
  );
});

// The streaming reader (uploads) must agree with the whole-text parser, however the bytes are cut.
import { SerialListReader, MAX_LINE_BYTES } from '../../../appliance/src/devices/serial-list.ts';

function readInChunks(bytes: Buffer, cuts: number[], opts: ConstructorParameters<typeof SerialListReader>[0] = {}) {
  const r = new SerialListReader(opts);
  let at = 0;
  for (const c of [...new Set(cuts)].filter((x) => x > 0 && x < bytes.length).sort((a, b) => a - b)) { r.push(bytes.subarray(at, c)); at = c; }
  r.push(bytes.subarray(at));
  return r.end();
}

test('streaming reader: same result as parseSerialList for any cutting of the bytes (CRLF, BOM and UTF-8 split across chunks)', (t) => {
  const lineArb = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/),
    fc.constantFrom('', '# note', 'bad value', 'x_y', 'A'.repeat(40), 'ünïcode', '  PAD-1  # c'),
    fc.string({ maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
  );
  fc.assert(fc.property(fc.array(lineArb, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), fc.array(fc.nat(2000), { maxLength: 12 }), (lines, eol, bom, cuts) => {
    const text = `${bom ? '\uFEFF' : ''}${lines.join(eol)}`;
    const whole = parseSerialList(text, new Set(['EXISTING']));
    const streamed = readInChunks(Buffer.from(text, 'utf8'), cuts, { isListed: (s) => s === 'EXISTING' });
    t.deepEqual(streamed.added, whole.added);
    t.is(streamed.duplicates, whole.duplicates);
    t.deepEqual(streamed.invalid, whole.invalid.slice(0, 100));
    t.is(streamed.invalidCount, whole.invalid.length);
  }));
});

test('streaming reader: counts every problem but describes the first 100; an overlong line is one problem, its start echoed', (t) => {
  const lines = Array.from({ length: 1000 }, (_, i) => (i === 500 ? 'Z'.repeat(MAX_LINE_BYTES * 50) : `bad line ${i}`));
  const r = readInChunks(Buffer.from(`${lines.join('\n')}\nGOOD-1\n`), Array.from({ length: 300 }, (_, i) => i * 997));
  t.is(r.invalidCount, 1000);
  t.is(r.invalid.length, 100);
  t.deepEqual(r.invalid.map((p) => p.line), Array.from({ length: 100 }, (_, i) => i + 1));
  t.deepEqual(r.added, ['GOOD-1']);
  t.is(r.lines, 1001);
  const long = readInChunks(Buffer.from(`A1\n${'Z'.repeat(MAX_LINE_BYTES + 1)}\n# ${'c'.repeat(MAX_LINE_BYTES)}\nB2`), [5, 700, 1500]);
  t.deepEqual(long.invalid.map((p) => [p.line, p.reason, p.text.length]), [[2, 'line-too-long', 81], [3, 'line-too-long', 81]]);
  t.deepEqual(long.added, ['A1', 'B2']);
});

test('streaming reader: new serials stop at maxNew (the rest counted as listFull), duplicates still counted', (t) => {
  const r = readInChunks(Buffer.from('A1\nA2\nA1\nA3\nA4\nOLD\n'), [], { maxNew: 2, isListed: (s) => s === 'OLD' });
  t.deepEqual(r.added, ['A1', 'A2']);
  t.is(r.duplicates, 2);
  t.is(r.listFull, 2);
});
