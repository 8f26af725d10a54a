// The single binary is an esbuild bundle: the compliance report's PDF must render from it with no
// node_modules around (pdfkit loads its fonts through its own package imports; bundle.ts rewrites them).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleCli } from '../../../scripts/binary/bundle.ts';

const repo = resolve(import.meta.dirname, '../../..');

test('a bundled compliance PDF renders without node_modules', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-pdf-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `import { renderCompliancePdf } from ${JSON.stringify(join(repo, 'appliance/src/reports/pdf.ts'))};
const zero = { compliant: 0, remediated: 1, 'non-compliant': 0, unreachable: 0, 'not-assessed': 0 };
renderCompliancePdf({ period: { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' }, generatedAt: '2026-03-01T00:00:00.000Z',
  scope: { policyId: null, groupId: null, groupName: null }, totals: zero, policies: [{ policyId: 'p', policyName: 'Baseline', counts: zero,
  devices: [{ serial: 'CNBUNDLE01', model: 'M507', hostname: '', ip: '', retired: false, category: 'remediated', status: 'remediated', lastAssessedAt: '2026-02-02T00:00:00.000Z', settingsChanged: 1, nonCompliant: [] }] }],
  changes: [{ at: '2026-02-02T00:00:00.000Z', serial: 'CNBUNDLE01', policyId: 'p', policyName: 'Baseline', setting: 'telnet', from: true, to: false }], changesTotal: 1, changesTruncated: false },
  { appliance: 'bundle', version: 'test' }).then((b) => process.stdout.write(b));
`);
  const out = join(dir, 'out', 'entry.cjs');
  await bundleCli(repo, entry, out, 'test');
  const pdf = execFileSync(process.execPath, [out], { cwd: join(dir, 'out'), maxBuffer: 8 << 20 });
  t.is(pdf.subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();
  t.true(text.includes('CNBUNDLE01'));
  t.true(text.includes('telnet'));
});
