// The devices CSV export: cells a spreadsheet would run as a formula are shown as text (OWASP CSV injection).
import test from 'ava';
import { csvCell, devicesCsv } from '../../../appliance/src/api/routes/devices-csv.ts';

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
