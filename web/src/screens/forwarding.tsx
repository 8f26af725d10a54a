// Forwarding (issue 8): secondary listeners that receive every announcement, with per-listener status
// (last success, backlog, and the last error with its message), and the outbox as a whole (caps, drops).
// A listener that keeps failing is an alert (forward-listener-failing): the screen links to it.
import { useEffect, useState } from 'preact/hooks';
import { call, fieldErrors, type Answer } from '../api.ts';
import { Badge, Card, Done, ErrorText, fmtTime, Loaded, Page, useAction, useRoute, When } from '../ui.tsx';

type Listener = Answer<'GET /api/v1/listeners'>['listeners'][number];
const STATE: Record<Listener['status']['state'], string> = { idle: 'ok', sending: 'running', 'backing-off': 'failed', stopped: 'cancelled' };
const STATE_WORDS: Record<Listener['status']['state'], string> = { idle: 'up to date', sending: 'sending', 'backing-off': 'failing, retrying', stopped: 'stopped' };

function LastError(p: { l: Listener }) {
  const e = p.l.status.lastError;
  if (!e) return <span class="muted">none</span>;
  return (
    <div class="relay-error" data-testid="last-error">
      <strong>{e.message}</strong> <small class="muted">({e.code}, <time dateTime={e.at}>{fmtTime(e.at)}</time>{p.l.status.consecutiveFailures ? `, ${p.l.status.consecutiveFailures} failure(s) in a row` : ''})</small>
      {p.l.status.nextAttemptAt && <div class="muted">next try {fmtTime(p.l.status.nextAttemptAt)}</div>}
    </div>
  );
}

export function Forwarding() {
  const list = useRoute('GET /api/v1/listeners');
  const stats = useRoute('GET /api/v1/forwarding');
  const alerts = useRoute('GET /api/v1/alerts', { query: { kind: 'forward-listener-failing', limit: 20 } });
  const [form, setForm] = useState({ host: '', port: '3329', validateIdentityCertificate: true, name: '' });
  const a = useAction();
  const errs = fieldErrors(a.error);
  // Status changes without events (a link comes back): poll while the screen is open.
  useEffect(() => { const t = setInterval(() => { void list.reload(); void stats.reload(); void alerts.reload(); }, 5000); return () => clearInterval(t); }, [list.reload, stats.reload, alerts.reload]);
  const put = (id: string, patch: { enabled: boolean }) => a.run(async () => { await call('PUT /api/v1/listeners/:id', { params: { id }, body: patch }); await list.reload(); });
  const failing = alerts.data?.alerts ?? [];

  return (
    <Page title="Forwarding">
      <Loaded q={stats} what="the outbox">{(st) => (
        <div class="grid">
          <Card title="Outbox"><div class="big">{st.backlog}</div><p class="muted">announcements waiting · {Math.round(st.backlogBytes / 1024)} KB</p></Card>
          <Card title="Dropped"><div class="big">{Object.values(st.dropped).reduce((x, y) => x + y, 0)}</div><p class="muted">{Object.entries(st.dropped).map(([k, v]) => `${k}: ${v}`).join(' · ') || 'none'}</p></Card>
          <Card title="Duplicates ignored"><div class="big">{st.duplicatesIgnored}</div><p class="muted">relayed twice, recorded once</p></Card>
        </div>
      )}</Loaded>
      {(stats.data?.alerts.length ?? 0) > 0 && <ul class="alerts">{stats.data!.alerts.map((x) => <li key={`${x.code}-${x.at}`} class="bad">{x.message} <small>({fmtTime(x.at)})</small></li>)}</ul>}
      {failing.length > 0 && <div class="notice error" role="alert" data-testid="forward-alert">Alert raised: {failing.map((x) => x.message).join('; ')} — <a href="#/alerts/forward-listener-failing">Alerts</a></div>}
      <ErrorText error={a.error} />
      <Loaded q={list} what="secondary listeners">{(d) => d.listeners.length === 0 ? <p class="muted">No secondary listener: announcements stay on this appliance.</p> : (
        <div class="table-wrap"><table data-testid="listeners-table">
          <thead><tr><th scope="col">Listener</th><th scope="col">State</th><th scope="col">Backlog</th><th scope="col" class="wide">Last success</th><th scope="col">Last error</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>{d.listeners.map((l) => (
            <tr key={l.id} data-listener={l.id}>
              <td>{l.name || `${l.host}:${l.port}`} <small class="muted">{l.name ? `${l.host}:${l.port} · ` : ''}{l.validateIdentityCertificate ? 'identity checked' : 'identity not checked'}</small></td>
              <td><Badge status={l.enabled ? STATE[l.status.state] : 'cancelled'} label={l.enabled ? STATE_WORDS[l.status.state] : 'paused'} /></td>
              <td>{l.status.backlog}</td>
              <td class="wide"><When at={l.status.lastSuccessAt} /> <small class="muted">{l.status.delivered} delivered</small></td>
              <td><LastError l={l} /></td>
              <td class="row">
                <button type="button" class="small" onClick={() => void put(l.id, { enabled: !l.enabled })}>{l.enabled ? 'Pause' : 'Resume'}</button>
                <button type="button" class="small danger" onClick={() => { if (confirm(`Remove ${l.host}? Its backlog is dropped.`)) void a.run(async () => { await call('DELETE /api/v1/listeners/:id', { params: { id: l.id } }); await list.reload(); }); }}>Remove</button>
              </td>
            </tr>))}</tbody>
        </table></div>
      )}</Loaded>
      <Card title="Add a secondary listener">
        <form class="fields" onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
          await call('POST /api/v1/listeners', { body: { host: form.host, port: Number(form.port), validateIdentityCertificate: form.validateIdentityCertificate, ...(form.name ? { name: form.name } : {}) } });
          setForm({ ...form, host: '', name: '' }); await list.reload(); return 'Added: every new announcement is relayed to it.';
        }); }}>
          <label>Host or IP<input value={form.host} onInput={(e) => setForm({ ...form, host: e.currentTarget.value })} required />{errs.host && <span class="field-error">{errs.host}</span>}</label>
          <label>Port<input type="number" min={1} max={65535} value={form.port} onInput={(e) => setForm({ ...form, port: e.currentTarget.value })} />{errs.port && <span class="field-error">{errs.port}</span>}</label>
          <label>Name (optional)<input value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></label>
          <label class="inline"><input type="checkbox" checked={form.validateIdentityCertificate} onChange={(e) => setForm({ ...form, validateIdentityCertificate: e.currentTarget.checked })} /> Validate its certificate (trusted CAs, host name)</label>
          <button type="submit" class="primary" disabled={a.busy}>Add listener</button>
        </form>
        <Done text={a.done} />
      </Card>
    </Page>
  );
}
