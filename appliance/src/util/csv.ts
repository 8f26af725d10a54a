// RFC 4180 cells and lines for the CSV exports. A cell a spreadsheet would run as a formula (= + - @, tab,
// CR at the start) is neutralised with a leading apostrophe (the OWASP advice for CSV injection).
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
