// The devices CSV export: cells a spreadsheet would run as a formula are shown as text (OWASP CSV injection).
import test from 'ava';
import { csvCell, devicesCsv, devicesCsvChunks } from '../../../appliance/src/api/routes/devices-csv.ts';

test('formula starts are neutralised, also after leading whitespace, tabs, line breaks and invisible characters', (t) => {
  for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', ' =HYPERLINK("http://x")', '   +cmd', '\t=1', '\r=1', '\n=1', '\u00a0@x', '\u2003-1', '\u3000=1',
    '\u200b=1', '\ufeff=1', ' \t \r\n=1', '\uff1d1+1', ' \uff20x', '\t', '\rplain']) {
    const out = csvCell(v);
    const unquoted = out.startsWith('"') ? out.slice(1, -1).replace(/""/g, '"') : out;
    t.true(unquoted.startsWith("'"), `${JSON.stringify(v)} → ${out}`);
  }
  for (const v of ['HP LaserJet', 'a=b', 'x-1', ' plain', 'CN12-34', 'e@mail']) t.false(csvCell(v).replace(/^"/, '').startsWith("'"), v);
  t.is(csvCell('a,b'), '"a,b"');
  t.is(csvCell(' =1,2'), `"' =1,2"`);
});

test('a device list with a hostile model and firmware exports as text', (t) => {
  const csv = devicesCsv([{ serialNumber: 'S1', model: ' =cmd|" /C calc"!A0', firmware: '\u00a0@SUM(1)', announceCount: 3 }]);
  const row = csv.replace(/^\ufeff/, '').split('\r\n')[1];
  t.true(row.includes(`"' =cmd|"" /C calc""!A0"`), row);
  t.true(row.includes("'\u00a0@SUM(1)"), row);
});

test('a large fleet is exported in pieces of whole rows: header, then at most 500 devices per piece', (t) => {
  const devices = Array.from({ length: 1201 }, (_, i) => ({ serialNumber: `S${String(i).padStart(5, '0')}`, model: 'HP LaserJet', announceCount: i }));
  const pieces = [...devicesCsvChunks(devices)];
  t.is(pieces.length, 1 + 3);
  t.true(pieces[0].startsWith('\ufeffserialNumber,'));
  for (const p of pieces) t.true(p.endsWith('\r\n'), 'every piece ends a row');
  t.is(pieces[3].split('\r\n').length - 1, 201);
  const lines = devicesCsv(devices).replace(/^\ufeff/, '').split('\r\n');
  t.is(lines.length, 1 + 1201 + 1, 'header, one line per device, final line break');
  t.true(lines[1201].startsWith('S01200,'));
});
