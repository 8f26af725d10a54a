// Forwarding (issue 8): secondary listeners that receive every announcement, with per-listener status
// (last success, backlog, last error) and the outbox as a whole (caps, drops, alerts).
import { useEffect, useState } from 'preact/hooks';
import { api, fieldErrors } from '../api.ts';
import { Badge, Card, Done, ErrorText, Loaded, Page, timeAgo, useAction, useApi } from '../ui.tsx';

const STATE: Record<string, string> = { idle: 'ok', sending: 'running', 'backing-off': 'failed', stopped: 'cancelled' };

export function Forwarding() {
  const list = useApi<{ listeners: any[] }>('/api/v1/listeners');
  const stats = useApi<any>('/api/v1/forwarding');
  const [form, setForm] = useState({ host: '', port: '3329', validateIdentityCertificate: true, name: '' });
  const a = useAction();
  const errs = fieldErrors(a.error);
  // Status changes without events (a link comes back): poll while the screen is open.
  useEffect(() => { const t = setInterval(() => { void list.reload(); void stats.reload(); }, 5000); return () => clearInterval(t); }, [list.reload, stats.reload]);
  const put = (id: string, patch: object) => a.run(async () => { await api('PUT', `/api/v1/listeners/${id}`, patch); await list.reload(); });

  return (
    <Page title="Forwarding">
      <Loaded q={stats} what="forwarding">{(st) => (
        <div class="grid">
          <Card title="Outbox"><div class="big">{st.backlog}</div><p class="muted">announcements waiting · {Math.round((st.backlogBytes ?? 0) / 1024)} KB</p></Card>
          <Card title="Dropped"><div class="big">{Object.values(st.dropped ?? {}).reduce((x: number, y: any) => x + Number(y || 0), 0)}</div><p class="muted">{Object.entries(st.dropped ?? {}).map(([k, v]) => `${k}: ${v}`).join(' · ') || 'none'}</p></Card>
          <Card title="Duplicates ignored"><div class="big">{st.duplicatesIgnored ?? 0}</div><p class="muted">relayed twice, recorded once</p></Card>
        </div>
      )}</Loaded>
      {stats.data?.alerts?.length > 0 && <ul class="alerts">{stats.data.alerts.map((x: any, i: number) => <li key={i} class="bad">{typeof x === 'string' ? x : x.message ?? JSON.stringify(x)}</li>)}</ul>}
      <ErrorText error={a.error} />
      <Loaded q={list} what="secondary listeners">{(d) => d.listeners.length === 0 ? <p class="muted">No secondary listener: announcements stay on this appliance.</p> : (
        <div class="table-wrap"><table data-testid="listeners-table">
          <thead><tr><th>Listener</th><th>State</th><th>Backlog</th><th class="wide">Last success</th><th class="wide">Last error</th><th /></tr></thead>
          <tbody>{d.listeners.map((l) => (
            <tr key={l.id}>
              <td>{l.name || `${l.host}:${l.port}`} <small class="muted">{l.validateIdentityCertificate ? 'identity checked' : 'identity not checked'}</small></td>
              <td><Badge status={l.enabled ? STATE[l.status?.state] ?? l.status?.state : 'cancelled'} title={l.status?.state} /></td>
              <td>{l.status?.backlog ?? 0}</td>
              <td class="wide">{timeAgo(l.status?.lastSuccessAt ?? undefined)} <small class="muted">{l.status?.delivered ?? 0} delivered</small></td>
              <td class="wide">{l.status?.lastError ?? '—'}{l.status?.consecutiveFailures ? ` (${l.status.consecutiveFailures}×)` : ''}</td>
              <td class="row">
                <button type="button" class="small" onClick={() => void put(l.id, { enabled: !l.enabled })}>{l.enabled ? 'Pause' : 'Resume'}</button>
                <button type="button" class="small danger" onClick={() => { if (confirm(`Remove ${l.host}? Its backlog is dropped.`)) void a.run(async () => { await api('DELETE', `/api/v1/listeners/${l.id}`); await list.reload(); }); }}>Remove</button>
              </td>
            </tr>))}</tbody>
        </table></div>
      )}</Loaded>
      <Card title="Add a secondary listener">
        <form class="fields" onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
          await api('POST', '/api/v1/listeners', { host: form.host, port: Number(form.port), validateIdentityCertificate: form.validateIdentityCertificate, ...(form.name ? { name: form.name } : {}) });
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
