// The compliance report as a PDF an auditor can read (pdfkit, standard Helvetica: nothing to download or
// embed). Summary first, then each policy's devices, then what was changed when. Long lists are capped with
// a line saying where the rest is (the CSV holds every row).
import { CATEGORIES, type Category, type ComplianceReport } from './compliance-report.ts';

export interface PdfMeta { appliance: string; version: string; settingTitle?: (id: string) => string | undefined }

const LABEL: Record<Category, string> = {
  compliant: 'Compliant', remediated: 'Remediated', 'non-compliant': 'Non-compliant', unreachable: 'Unreachable', 'not-assessed': 'Not assessed',
};
const MAX_DEVICE_ROWS = 5000;
const MAX_CHANGE_ROWS = 2000;
const ROW = 14;
/** Table rows drawn per turn of the event loop: pdfkit draws synchronously, and 7,000 rows were one 600 ms turn. */
const ROWS_PER_TURN = 100;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const PAGES_PER_TURN = 25;

/**
 * pdfkit compresses every buffered page when the document ends: ~100 ms in one turn for a 200-page report
 * here. The pages are handed over PAGES_PER_TURN at a time instead, through pdfkit's page buffer (0.20,
 * pinned; scripts/binary/bundle.ts leans on its internals too). Without that buffer the document simply
 * ends in one turn, as before.
 */
async function flushPagesInTurns(doc: PDFKit.PDFDocument): Promise<void> {
  const d = doc as unknown as { _pageBuffer?: unknown; flushPages(): void };
  if (!Array.isArray(d._pageBuffer)) return;
  const pages = d._pageBuffer;
  for (let i = 0; i < pages.length; i += PAGES_PER_TURN) {
    d._pageBuffer = pages.slice(i, i + PAGES_PER_TURN);
    d.flushPages();
    await nextTurn();
  }
}

type Col = { title: string; width: number };

function fmt(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (v === true) return 'on';
  if (v === false) return 'off';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const day = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';

export async function renderCompliancePdf(r: ComplianceReport, meta: PdfMeta): Promise<Buffer> {
  // Loaded on the first PDF, not at start: pdfkit with its fonts and font engine is ~10 MB of RSS the
  // appliance would otherwise carry for a report that may never be asked for.
  const { default: PDFDocument } = await import('pdfkit');
  // Landscape: the device and change tables need the width more than the page needs the height.
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 40, bufferPages: true, info: {
    Title: 'Printer compliance report', Author: meta.appliance, Subject: `${r.period.from} – ${r.period.to}`, Creator: `instant-on-edge ${meta.version}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom - ROW;

  const heading = (text: string, size = 13) => {
    if (doc.y > bottom() - 3 * ROW) doc.addPage();
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor('#000').text(text, left, doc.y, { width });
    doc.moveDown(0.3).font('Helvetica').fontSize(9);
  };

  /** A table with one line per row; the header row is repeated on each new page. */
  const table = async (cols: Col[], rows: string[][]) => {
    const scale = width / cols.reduce((a, c) => a + c.width, 0);
    const widths = cols.map((c) => c.width * scale);
    const line = (cells: string[], bold: boolean) => {
      if (doc.y > bottom()) { doc.addPage(); line(cols.map((c) => c.title), true); }
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5).fillColor('#000');
      let x = left;
      cells.forEach((cell, i) => { doc.text(cell, x + 2, y + 3, { width: widths[i] - 4, height: ROW, ellipsis: true, lineBreak: false }); x += widths[i]; });
      doc.moveTo(left, y + ROW).lineTo(left + width, y + ROW).lineWidth(bold ? 0.8 : 0.3).strokeColor(bold ? '#444' : '#bbb').stroke();
      doc.x = left;
      doc.y = y + ROW;
    };
    line(cols.map((c) => c.title), true);
    for (let i = 0; i < rows.length; i++) {
      line(rows[i], false);
      if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) await nextTurn();
    }
    doc.moveDown(0.5);
  };

  // Title block.
  doc.font('Helvetica-Bold').fontSize(18).text('Printer compliance report', left, doc.y, { width });
  doc.moveDown(0.3).font('Helvetica').fontSize(10);
  doc.text(`Period: ${day(r.period.from)} to ${day(r.period.to)}`);
  const scope = [r.scope.policyId ? `policy ${r.policies[0]?.policyName ?? r.scope.policyId}` : 'all policies', r.scope.groupName ? `group ${r.scope.groupName}` : 'all devices'];
  doc.text(`Scope: ${scope.join(', ')}`);
  doc.text(`Appliance: ${meta.appliance} (instant-on-edge ${meta.version}) · generated ${day(r.generatedAt)}`);
  doc.moveDown(0.5).fontSize(8.5).fillColor('#444').text(
    'Compliant: the last assessment in the period found every policy setting as required, with nothing to change. Remediated: found not compliant in the period, '
    + 'changed by this appliance and compliant afterwards. Non-compliant: not compliant at its last assessment in the period (a setting could not be changed or is '
    + 'not supported). Unreachable: the printer did not answer SNMP or refused the credentials. Not assessed: no assessment in the period; its last result is older.', { width });

  heading('Summary');
  const counts = (c: Record<Category, number>) => CATEGORIES.map((k) => String(c[k]));
  await table([{ title: 'Policy', width: 246 }, ...CATEGORIES.map((k) => ({ title: LABEL[k], width: 100 }))],
    [...r.policies.map((p) => [p.policyName, ...counts(p.counts)]), ['All policies', ...counts(r.totals)]]);
  if (!r.policies.length) doc.font('Helvetica').fontSize(10).fillColor('#000').text('No device was assessed up to the end of this period.', left, doc.y, { width });

  let deviceRows = 0;
  for (const p of r.policies) {
    heading(`${p.policyName}: ${p.devices.length} device(s)`);
    const rows = p.devices.slice(0, Math.max(0, MAX_DEVICE_ROWS - deviceRows)).map((d) => [
      d.serial, d.model || '—', [d.hostname, d.ip].filter(Boolean).join(' ') || '—', LABEL[d.category] + (d.retired ? ' (retired)' : ''),
      d.lastAssessedAt ? day(d.lastAssessedAt) : '—', String(d.settingsChanged), d.nonCompliant.join(', ') || (d.detail ?? ''),
    ]);
    deviceRows += rows.length;
    await table([{ title: 'Serial', width: 90 }, { title: 'Model', width: 170 }, { title: 'Host / IP', width: 120 }, { title: 'Result', width: 95 },
      { title: 'Last assessed', width: 95 }, { title: 'Changed', width: 45 }, { title: 'Not compliant / detail', width: 131 }], rows);
    if (rows.length < p.devices.length) doc.fontSize(9).text(`… and ${p.devices.length - rows.length} more device(s): see the CSV export.`, left, doc.y, { width });
  }

  heading(`Remediation summary: ${r.changesTotal} setting change(s)`);
  if (!r.changes.length) doc.fontSize(10).fillColor('#000').text('No setting was changed in this period.', left, doc.y, { width });
  else {
    const shown = r.changes.slice(0, MAX_CHANGE_ROWS);
    await table([{ title: 'When', width: 95 }, { title: 'Serial', width: 90 }, { title: 'Policy', width: 130 }, { title: 'Setting', width: 191 },
      { title: 'Before', width: 120 }, { title: 'After', width: 120 }],
    shown.map((c) => [day(c.at), c.serial, c.policyName, meta.settingTitle?.(c.setting) ? `${c.setting} (${meta.settingTitle(c.setting)})` : c.setting, fmt(c.from), fmt(c.to)]));
    const more = r.changesTotal - shown.length;
    if (more > 0) doc.fontSize(9).text(`… and ${more} more change(s): see the CSV export (rows=changes).`, left, doc.y, { width });
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) await nextTurn();
    doc.switchToPage(i);
    // Below the bottom margin pdfkit would start a new page for the footer: lift the margin while writing it.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#666')
      .text(`Compliance report ${r.period.from.slice(0, 10)} – ${r.period.to.slice(0, 10)} · page ${i + 1} of ${range.count}`, left, doc.page.height - margin + 14, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  await flushPagesInTurns(doc);
  doc.end();
  return done;
}
