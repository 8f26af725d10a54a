// Compliance trend for the dashboard (issue 16 §6): one stacked bar per day from the stored hourly records,
// so it shows the last 30 days whatever happened to the process in between.
import { Card, useRoute } from '../ui.tsx';
import { BarChart } from '../chart.tsx';

const GROUPS: [string, string[], string][] = [
  ['compliant', ['compliant', 'remediated'], 'seg-ok'],
  ['non-compliant', ['non-compliant', 'unsupported'], 'seg-warn'],
  ['unreachable', ['unreachable', 'auth-failed'], 'seg-bad'],
  ['not assessed', ['not-assessed'], 'seg-muted'],
];

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

export function ComplianceTrend() {
  const q = useRoute('GET /api/v1/stats/history', { query: { step: 'day' } });
  const points = q.data?.points ?? [];
  const last = [...points].reverse().find((p) => p.compliance);
  const pct = last?.compliance && last.devices ? Math.round((100 * ((last.compliance.compliant ?? 0) + (last.compliance.remediated ?? 0))) / last.devices) : null;
  return (
    <Card title="Compliance (30 days)">
      {!q.data ? <p class="muted">…</p> : (
        <BarChart testid="compliance-trend" name="devices by compliance per day, last 30 days"
          bars={points.map((p) => ({ key: p.start, label: day(p.start), segments: p.compliance ? GROUPS.map(([name, statuses, cls]) => ({ name, cls, value: statuses.reduce((a, s) => a + (p.compliance![s] ?? 0), 0) })) : [] }))}
          axis={points.flatMap((p, i) => (i % 7 === 0 ? [{ at: i, text: day(p.start) }] : []))}
          legend={<p class="legend">{GROUPS.map(([name, , cls]) => <span key={name}><i class={`swatch ${cls}`} /> {name}</span>)}</p>} />
      )}
      <p class="muted">{pct === null ? 'No compliance recorded yet.' : `${pct}% compliant or remediated at the last record`} · <a href="#/reports">Reports</a></p>
    </Card>
  );
}
