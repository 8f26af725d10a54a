// Compliance trend for the dashboard (issue 16 §6): one stacked bar per day from the stored hourly records,
// so it shows the last 30 days whatever happened to the process in between.
import { Card, useApi } from '../ui.tsx';

interface Point { start: string; accepted: number; rejected: number; compliance: Record<string, number> | null; devices: number | null }

const GROUPS: [string, string[], string][] = [
  ['compliant', ['compliant', 'remediated'], 'seg-ok'],
  ['non-compliant', ['non-compliant', 'unsupported'], 'seg-warn'],
  ['unreachable', ['unreachable', 'auth-failed'], 'seg-bad'],
  ['not assessed', ['not-assessed'], 'seg-muted'],
];

export function ComplianceTrend() {
  const q = useApi<{ points: Point[] }>('/api/v1/stats/history?step=day');
  const points = q.data?.points ?? [];
  const max = Math.max(1, ...points.map((p) => p.devices ?? 0));
  const w = 10, gap = 3, height = 80;
  const last = [...points].reverse().find((p) => p.compliance);
  const pct = last?.compliance && last.devices ? Math.round((100 * ((last.compliance.compliant ?? 0) + (last.compliance.remediated ?? 0))) / last.devices) : null;
  return (
    <Card title="Compliance (30 days)">
      {q.missing ? <p class="muted">Stored history is not available on this appliance.</p> : !q.data ? <p class="muted">…</p> : (
        <svg class="chart" data-testid="compliance-trend" viewBox={`0 0 ${points.length * (w + gap)} ${height + 14}`} role="img" aria-label="devices by compliance per day, last 30 days">
          {points.map((p, i) => {
            let y = height;
            return (
              <g key={p.start}>
                {p.compliance ? GROUPS.map(([label, statuses, cls]) => {
                  const n = statuses.reduce((a, s) => a + (p.compliance![s] ?? 0), 0);
                  const bh = Math.round((n / max) * height);
                  y -= bh;
                  return n ? <rect key={label} x={i * (w + gap)} y={y} width={w} height={bh} class={cls}><title>{`${p.start.slice(0, 10)} — ${label}: ${n}`}</title></rect> : null;
                }) : <rect x={i * (w + gap)} y={height - 1} width={w} height={1} class="bar empty"><title>{`${p.start.slice(0, 10)} — no record`}</title></rect>}
                {i % 7 === 0 && <text x={i * (w + gap)} y={height + 12}>{p.start.slice(5, 10)}</text>}
              </g>
            );
          })}
        </svg>
      )}
      <p class="muted">{pct === null ? 'No compliance recorded yet.' : `${pct}% compliant or remediated at the last record`} · <a href="#/reports">Reports</a></p>
    </Card>
  );
}
