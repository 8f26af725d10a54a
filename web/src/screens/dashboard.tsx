// At a glance: devices, compliance, announcements in the last 24 h, active tasks, alerts.
import { useEffect } from 'preact/hooks';
import { useBox } from '../store.ts';
import { alertTick, devices, deviceTick, tasks, tasksAvailable } from '../live.ts';
import { complianceOf, isCompliant } from '../device.ts';
import { Card, Page, Progress, timeAgo, useApi } from '../ui.tsx';
import { ComplianceTrend } from './trend.tsx';

function Chart(p: { hours: { start: string; count: number }[] }) {
  const max = Math.max(1, ...p.hours.map((h) => h.count));
  const w = 12, gap = 3, height = 80;
  return (
    <svg class="chart" viewBox={`0 0 ${p.hours.length * (w + gap)} ${height + 14}`} role="img" aria-label="announcements per hour, last 24 hours">
      {p.hours.map((h, i) => {
        const bh = Math.round((h.count / max) * height);
        return (
          <g key={h.start}>
            <rect x={i * (w + gap)} y={height - bh} width={w} height={Math.max(bh, 1)} class={h.count ? 'bar' : 'bar empty'}><title>{`${new Date(h.start).getHours()}:00 — ${h.count}`}</title></rect>
            {i % 6 === 0 && <text x={i * (w + gap)} y={height + 12}>{`${new Date(h.start).getHours()}h`}</text>}
          </g>
        );
      })}
    </svg>
  );
}

export interface AlertKindLine { kind: string; title: string; severity: 'warning' | 'error' | 'critical'; open: number; suppressed: number; newest: string; keys: string[] }

/** One line per kind of alert with its count (the server groups them): fifty printers failing is one line. */
export function AlertLines(p: { kinds: AlertKindLine[]; failedLogins?: number }) {
  const lines = p.kinds.map((k) => ({ key: k.kind, level: k.severity === 'warning' ? 'warn' : 'bad', href: `#/alerts/${k.kind}`,
    text: `${k.title}: ${k.open + k.suppressed}${k.open === 1 ? ` (${k.keys[0]})` : k.keys.length ? ` (${k.keys.slice(0, 3).join(', ')}${k.open > 3 ? ', …' : ''})` : ''}` }));
  if (p.failedLogins) lines.push({ key: 'logins', level: p.failedLogins > 5 ? 'bad' : 'warn', href: '#/audit', text: `${p.failedLogins} failed sign-in attempt(s) in the last 24 h` });
  if (!lines.length) return <p class="muted">Nothing needs attention.</p>;
  return <ul class="alerts" data-testid="alert-lines">{lines.map((a) => <li key={a.key} class={a.level} data-kind={a.key}><a href={a.href}>{a.text}</a></li>)}</ul>;
}

export function Dashboard() {
  const all = [...useBox(devices).values()];
  const taskMap = useBox(tasks);
  const haveTasks = useBox(tasksAvailable);
  const chart = useApi<{ hours: { start: string; count: number }[] }>('/api/v1/stats/announcements');
  const since = new Date(Date.now() - 86400_000).toISOString().slice(0, 13);
  const audit = useApi<{ entries: any[] }>(`/api/v1/audit?action=login-failed&since=${since}&limit=1000`);
  // The chart follows announcements without a request per event: at most one refresh a second after
  // device events, and every 30 s anyway (the hour moves on).
  const alertSummary = useApi<{ open: number; kinds: AlertKindLine[] }>('/api/v1/alerts/summary');
  const alertsChanged = useBox(alertTick);
  useEffect(() => { if (!alertsChanged) return; const t = setTimeout(() => void alertSummary.reload(), 500); return () => clearTimeout(t); }, [alertsChanged]);
  const tick = useBox(deviceTick);
  useEffect(() => { if (!tick.n) return; const t = setTimeout(() => void chart.reload(), 1000); return () => clearTimeout(t); }, [tick.n]);
  useEffect(() => { const t = setInterval(() => void chart.reload(), 30_000); return () => clearInterval(t); }, [chart.reload]);

  const statuses = all.map(complianceOf);
  const compliant = statuses.filter(isCompliant).length;
  const assessed = statuses.filter((s) => s !== 'not assessed').length;
  const attention = statuses.filter((s) => s !== 'not assessed' && !isCompliant(s)).length;
  const pct = all.length ? Math.round((100 * compliant) / all.length) : 0;
  const io = all.filter((d) => d.foundBy?.announcement || (!d.foundBy && d.discoveredBy === 'instant-on')).length;
  const swept = all.filter((d) => d.foundBy?.discovery || d.foundBy?.manual).length;
  const active = [...taskMap.values()].filter((t) => t.state === 'queued' || t.state === 'running');
  const dayAgo = Date.now() - 86400_000;
  const failedLogins = (audit.data?.entries ?? []).filter((e) => Date.parse(e.at) > dayAgo).length;
  const alertKinds = alertSummary.data?.kinds ?? [];
  const alertCount = alertKinds.reduce((a, k) => a + k.open + k.suppressed, 0) + (failedLogins ? 1 : 0);
  const lastHour = chart.data?.hours.at(-1)?.count ?? 0;

  return (
    <Page title="Dashboard">
      <div class="grid">
        <Card title="Devices"><div class="big" data-testid="device-count">{all.length}</div><p class="muted">{io} announced (Instant-On) · {swept} found by discovery</p></Card>
        <Card title="Compliant"><div class="big" data-testid="compliant-pct">{pct}%</div><Progress done={compliant} total={all.length} /><p class="muted">{assessed} assessed · {attention} need attention</p></Card>
        <Card title="Announcements (24 h)">
          {chart.data ? <Chart hours={chart.data.hours} /> : <p class="muted">…</p>}
          <p class="muted">{chart.data ? chart.data.hours.reduce((a, h) => a + h.count, 0) : 0} in 24 h · {lastHour} this hour</p>
        </Card>
        <ComplianceTrend />
        <Card title="Active tasks">
          {haveTasks === false ? <p class="muted">Task engine not available yet.</p> : active.length === 0 ? <p class="muted">None running.</p> : (
            <ul class="plain">{active.slice(0, 6).map((t) => (
              <li key={t.id}><span>{t.type} · {t.trigger ?? ''} <small class="muted">{t.state}</small></span><Progress done={t.done ?? 0} total={t.total ?? 0} /></li>))}
              {active.length > 6 && <li class="muted">and {active.length - 6} more — <a href="#/tasks">Tasks</a></li>}</ul>
          )}
        </Card>
      </div>
      <Card title={<span data-testid="alert-count">{`Alerts (${alertCount})`}</span>}>
        <AlertLines kinds={alertKinds} failedLogins={failedLogins} />
        <p class="muted"><a href="#/alerts">All alerts, e-mail and syslog</a></p>
      </Card>
      <Card title="Recently seen">
        <ul class="plain">{all.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen)).slice(0, 5).map((d) => (
          <li key={d.serialNumber}><a href={`#/devices/${d.serialNumber}`}>{d.serialNumber}</a> <span class="muted">{d.model} · {d.lastReason} · {timeAgo(d.lastSeen)}</span></li>))}
        </ul>
      </Card>
    </Page>
  );
}
