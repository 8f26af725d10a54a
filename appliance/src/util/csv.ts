// RFC 4180 cells and lines for the CSV exports (device list, compliance reports).
// A spreadsheet runs a cell as a formula when it starts with = + - @ (or their full-width forms, which
// some locales convert), also after leading spaces, tabs, line breaks or invisible characters that it skips;
// a cell starting with a tab or CR can also split or shift cells on import. Such cells get a leading '
// (OWASP's CSV injection advice), so they are shown as text. Printers name themselves: this is LAN input.
const FORMULA = /^[\s\u200b-\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
