// Discovery: find printers that never announce — by address or host name (typed, or a text/CSV file), by
// sweeping ranges now or on a schedule — with live progress, the last results and the printers found.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, type Answer } from '../api.ts';
import { useBox } from '../store.ts';
import { tasks, type Task } from '../live.ts';
import { Badge, Card, Done, ErrorText, fmtTime, Loaded, Page, Progress, timeAgo, useAction, useRoute } from '../ui.tsx';

type Policy = Answer<'GET /api/v1/policies'>['policies'][number];
type Job = Answer<'GET /api/v1/discovery'>['tasks'][number];
const active = (t: { state: string }) => t.state === 'queued' || t.state === 'running';
const splitTargets = (text: string) => text.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

/** Every line or field the API named, so a long list shows all that is wrong at once. */
function Problems(p: { error: unknown }) {
  if (!(p.error instanceof ApiError) || !Array.isArray(p.error.details) || p.error.details.length < 2) return <ErrorText error={p.error} />;
  return (
    <div class="notice error" role="alert" data-testid="discovery-errors">
      <strong>Nothing was started:</strong>
      <ul class="plain">{(p.error.details as { field?: string; message?: string }[]).slice(0, 50).map((d, i) => <li key={i}>{d.field && !String(d.message).startsWith('line ') ? `${d.field}: ` : ''}{d.message}</li>)}</ul>
    </div>
  );
}

function AssessChoice(p: { policies: Policy[]; value: { policyId: string; remediate: boolean }; onChange: (v: { policyId: string; remediate: boolean }) => void }) {
  return (
    <div class="row">
      <label class="inline">Assess new printers with
        <select aria-label="Policy for new printers" value={p.value.policyId} onChange={(e) => p.onChange({ ...p.value, policyId: e.currentTarget.value })}>
          <option value="">— do not assess —</option>{p.policies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select></label>
      <label class="inline"><input type="checkbox" checked={p.value.remediate} disabled={!p.value.policyId} onChange={(e) => p.onChange({ ...p.value, remediate: e.currentTarget.checked })} /> and remediate</label>
    </div>
  );
}

function StartForm(p: { policies: Policy[]; onStarted: (taskId: string) => void }) {
  const [text, setText] = useState('');
  const [port, setPort] = useState('161');
  const [after, setAfter] = useState({ policyId: '', remediate: false });
  const a = useAction();
  const assess = after.policyId ? { assess: after } : {};
  return (
    <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
      const r = await call('POST /api/v1/discovery', { body: { targets: splitTargets(text), snmpPort: Number(port), ...assess } });
      p.onStarted(r.taskId);
      return `Started: ${r.addresses} address${r.addresses === 1 ? '' : 'es'} to probe.`;
    }); }}>
      <label>Addresses, ranges, CIDRs or host names (one per line)
        <textarea data-testid="discovery-targets" rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)}
          placeholder={'10.0.0.0/24\n10.0.1.10-10.0.1.40\nprn-3.branch.lan'} required /></label>
      <div class="row">
        <label class="inline">SNMP port <input type="number" min={1} max={65535} value={port} onInput={(e) => setPort(e.currentTarget.value)} style={{ width: '6rem' }} /></label>
      </div>
      <AssessChoice policies={p.policies} value={after} onChange={setAfter} />
      <button type="submit" class="primary" data-testid="start-discovery" disabled={a.busy}>Start discovery</button>
      <Problems error={a.error} /><Done text={a.done} />
    </form>
  );
}

function UploadForm(p: { policies: Policy[]; onStarted: (taskId: string) => void }) {
  const [after, setAfter] = useState({ policyId: '', remediate: false });
  const [file, setFile] = useState<File | undefined>();
  const a = useAction();
  return (
    <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
      if (!file) throw new Error('choose a file first');
      if (file.size > 2 * 1024 * 1024) throw new Error('the file is larger than 2 MiB');
      const r = await call('POST /api/v1/discovery/upload', { query: after.policyId ? { policyId: after.policyId, remediate: String(after.remediate) } : {}, text: await file.text() });
      p.onStarted(r.taskId);
      return `Started: ${r.targets} line${r.targets === 1 ? '' : 's'}, ${r.addresses} address${r.addresses === 1 ? '' : 'es'}.`;
    }); }}>
      <p class="muted">A text file with one address or host name per line, or a CSV whose first column holds them (a header row and # comments are skipped). Every line must be valid: nothing starts until all are.</p>
      <input type="file" accept=".txt,.csv,text/plain,text/csv" aria-label="List of printers" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
      <AssessChoice policies={p.policies} value={after} onChange={setAfter} />
      <button type="submit" disabled={a.busy || !file}>Upload and discover</button>
      <Problems error={a.error} /><Done text={a.done} />
    </form>
  );
}

function Counts(p: { c: Record<string, number> | undefined }) {
  const c = p.c ?? {};
  const item = (k: string, label: string, cls = '') => <span key={k} class={`count ${cls}`} data-count={k}><strong>{c[k] ?? 0}</strong> {label}</span>;
  return <span class="counts">{item('found', 'found', 'ok')}{item('new', 'new')}{item('updated', 'updated')}{item('notPrinter', 'not a printer')}{item('noAnswer', 'no answer')}
    {(c.unidentified ?? 0) > 0 && item('unidentified', 'printer without serial', 'warn')}{(c.authFailed ?? 0) > 0 && item('authFailed', 'refused our credentials', 'warn')}</span>;
}

function JobItem(p: { t: Job; open: boolean; onToggle: () => void }) {
  const t = p.t;
  const a = useAction();
  return (
    <li class="job" data-testid="discovery-task" data-task-id={t.id} data-state={t.state}>
      <div class="row">
        <Badge status={t.state} title={t.error} />
        <span class="mono">{(t.targets ?? []).slice(0, 3).join(', ')}{(t.targetCount ?? 0) > 3 ? ` +${t.targetCount - 3}` : ''}</span>
        <small class="muted">{t.trigger?.startsWith('schedule:') ? 'scheduled' : t.trigger} · {timeAgo(t.createdAt)}</small>
        {active(t) && <button type="button" class="small" onClick={() => void a.run(async () => { await call('DELETE /api/v1/tasks/:id', { params: { id: t.id } }); })}>Cancel</button>}
        <button type="button" class="small" aria-expanded={p.open} onClick={p.onToggle}>{p.open ? 'Hide' : 'Details'}</button>
      </div>
      <Progress done={t.done ?? 0} total={t.total ?? 0} label={`${t.done ?? 0}/${t.total ?? 0} addresses`} />
      <Counts c={t.progress} />
      {t.error && <div class="notice error">{t.error}</div>}
      {t.result?.assessmentTaskId && <p class="muted">New printers handed to an assessment: <a href="#/tasks">task {String(t.result.assessmentTaskId).slice(0, 8)}</a></p>}
      {p.open && <JobDetail t={t} />}
      <ErrorText error={a.error} />
    </li>
  );
}

function JobDetail(p: { t: Job }) {
  const { t } = p;
  const found = t.found;
  return (
    <div class="job-detail">
      <h3>Printers found ({found.length})</h3>
      {found.length === 0 ? <p class="muted">None yet.</p> : (
        <ul class="plain" data-testid="found-printers">{found.map((f) => (
          <li key={f.serial}><a href={`#/devices/${encodeURIComponent(f.serial)}`}>{f.serial}</a> <Badge status={f.status} /> <small class="muted">{f.detail}</small></li>))}</ul>
      )}
      {(t.result?.notPrinters.length ?? 0) > 0 && <><h3>Answered SNMP, not a printer</h3>
        <ul class="plain">{t.result!.notPrinters.map((x) => <li key={x.address}><span class="mono">{x.address}</span> <small class="muted">{x.sysDescr}</small></li>)}</ul></>}
      {(t.result?.unidentified.length ?? 0) > 0 && <><h3>Printers that could not be identified</h3>
        <ul class="plain">{t.result!.unidentified.map((x) => <li key={x.address}><span class="mono">{x.address}</span> {x.model} <small class="muted">{x.detail}</small></li>)}</ul></>}
      {(t.result?.errors.length ?? 0) > 0 && <><h3>Problems</h3><ul class="plain">{t.result!.errors.map((x, i) => <li key={i}>{x.target}: {x.message}</li>)}</ul></>}
    </div>
  );
}

function Schedules(p: { policies: Policy[] }) {
  const q = useRoute('GET /api/v1/discovery/schedules');
  type Kind = Answer<'GET /api/v1/discovery/schedules'>['schedules'][number]['kind'];
  const [form, setForm] = useState<{ name: string; kind: Kind; every: string; startAt: string; targets: string }>({ name: '', kind: 'daily', every: '1:0:0:0', startAt: '', targets: '' });
  const [after, setAfter] = useState({ policyId: '', remediate: false });
  const a = useAction();
  return (
    <>
      <Loaded q={q} what="discovery schedules">{(d) => d.schedules.length === 0 ? <p class="muted">No scheduled sweep.</p> : (
        <ul class="plain" data-testid="discovery-schedules">{d.schedules.map((s) => (
          <li key={s.id}><strong>{s.name}</strong> {s.kind}{s.every ? ` ${s.every}` : ''} · <span class="mono">{(Array.isArray(s.action.targets) ? (s.action.targets as unknown[]).map(String) : []).slice(0, 3).join(', ')}</span> · next {fmtTime(s.nextRunAt ?? undefined)} · {s.runs} run(s)
            {s.lastError && <span class="badge bad" title={s.lastError}>last run failed</span>}
            {s.cancelled ? <Badge status="cancelled" /> : <button type="button" class="small" onClick={() => void a.run(async () => { await call('DELETE /api/v1/discovery/schedules/:id', { params: { id: s.id } }); await q.reload(); })}>Cancel</button>}</li>))}</ul>
      )}</Loaded>
      <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
        await call('POST /api/v1/discovery/schedules', { body: { name: form.name, kind: form.kind, ...(form.kind === 'every' ? { every: form.every } : {}),
          ...(form.startAt ? { startAt: new Date(form.startAt).toISOString() } : {}), targets: splitTargets(form.targets), ...(after.policyId ? { assess: after } : {}) } });
        await q.reload();
        return 'Scheduled.';
      }); }}>
        <div class="fields">
          <label>Name<input value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} required /></label>
          <label>Repeat<select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as Kind })}>{['once', 'daily', 'weekly', 'monthly', 'every'].map((k) => <option key={k}>{k}</option>)}</select></label>
          {form.kind === 'every' && <label>Every (d:h:m:s)<input value={form.every} onInput={(e) => setForm({ ...form, every: e.currentTarget.value })} /></label>}
          <label>First run<input type="datetime-local" value={form.startAt} onInput={(e) => setForm({ ...form, startAt: e.currentTarget.value })} /></label>
        </div>
        <label>Ranges to sweep<textarea rows={2} value={form.targets} onInput={(e) => setForm({ ...form, targets: e.currentTarget.value })} placeholder="10.0.0.0/24" required /></label>
        <AssessChoice policies={p.policies} value={after} onChange={setAfter} />
        <button type="submit" disabled={a.busy}>Add schedule</button>
      </form>
      <Problems error={a.error} /><Done text={a.done} />
    </>
  );
}

export function Discovery() {
  const q = useRoute('GET /api/v1/discovery', { query: { limit: 10 } });
  const policies = useRoute('GET /api/v1/policies');
  const live = useBox(tasks);
  const [open, setOpen] = useState('');
  // A job that finished since the list was read: read it again for its found printers and lists.
  const listed = q.data?.tasks ?? [];
  const liveJobs = [...live.values()].filter((t: Task) => t.type === 'discovery');
  const stale = liveJobs.some((t) => { const l = listed.find((x) => x.id === t.id); return !l || (active(l) && !active(t)); });
  useEffect(() => { if (stale && !q.loading) { const h = setTimeout(() => void q.reload(), 300); return () => clearTimeout(h); } }, [stale, q.loading]);
  const merged: Job[] = listed.map((t) => { const l = live.get(t.id); return l && active(t) ? { ...t, ...l, found: t.found, targets: t.targets, targetCount: t.targetCount } : t; });
  const pols = policies.data?.policies ?? [];
  const started = (id: string) => { setOpen(id); void q.reload(); };
  const s = q.data?.settings;
  return (
    <Page title="Discovery">
      <p class="muted">Finds printers that never announce themselves over SNMP with the stored credentials (device, default, then the global list). A printer is added under its serial number: one device however it was found.
        {s && <> Probes: at most {s.rate}/s, {s.concurrency} at once, {s.timeoutMs} ms timeout, {s.maxAddresses} addresses per job (<a href="#/settings">settings</a>).</>}</p>
      <div class="grid">
        <Card title="Find printers now"><StartForm policies={pols} onStarted={started} /></Card>
        <Card title="Upload a list"><UploadForm policies={pols} onStarted={started} /></Card>
      </div>
      <Card title="Last results">
        <Loaded q={q} what="discovery results">{() => merged.length === 0 ? <p class="muted">No discovery yet.</p> : (
          <ul class="plain jobs">{merged.map((t) => <JobItem key={t.id} t={t} open={open === t.id} onToggle={() => setOpen(open === t.id ? '' : t.id)} />)}</ul>
        )}</Loaded>
      </Card>
      <Card title="Scheduled sweeps"><Schedules policies={pols} /></Card>
    </Page>
  );
}
