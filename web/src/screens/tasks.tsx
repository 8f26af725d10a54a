// Tasks: Instant-On and assessment tasks with live progress, cancel, start an assessment, schedules.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useBox } from '../store.ts';
import { tasks, tasksAvailable, loadTasks, type Task } from '../live.ts';
import { Badge, Card, Done, ErrorText, fmtTime, Loaded, NotAvailable, Page, Progress, timeAgo, useAction, useApi } from '../ui.tsx';

function TaskOutcomes(p: { id: string }) {
  const q = useApi<any>(`/api/v1/tasks/${encodeURIComponent(p.id)}`);
  return <Loaded q={q} what="task details">{(t) => {
    const rows = Object.entries(t.outcomes ?? {}) as [string, any][];
    return rows.length === 0 ? <p class="muted">No device finished yet.</p> : (
      <ul class="plain">{rows.slice(0, 200).map(([serial, o]) => <li key={serial}><a href={`#/devices/${serial}`}>{serial}</a> <Badge status={o.status} /> <small class="muted">{o.detail ?? ''} {timeAgo(o.at)}</small></li>)}</ul>
    );
  }}</Loaded>;
}

function StartAssessment(p: { policies: { id: string; name: string }[] }) {
  const [policyId, setPolicyId] = useState('');
  const [remediate, setRemediate] = useState(false);
  const a = useAction();
  const chosen = policyId || p.policies[0]?.id || '';
  return (
    <form class="row" onSubmit={(e) => { e.preventDefault(); void a.run(async () => { const r = await api('POST', '/api/v1/tasks', { policyId: chosen, remediate }); return `Started task ${r.id}.`; }); }}>
      <select aria-label="Policy" value={chosen} onChange={(e) => setPolicyId(e.currentTarget.value)}>{p.policies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select>
      <label class="inline"><input type="checkbox" checked={remediate} onChange={(e) => setRemediate(e.currentTarget.checked)} /> remediate</label>
      <button type="submit" class="primary" disabled={a.busy || !chosen}>Assess all devices</button>
      <ErrorText error={a.error} /><Done text={a.done} />
    </form>
  );
}

function Schedules(p: { policies: { id: string; name: string }[] }) {
  const q = useApi<any>('/api/v1/schedules');
  const [form, setForm] = useState({ name: '', kind: 'daily', every: '1:0:0:0', startAt: '', policyId: '', remediate: false });
  const a = useAction();
  if (q.missing) return <NotAvailable what="scheduled assessments" />;
  const list: any[] = q.data?.schedules ?? [];
  return (
    <>
      <Loaded q={q} what="schedules">{() => list.length === 0 ? <p class="muted">No schedule.</p> : (
        <ul class="plain">{list.map((s) => (
          <li key={s.id}><strong>{s.name}</strong> {s.kind}{s.every ? ` ${s.every}` : ''} · next {fmtTime(s.nextRunAt ?? undefined)} · {s.runs} run(s) {s.cancelled ? <Badge status="cancelled" /> : (
            <button type="button" class="small" onClick={() => void a.run(async () => { await api('DELETE', `/api/v1/schedules/${s.id}`); await q.reload(); })}>Cancel</button>)}</li>))}</ul>
      )}</Loaded>
      <form class="fields" onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
        await api('POST', '/api/v1/tasks', { name: form.name, policyId: form.policyId || p.policies[0]?.id, remediate: form.remediate,
          schedule: { kind: form.kind, ...(form.kind === 'every' ? { every: form.every } : {}), ...(form.startAt ? { startAt: new Date(form.startAt).toISOString() } : {}) } });
        await q.reload(); return 'Scheduled.';
      }); }}>
        <label>Name<input value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} required /></label>
        <label>Repeat<select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value })}>{['once', 'daily', 'weekly', 'monthly', 'every'].map((k) => <option key={k}>{k}</option>)}</select></label>
        {form.kind === 'every' && <label>Every (d:h:m:s)<input value={form.every} pattern="\d{1,4}:\d{1,2}:\d{1,2}:\d{1,2}" onInput={(e) => setForm({ ...form, every: e.currentTarget.value })} /></label>}
        <label>First run<input type="datetime-local" value={form.startAt} onInput={(e) => setForm({ ...form, startAt: e.currentTarget.value })} /></label>
        <label>Policy<select value={form.policyId || p.policies[0]?.id} onChange={(e) => setForm({ ...form, policyId: e.currentTarget.value })}>{p.policies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select></label>
        <label class="inline"><input type="checkbox" checked={form.remediate} onChange={(e) => setForm({ ...form, remediate: e.currentTarget.checked })} /> remediate</label>
        <button type="submit" disabled={a.busy}>Add schedule</button>
      </form>
      <ErrorText error={a.error} /><Done text={a.done} />
    </>
  );
}

export function Tasks() {
  const map = useBox(tasks);
  const available = useBox(tasksAvailable);
  const policies = useApi<{ policies: { id: string; name: string }[] }>('/api/v1/policies');
  const [type, setType] = useState('');
  const [state, setState] = useState('active');
  const [open, setOpen] = useState('');
  const a = useAction();
  if (available === false) return <Page title="Tasks"><NotAvailable what="the task engine" /></Page>;
  const list = [...map.values()]
    .filter((t: Task) => !type || t.type === type)
    .filter((t: Task) => !state || (state === 'active' ? t.state === 'queued' || t.state === 'running' : t.state === state))
    .sort((x, y) => String(y.createdAt).localeCompare(String(x.createdAt)));
  const pols = policies.data?.policies ?? [];
  return (
    <Page title="Tasks" actions={<button type="button" onClick={() => void loadTasks()}>Refresh</button>}>
      <div class="filters">
        <select aria-label="Type" value={type} onChange={(e) => setType(e.currentTarget.value)}><option value="">All types</option><option value="instant-on">Instant-On</option><option value="assessment">Assessment</option><option value="assessment-child">Assessment part</option><option value="discovery">Discovery</option></select>
        <select aria-label="State" value={state} onChange={(e) => setState(e.currentTarget.value)}><option value="active">Active</option><option value="">All states</option>{['queued', 'running', 'done', 'failed', 'cancelled'].map((s) => <option key={s}>{s}</option>)}</select>
      </div>
      <ErrorText error={a.error} />
      {list.length === 0 ? <p class="muted">No task matches.</p> : (
        <div class="table-wrap"><table data-testid="tasks-table">
          <thead><tr><th>Task</th><th>State</th><th>Progress</th><th class="wide">Created</th><th /></tr></thead>
          <tbody>{list.slice(0, 300).map((t) => (<>
            <tr key={t.id} onClick={() => setOpen(open === t.id ? '' : t.id)}>
              <td>{t.type} <small class="muted">{t.trigger} · {String(t.id).slice(0, 8)}{t.serials?.length === 1 ? ` · ${t.serials[0]}` : ''}</small>{t.runAgain && <span class="badge info">again</span>}</td>
              <td><Badge status={t.state} title={t.error} /></td>
              <td><Progress done={t.done ?? 0} total={t.total ?? 0} /></td>
              <td class="wide">{timeAgo(t.createdAt)}</td>
              <td>{(t.state === 'queued' || t.state === 'running') && <button type="button" class="small" onClick={(e) => { e.stopPropagation(); void a.run(async () => { await api('DELETE', `/api/v1/tasks/${t.id}`); }); }}>Cancel</button>}</td>
            </tr>
            {open === t.id && <tr key={`${t.id}-o`}><td colSpan={5}><TaskOutcomes id={t.id} /></td></tr>}
          </>))}</tbody>
        </table></div>
      )}
      <Card title="Start an assessment">{policies.missing ? <NotAvailable what="policies" /> : pols.length ? <StartAssessment policies={pols} /> : <p class="muted">Create a policy first.</p>}</Card>
      <Card title="Scheduled assessments"><Schedules policies={pols} /></Card>
    </Page>
  );
}
