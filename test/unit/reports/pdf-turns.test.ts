// The PDF of a large report is drawn and finished over many turns of the event loop, and still reads back
// whole: every device row and a "page i of N" footer on every page (pdftotext, pdfinfo).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { renderCompliancePdf } from '../../../appliance/src/reports/pdf.ts';
import type { ComplianceReport } from '../../../appliance/src/reports/compliance-report.ts';

const cats = ['compliant', 'remediated', 'non-compliant', 'unreachable', 'not-assessed'] as const;

function bigReport(n: number): ComplianceReport {
  const devices = Array.from({ length: n }, (_, i) => ({ serial: `CN${String(i).padStart(8, '0')}`, model: 'HP LaserJet Enterprise M611dn', hostname: `npi${i}`,
    ip: `10.1.${i >> 8}.${i & 255}`, retired: false, category: cats[i % 5], status: cats[i % 5], lastAssessedAt: '2026-11-20T10:00:00.000Z', settingsChanged: i % 9,
    nonCompliant: i % 5 === 2 ? ['telnet'] : [] }));
  const counts = { compliant: 0, remediated: 0, 'non-compliant': 0, unreachable: 0, 'not-assessed': 0 };
  for (const d of devices) counts[d.category]++;
  return { period: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }, generatedAt: '2026-11-30T00:00:00.000Z',
    scope: { policyId: null, groupId: null, groupName: null }, totals: counts, policies: [{ policyId: 'p', policyName: 'Branch baseline', counts, devices }],
    changes: Array.from({ length: 500 }, (_, i) => ({ at: '2026-11-20T10:00:00.000Z', serial: devices[i].serial, policyId: 'p', policyName: 'Branch baseline', setting: 'telnet', from: true, to: false })),
    changesTotal: 500, changesTruncated: false } as unknown as ComplianceReport;
}

test('3,000 device rows: the loop turns while the PDF is drawn and finished; every row and every footer reads back', async (t) => {
  let turns = 0;
  let spinning = true;
  const spin = () => { turns++; if (spinning) setImmediate(spin); };
  setImmediate(spin);
  const pdf = await renderCompliancePdf(bigReport(3000), { appliance: 'branch-7', version: 'test' });
  spinning = false;
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: pdf }).toString())![1]);
  t.true(pages > 2 * 25, `${pages} pages: more than two hand-overs of finished pages`);
  t.true(turns >= 3000 / 100 + pages / 25, `the event loop turned ${turns} times during the drawing`);
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, maxBuffer: 64 << 20 }).toString('utf8');
  for (const serial of ['CN00000000', 'CN00001500', 'CN00002999']) t.true(text.includes(serial), serial);
  t.is(text.match(/CN\d{8}/g)!.filter((s, i, all) => all.indexOf(s) === i).length, 3000, 'every device row, once or more');
  for (const i of [1, Math.floor(pages / 2), pages]) t.true(text.includes(`page ${i} of ${pages}`), `footer of page ${i}`);
});
