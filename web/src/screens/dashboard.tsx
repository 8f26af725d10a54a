// At a glance: devices, compliance, announcements in the last 24 h, active tasks, alerts. Every number comes
// from the server's counts (not from a page of rows), and is asked again as events arrive.
import { useEffect } from 'preact/hooks';
import type { Answer } from '../api.ts';
import { useBox } from '../store.ts';
import { alertTick, deviceTick, onEvents, reconnects } from '../live.ts';
import { isCompliant } from '../device.ts';
import { Card, Page, Progress, useRoute, When } from '../ui.tsx';
import { BarChart } from '../chart.tsx';
import { ComplianceTrend } from './trend.tsx';
import { FirstRun } from './first-run.tsx';

type Hour = Answer<'GET /api/v1/stats/announcements'>['hours'][number];
const hourOf = (h: Hour) => new Date(typeof h.start === 'number' ? h.start : Date.parse(h.start));

function Announcements(p: { hours: Hour[] }) {
  const label = (h: Hour) => hourOf(h).toLocaleTimeString(undefined, { hour: 'numeric' });
  return <BarChart name="announcements per hour, last 24 hours" testid="announcements-chart"
    bars={p.hours.map((h) => ({ key: String(h.start), label: label(h), segments: [{ name: 'announcements', value: h.count, cls: 'bar' }] }))}
    axis={p.hours.flatMap((h, i) => (i % 6 === 0 ? [{ at: i, text: label(h) }] : []))} />;
}

export type AlertKindLine = Answer<'GET /api/v1/alerts/summary'>['kinds'][number];

/** One line per kind of alert with its count (the server groups them): fifty printers failing is one line. */
export function AlertLines(p: { kinds: AlertKindLine[]; failedLogins?: number }) {
  const lines: { key: string; level: string; href: string; text: string }[] = p.kinds.map((k) => ({ key: k.kind, level: k.severity === 'warning' ? 'warn' : 'bad', href: `#/alerts/${k.kind}`,
    text: `${k.title}: ${k.open + k.suppressed}${k.open === 1 ? ` (${k.keys[0]})` : k.keys.length ? ` (${k.keys.slice(0, 3).join(', ')}${k.open > 3 ? ', …' : ''})` : ''}` }));
  if (p.failedLogins) lines.push({ key: 'logins', level: p.failedLogins > 5 ? 'bad' : 'warn', href: '#/audit', text: `${p.failedLogins} failed sign-in attempt(s) in the last 24 h` });
  if (!lines.length) return <p class="muted">Nothing needs attention.</p>;
  return <ul class="alerts" data-testid="alert-lines">{lines.map((a) => <li key={a.key} class={a.level} data-kind={a.key}><a href={a.href}>{a.text}</a></li>)}</ul>;
}

/** Asks again at most once per `ms` while events keep coming. */
function useReloadOn(reload: () => unknown, subscribe: (fn: () => void) => () => void, ms: number) {
  useEffect(() => {
    let timer: number | undefined;
    const off = subscribe(() => { timer ??= window.setTimeout(() => { timer = undefined; void reload(); }, ms); });
    return () => { off(); clearTimeout(timer); };
  }, [reload]);
}

export function Dashboard() {
  const devices = useRoute('GET /api/v1/devices', { query: { limit: 5, counts: '1', sort: 'lastSeen' } });
  const tasks = useRoute('GET /api/v1/tasks', { query: { state: 'active', level: 'top', limit: 6 } });
  const chart = useRoute('GET /api/v1/stats/announcements');
  const since = new Date(Date.now() - 86400_000).toISOString().slice(0, 13);
  const logins = useRoute('GET /api/v1/audit', { query: { action: 'login-failed', since, limit: 1 } });
  const alertSummary = useRoute('GET /api/v1/alerts/summary');
  const alertsChanged = useBox(alertTick);
  const again = useBox(reconnects);
  useEffect(() => { if (!alertsChanged) return; const t = setTimeout(() => void alertSummary.reload(), 500); return () => clearTimeout(t); }, [alertsChanged]);
  useEffect(() => { if (again > 1) { void devices.reload(); void tasks.reload(); } }, [again]);
  useReloadOn(devices.reload, (fn) => onEvents('device', fn), 2000);
  useReloadOn(tasks.reload, (fn) => onEvents('task', fn), 1000);
  // The chart follows announcements without a request per event, and every 30 s anyway (the hour moves on).
  const tick = useBox(deviceTick);
  useEffect(() => { if (!tick.n) return; const t = setTimeout(() => void chart.reload(), 1000); return () => clearTimeout(t); }, [tick.n]);
  useEffect(() => { const t = setInterval(() => void chart.reload(), 30_000); return () => clearInterval(t); }, [chart.reload]);

  const c = devices.data?.counts;
  const fleet = c?.fleet ?? 0;
  const byStatus = Object.entries(c?.compliance ?? {});
  const compliant = byStatus.filter(([s]) => isCompliant(s)).reduce((a, [, n]) => a + n, 0);
  const notAssessed = c?.compliance['not-assessed'] ?? 0;
  const attention = fleet - compliant - notAssessed;
  const pct = fleet ? Math.round((100 * compliant) / fleet) : 0;
  const st = tasks.data?.stats;
  const failedLogins = logins.data?.matched ?? 0;
  const alertKinds = alertSummary.data?.kinds ?? [];
  const alertCount = alertKinds.reduce((a, k) => a + k.open + k.suppressed, 0) + (failedLogins ? 1 : 0);
  const lastHour = chart.data?.hours.at(-1)?.count ?? 0;

  return (
    <Page title="Dashboard">
      <FirstRun />
      <div class="grid">
        <Card title="Devices"><div class="big" data-testid="device-count">{fleet.toLocaleString()}</div>
          <p class="muted">{(c?.foundBy.announcement ?? 0).toLocaleString()} announced (Instant-On) · {((c?.foundBy.discovery ?? 0) + (c?.foundBy.manual ?? 0)).toLocaleString()} found by discovery{c?.retired ? ` · ${c.retired} retired, not counted` : ''}</p></Card>
        <Card title="Compliant"><div class="big" data-testid="compliant-pct">{pct}%</div><Progress name="devices compliant" done={compliant} total={fleet} />
          <p class="muted">{(fleet - notAssessed).toLocaleString()} assessed · {attention.toLocaleString()} need attention</p></Card>
        <Card title="Announcements (24 h)">
          {chart.data ? <Announcements hours={chart.data.hours} /> : <p class="muted">…</p>}
          <p class="muted">{chart.data ? chart.data.hours.reduce((a, h) => a + h.count, 0).toLocaleString() : 0} in 24 h · {lastHour} this hour</p>
        </Card>
        <ComplianceTrend />
        <Card title="Tasks" testid="task-counts">
          {st && <p><strong data-testid="tasks-running">{st.byState.running}</strong> running · <strong data-testid="tasks-queued">{st.byState.queued}</strong> queued
            {st.devicesInFlight ? <> · {st.devicesInFlight} device{st.devicesInFlight === 1 ? '' : 's'} in progress</> : null}</p>}
          {!tasks.data ? <p class="muted">…</p> : tasks.data.tasks.length === 0 ? <p class="muted">None running.</p> : (
            <ul class="plain">{tasks.data.tasks.map((t) => (
              <li key={t.id}><span>{t.triggerLabel} <small class="muted">{t.state}</small></span><Progress name={`task ${t.triggerLabel}`} done={t.done} total={t.total} /></li>))}
              {tasks.data.matched > tasks.data.tasks.length && <li class="muted">and {tasks.data.matched - tasks.data.tasks.length} more — <a href="#/tasks">Tasks</a></li>}</ul>
          )}
        </Card>
      </div>
      <Card title={<span data-testid="alert-count">{`Alerts (${alertCount})`}</span>}>
        <AlertLines kinds={alertKinds} failedLogins={failedLogins} />
        <p class="muted"><a href="#/alerts">All alerts, e-mail and syslog</a></p>
      </Card>
      <Card title="Recently seen">
        <ul class="plain">{(devices.data?.devices ?? []).map((d) => (
          <li key={d.serialNumber}><a href={`#/devices/${encodeURIComponent(d.serialNumber)}`}>{d.serialNumber}</a> <span class="muted">{d.model}{d.lastReason ? ` · ${d.lastReason}` : ''} · <When at={d.lastSeen} /></span></li>))}
        </ul>
      </Card>
    </Page>
  );
}
