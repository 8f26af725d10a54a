// Reports (issue 16 §1): compliance per policy (and per group when groups exist) over a period, shown here
// and downloaded as a PDF for an auditor or as CSV for a spreadsheet.
import { useState } from 'preact/hooks';
import { call, csrf, type Answer } from '../api.ts';
import { Badge, Card, ErrorText, Page, fmtTime, fmtValue, useAction, useRoute } from '../ui.tsx';

type Report = Answer<'GET /api/v1/reports/compliance'>;

const CATS = ['compliant', 'remediated', 'non-compliant', 'unreachable', 'not-assessed'] as const;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86400_000).toISOString().slice(0, 10);

export function Reports() {
  const policies = useRoute('GET /api/v1/policies');
  const groups = useRoute('GET /api/v1/groups');
  const [form, setForm] = useState({ from: daysAgo(30), to: today(), policyId: '', groupId: '' });
  const [report, setReport] = useState<Report>();
  const a = useAction();
  const qs = (extra: Record<string, string> = {}) => new URLSearchParams(Object.entries({ ...form, ...extra }).filter(([, v]) => v)).toString();
  const link = (ext: string, extra: Record<string, string> = {}) => `/api/v1/reports/compliance.${ext}?${qs({ ...extra, csrf: csrf() })}`;
  const show = (e?: Event) => { e?.preventDefault(); void a.run(async () => { setReport(await call('GET /api/v1/reports/compliance', { query: Object.fromEntries(Object.entries(form).filter(([, v]) => v)) })); }); };
  return (
    <Page title="Reports">
      <Card title="Compliance report">
        <form class="fields" onSubmit={show}>
          <label>From<input type="date" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} /></label>
          <label>To<input type="date" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} /></label>
          <label>Policy<select value={form.policyId} onChange={(e) => setForm({ ...form, policyId: e.currentTarget.value })}>
            <option value="">All policies</option>{(policies.data?.policies ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}</select></label>
          {groups.data && <label>Group<select value={form.groupId} onChange={(e) => setForm({ ...form, groupId: e.currentTarget.value })}>
            <option value="">All devices</option>{groups.data.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}</select></label>}
          <div class="row">
            <button type="submit" class="primary" disabled={a.busy}>Show</button>
            <a class="button" href={link('pdf')} download data-testid="report-pdf">Download PDF</a>
            <a class="button" href={link('csv')} download data-testid="report-csv">CSV: devices</a>
            <a class="button" href={link('csv', { rows: 'changes' })} download data-testid="report-csv-changes">CSV: changes</a>
          </div>
        </form>
        <ErrorText error={a.error} />
      </Card>
      {report && (
        <div data-testid="report">
          <p class="muted">{fmtTime(report.period.from)} – {fmtTime(report.period.to)}</p>
          <div class="table-wrap"><table>
            <thead><tr><th>Policy</th>{CATS.map((c) => <th key={c}>{c}</th>)}</tr></thead>
            <tbody>{report.policies.map((p) => <tr key={p.policyId}><td>{p.policyName}</td>{CATS.map((c) => <td key={c}>{p.counts[c]}</td>)}</tr>)}
              <tr><td><strong>All</strong></td>{CATS.map((c) => <td key={c}><strong>{report.totals[c]}</strong></td>)}</tr></tbody>
          </table></div>
          {report.policies.map((p) => (
            <Card key={p.policyId} title={`${p.policyName} (${p.devices.length})`}>
              <div class="table-wrap"><table>
                <thead><tr><th>Serial</th><th class="wide">Model</th><th>Result</th><th class="wide">Last assessed</th><th>Changed</th><th class="wide">Not compliant</th></tr></thead>
                <tbody>{p.devices.slice(0, 500).map((d) => (
                  <tr key={d.serial}><td><a href={`#/devices/${d.serial}`}>{d.serial}</a>{d.retired && <span class="badge muted">retired</span>}</td><td class="wide">{d.model}</td>
                    <td><Badge status={d.category} /></td><td class="wide">{fmtTime(d.lastAssessedAt)}</td><td>{d.settingsChanged}</td><td class="wide">{d.nonCompliant.join(', ')}</td></tr>))}</tbody>
              </table></div>
            </Card>
          ))}
          <Card title={`What was changed (${report.changesTotal})`}>
            {report.changes.length === 0 ? <p class="muted">No setting was changed in this period.</p> : (
              <div class="table-wrap"><table data-testid="report-changes">
                <thead><tr><th>When</th><th>Serial</th><th class="wide">Policy</th><th>Setting</th><th>Before</th><th>After</th></tr></thead>
                <tbody>{report.changes.slice(0, 500).map((c, i) => (
                  <tr key={i}><td>{fmtTime(c.at)}</td><td>{c.serial}</td><td class="wide">{c.policyName}</td><td>{c.setting}</td><td>{fmtValue(c.from)}</td><td>{fmtValue(c.to)}</td></tr>))}</tbody>
              </table></div>
            )}
          </Card>
        </div>
      )}
    </Page>
  );
}
