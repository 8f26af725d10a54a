// A list of printers to add, as an admin has it: a text file with one address or host name per line, or a
// CSV exported from a spreadsheet (comma, semicolon or tab separated) whose first column holds them. Blank
// lines and # comments are skipped, as is a header row ("address", "host name", "ip"…). Every line that is
// not a target is reported by its number; the caller stores and starts nothing unless all lines are good.
import { parse } from 'csv-parse/sync';
import { parseTarget, type Target } from './targets.ts';

export const MAX_UPLOAD_LINES = 10_000;
/** At most this many line errors are listed (with the total), so a binary file cannot make a huge answer. */
const MAX_ERRORS = 100;
const HEADER = /^(ip|ip ?address|ipv4|address|host|host ?name|hostname|name|target|printer|device)$/i;

export interface LineError { line: number; message: string }

export function parseUpload(text: string): { ok: true; targets: Array<Target & { line: number }> } | { ok: false; errors: LineError[]; total: number } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, comment: '#', comment_no_infix: true, delimiter: [',', ';', '\t'], info: true, trim: true, bom: true,
      // Stop one record past the limit: a 2 MiB upload of one-character lines was a million parsed records
      // (+550 MB of memory and seconds of a blocked event loop) before the count was looked at.
      relax_quotes: false, max_record_size: 4096, to: MAX_UPLOAD_LINES + 1 }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message?: string; code?: string };
    return { ok: false, total: 1, errors: [{ line: e.lines ?? 1, message: `is not readable as text or CSV (${String(e.message ?? e.code).replace(/ at line \d+.*$/, '')})` }] };
  }
  if (records.length > MAX_UPLOAD_LINES) return { ok: false, total: 1, errors: [{ line: records[MAX_UPLOAD_LINES].info.lines, message: `the file has more than ${MAX_UPLOAD_LINES} lines` }] };
  const targets: Array<Target & { line: number }> = [];
  const errors: LineError[] = [];
  records.forEach(({ record, info }, i) => {
    const cell = record[0] ?? '';
    if (i === 0 && HEADER.test(cell)) return;
    const r = parseTarget(cell);
    if (r.ok) targets.push({ ...r.target, line: info.lines });
    else errors.push({ line: info.lines, message: `${JSON.stringify(printable(cell))} ${r.message}` });
  });
  if (errors.length) return { ok: false, errors: errors.slice(0, MAX_ERRORS), total: errors.length };
  if (!targets.length) return { ok: false, total: 1, errors: [{ line: 1, message: 'the file names no address or host name' }] };
  return { ok: true, targets };
}

/** What to echo of a hostile line: 60 characters, control characters shown as "." */
function printable(s: string): string {
  const p = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '.');
  return p.length > 60 ? `${p.slice(0, 60)}…` : p;
}
