// Tasks that tell the truth (issue 17 §2): counts by state from the server, one page of tasks at a time,
// each row opened with its button (keyboard too), cancel one or all of a kind; assessments to start; and
// schedules to add, edit and cancel, with the appliance's refusals shown in words next to the field.
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, fieldErrors, type Answer, type Body } from '../api.ts';
import { useBox } from '../store.ts';
import { reconnects, tasks as liveTasks } from '../live.ts';
import { Badge, Card, Done, ErrorText, fmtTime, Loaded, Page, Pager, Progress, RowToggle, useAction, useCursor, useDebounced, useRoute, When } from '../ui.tsx';

type TaskRow = Answer<'GET /api/v1/tasks'>['tasks'][number];
type Policy = Answer<'GET /api/v1/policies'>['policies'][number];
type Schedule = Answer<'GET /api/v1/schedules'>['schedules'][number];
type TaskType = NonNullable<Body<'POST /api/v1/tasks/cancel'>['type']>;

const TYPE_LABEL: Record<TaskType, string> = { 'instant-on': 'Instant-On', assessment: 'Assessment', 'assessment-child': 'Assessment part', discovery: 'Discovery' };
const STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
const PAGE = 50;

function TaskDetail(p: { t: TaskRow }) {
  const q = useRoute('GET /api/v1/tasks/:id', { params: { id: p.t.id } }, [p.t.done, p.t.state]);
  const parts = useRoute(p.t.childIds?.length ? 'GET /api/v1/tasks' : null, { query: { parent: p.t.id, limit: 200 } }, [p.t.done, p.t.state]);
  return (
    <div class="task-detail">
      {p.t.error && <p class="notice error">{p.t.error}</p>}
      {parts.data && <>
        <h3>Parts ({parts.data.matched})</h3>
        <ul class="plain parts">{parts.data.tasks.map((c) => <li key={c.id}><Badge status={c.state} /> <Progress name={`part ${c.id}`} done={c.done} total={c.total} /></li>)}</ul>
      </>}
      <Loaded q={q} what="results">{(t) => {
        const rows = Object.entries(t.outcomes);
        return rows.length === 0 ? <p class="muted">No device finished yet.</p> : (<>
          <h3>Devices finished ({rows.length} of {t.total})</h3>
          <ul class="plain">{rows.slice(0, 200).map(([serial, o]) => (
            <li key={serial}><a href={`#/devices/${encodeURIComponent(serial)}`}>{serial}</a> <Badge status={o.status} /> <small class="muted">{o.detail ?? ''} <When at={o.at} /></small></li>))}</ul>
          {rows.length > 200 && <p class="muted">and {rows.length - 200} more.</p>}
        </>);
      }}</Loaded>
    </div>
  );
}

function StartAssessment(p: { policies: Policy[] }) {
  const [policyId, setPolicyId] = useState('');
  const [remediate, setRemediate] = useState(false);
  const a = useAction();
  const chosen = policyId || p.policies[0]?.id || '';
  return (
    <form class="row" onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
      const r = await call('POST /api/v1/tasks', { body: { policyId: chosen, remediate } });
      return 'taskId' in r ? `Started task ${r.taskId}.` : 'Scheduled.';
    }); }}>
      <label>Policy <select value={chosen} onChange={(e) => setPolicyId(e.currentTarget.value)}>{p.policies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select></label>
      <label class="inline"><input type="checkbox" checked={remediate} onChange={(e) => setRemediate(e.currentTarget.checked)} /> remediate</label>
      <button type="submit" class="primary" disabled={a.busy || !chosen}>Assess all devices</button>
      <ErrorText error={a.error} /><Done text={a.done} />
    </form>
  );
}

const KINDS = ['once', 'daily', 'weekly', 'monthly', 'every'] as const;
type Kind = (typeof KINDS)[number];
interface ScheduleForm { name: string; kind: Kind; every: string; startAt: string; policyId: string; remediate: boolean }

/** datetime-local speaks the browser's local time without a zone; the API takes ISO with one. */
const toLocalInput = (iso?: string | null) => { if (!iso) return ''; const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16); };
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : undefined);
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The field a refusal names, whether it came through POST /tasks (`schedule.every`) or PUT /schedules (`every`). */
function errorsOf(e: unknown): Partial<Record<keyof ScheduleForm, string>> {
  const out: Partial<Record<keyof ScheduleForm, string>> = {};
  for (const [field, message] of Object.entries(fieldErrors(e))) {
    const f = field.replace(/^schedule\./, '').replace(/^action\./, '') as keyof ScheduleForm;
    out[f === ('type' as never) ? 'policyId' : f] = message;
  }
  return out;
}

function ScheduleFields(p: { form: ScheduleForm; set: (f: ScheduleForm) => void; policies: Policy[]; errors: Partial<Record<keyof ScheduleForm, string>>; idPrefix: string }) {
  const { form, set, errors } = p;
  const err = (k: keyof ScheduleForm) => errors[k] && <span class="field-error" id={`${p.idPrefix}-${k}-err`}>{errors[k]}</span>;
  const described = (k: keyof ScheduleForm) => (errors[k] ? `${p.idPrefix}-${k}-err` : undefined);
  return (
    <>
      <label>Name<input value={form.name} required maxLength={100} aria-invalid={!!errors.name} aria-describedby={described('name')} onInput={(e) => set({ ...form, name: e.currentTarget.value })} />{err('name')}</label>
      <label>Repeat<select value={form.kind} onChange={(e) => set({ ...form, kind: e.currentTarget.value as Kind })}>{KINDS.map((k) => <option key={k} value={k}>{k === 'every' ? 'every … (d:h:m:s)' : k}</option>)}</select>{err('kind')}</label>
      {form.kind === 'every' && <label>Every (days:hours:minutes:seconds)<input value={form.every} aria-invalid={!!errors.every} aria-describedby={described('every')} placeholder="1:0:0:0" onInput={(e) => set({ ...form, every: e.currentTarget.value })} />{err('every')}</label>}
      <label>First run ({zone})<input type="datetime-local" value={form.startAt} aria-invalid={!!errors.startAt} aria-describedby={described('startAt')} onInput={(e) => set({ ...form, startAt: e.currentTarget.value })} />{err('startAt')}</label>
      <label>Policy<select value={form.policyId || p.policies[0]?.id} onChange={(e) => set({ ...form, policyId: e.currentTarget.value })}>{p.policies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select>{err('policyId')}</label>
      <label class="inline"><input type="checkbox" checked={form.remediate} onChange={(e) => set({ ...form, remediate: e.currentTarget.checked })} /> remediate</label>
    </>
  );
}

function ScheduleRow(p: { s: Schedule; policies: Policy[]; reload: () => unknown }) {
  const { s } = p;
  const [editing, setEditing] = useState(false);
  const action = s.action as { type: string; policyId?: unknown; remediate?: unknown };
  const [form, setForm] = useState<ScheduleForm>({ name: s.name, kind: s.kind, every: s.every ?? '1:0:0:0', startAt: toLocalInput(s.startAt),
    policyId: typeof action.policyId === 'string' ? action.policyId : '', remediate: action.remediate === true });
  const a = useAction();
  const policyName = p.policies.find((x) => x.id === action.policyId)?.name;
  const save = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      const changedStart = form.startAt !== toLocalInput(s.startAt);
      await call('PUT /api/v1/schedules/:id', { params: { id: s.id }, body: { name: form.name, kind: form.kind, ...(form.kind === 'every' ? { every: form.every } : {}),
        ...(changedStart ? { startAt: fromLocalInput(form.startAt) } : {}),
        ...(action.type === 'assessment' ? { action: { ...action, policyId: form.policyId || p.policies[0]?.id, remediate: form.remediate } } : {}) } });
      setEditing(false);
      await p.reload();
      return 'Saved.';
    });
  };
  return (
    <li data-schedule={s.id}>
      <strong>{s.name}</strong> {s.kind}{s.every ? ` ${s.every}` : ''}{action.type === 'assessment' ? ` · ${policyName ?? 'a deleted policy'}${action.remediate ? ', remediate' : ''}` : ` · ${action.type}`}
      {' '}· next {fmtTime(s.nextRunAt)} · {s.runs} run(s){s.lastError && <span class="field-error"> last run failed: {s.lastError}</span>}
      {s.cancelled ? <> <Badge status="cancelled" /></> : <>
        {' '}<button type="button" class="small" aria-expanded={editing} onClick={() => setEditing(!editing)}>{editing ? 'Close' : 'Edit'}</button>
        {' '}<button type="button" class="small" onClick={() => void a.run(async () => { await call('DELETE /api/v1/schedules/:id', { params: { id: s.id } }); await p.reload(); })}>Cancel schedule</button>
      </>}
      {editing && <form class="fields" onSubmit={save} data-testid="schedule-edit">
        <ScheduleFields form={form} set={setForm} policies={p.policies} errors={errorsOf(a.error)} idPrefix={`edit-${s.id}`} />
        <button type="submit" class="primary" disabled={a.busy}>Save schedule</button>
      </form>}
      <ErrorText error={a.error} /><Done text={a.done} />
    </li>
  );
}

function Schedules(p: { policies: Policy[] }) {
  const q = useRoute('GET /api/v1/schedules');
  const [form, setForm] = useState<ScheduleForm>({ name: '', kind: 'daily', every: '1:0:0:0', startAt: '', policyId: '', remediate: false });
  const a = useAction();
  const add = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      await call('POST /api/v1/tasks', { body: { name: form.name, policyId: form.policyId || p.policies[0]?.id || '', remediate: form.remediate,
        schedule: { kind: form.kind, ...(form.kind === 'every' ? { every: form.every } : {}), ...(form.startAt ? { startAt: fromLocalInput(form.startAt) } : {}) } } });
      await q.reload();
      setForm({ ...form, name: '' });
      return 'Scheduled.';
    });
  };
  return (
    <>
      <Loaded q={q} what="schedules">{(d) => d.schedules.length === 0 ? <p class="muted">No schedule.</p> : (
        <ul class="plain schedules" data-testid="schedules">{d.schedules.map((s) => <ScheduleRow key={s.id} s={s} policies={p.policies} reload={q.reload} />)}</ul>
      )}</Loaded>
      <h3>Add a schedule</h3>
      <form class="fields" onSubmit={add} data-testid="schedule-add">
        <ScheduleFields form={form} set={setForm} policies={p.policies} errors={errorsOf(a.error)} idPrefix="add" />
        <button type="submit" disabled={a.busy || !p.policies.length}>Add schedule</button>
      </form>
      <ErrorText error={a.error} /><Done text={a.done} />
    </>
  );
}

function CancelAll(p: { stats: Answer<'GET /api/v1/tasks'>['stats']; done: () => void }) {
  const [type, setType] = useState<TaskType>('instant-on');
  const a = useAction();
  const c = p.stats.byType[type];
  const active = c ? c.queued + c.running : 0;
  return (
    <div class="row">
      <label>Cancel every active task of a kind <select value={type} onChange={(e) => setType(e.currentTarget.value as TaskType)}>
        {(Object.keys(TYPE_LABEL) as TaskType[]).map((k) => <option key={k} value={k}>{TYPE_LABEL[k]}</option>)}</select></label>
      <button type="button" class="danger" data-testid="cancel-all" disabled={a.busy || active === 0} onClick={() => {
        if (!confirm(`Cancel ${active} ${TYPE_LABEL[type]} task(s)? Work not started is dropped; devices under way finish their current step.`)) return;
        void a.run(async () => { const r = await call('POST /api/v1/tasks/cancel', { body: { type } }); p.done(); return `Cancelled ${r.cancelled} task(s).`; });
      }}>Cancel {active} {TYPE_LABEL[type]}</button>
      <ErrorText error={a.error} /><Done text={a.done} />
    </div>
  );
}

export function Tasks() {
  const policies = useRoute('GET /api/v1/policies');
  const [type, setType] = useState('');
  const [state, setState] = useState('active');
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [open, setOpen] = useState('');
  const pager = useCursor([type, state, q]);
  const list = useRoute('GET /api/v1/tasks', { query: { level: 'top', type, state, q, limit: PAGE, cursor: pager.cursor } });
  const live = useBox(liveTasks);
  const again = useBox(reconnects);
  useEffect(() => { if (again > 1) void list.reload(); }, [again]);
  // Counts and the page follow the events: asked again at most once a second while they keep coming.
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => { if (live.size) timer.current ??= window.setTimeout(() => { timer.current = undefined; void list.reload(); }, 1000); }, [live]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const a = useAction();
  const data = list.data;
  const rows = (data?.tasks ?? []).map((t) => { const l = live.get(t.id); return l ? { ...t, ...l } : t; });
  const pols = policies.data?.policies ?? [];
  const st = data?.stats;
  return (
    <Page title="Tasks" actions={<button type="button" onClick={() => void list.reload()}>Refresh</button>}>
      {st && <p class="counts" data-testid="task-state-counts">{STATES.map((s) => <span key={s}><Badge status={s} label={`${s} ${st.byState[s]}`} /> </span>)}
        <small class="muted"> {st.devicesInFlight} device(s) in progress, {st.devicesWaiting} waiting for a slot</small></p>}
      <div class="filters" role="search">
        <select aria-label="Kind" value={type} onChange={(e) => setType(e.currentTarget.value)}><option value="">All kinds</option>
          {(Object.keys(TYPE_LABEL) as TaskType[]).filter((k) => k !== 'assessment-child').map((k) => <option key={k} value={k}>{TYPE_LABEL[k]}</option>)}</select>
        <select aria-label="State" value={state} onChange={(e) => setState(e.currentTarget.value)}><option value="active">Active (queued or running)</option><option value="">All states</option>{STATES.map((s) => <option key={s} value={s}>{s}</option>)}</select>
        <input type="search" aria-label="Search tasks" placeholder="Search: serial, schedule, group, id…" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      {st && <CancelAll stats={st} done={() => void list.reload()} />}
      <ErrorText error={a.error ?? list.error} />
      {!data ? <p class="muted">Loading…</p> : rows.length === 0 ? <p class="muted">No task matches.</p> : (
        <div class="table-wrap"><table data-testid="tasks-table">
          <caption class="sr-only">Tasks, newest first</caption>
          <thead><tr><th scope="col"><span class="sr-only">Details</span></th><th scope="col">Task</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col" class="wide">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>{rows.map((t) => (<>
            <tr key={t.id} data-task={t.id} class="clickable" onClick={() => setOpen(open === t.id ? '' : t.id)}>
              <td><RowToggle open={open === t.id} onToggle={() => setOpen(open === t.id ? '' : t.id)} label={`task ${t.triggerLabel}`} controls={`task-${t.id}`} /></td>
              <td>{TYPE_LABEL[t.type]} <small class="muted">{t.triggerLabel}{t.serials.length === 1 ? ` · ${t.serials[0]}` : ''}</small>
                {t.children && <small class="muted"> · parts: {STATES.filter((s) => t.children![s]).map((s) => `${t.children![s]} ${s}`).join(', ')}</small>}{t.runAgain ? <span class="badge info">again</span> : null}</td>
              <td><Badge status={t.state} title={t.error} /></td>
              <td><Progress name={`progress of ${t.triggerLabel}`} done={t.done} total={t.total} /></td>
              <td class="wide"><When at={t.createdAt} /></td>
              <td>{(t.state === 'queued' || t.state === 'running') && <button type="button" class="small" onClick={(e) => { e.stopPropagation(); void a.run(async () => { await call('DELETE /api/v1/tasks/:id', { params: { id: t.id } }); await list.reload(); }); }}>Cancel</button>}</td>
            </tr>
            {open === t.id && <tr key={`${t.id}-o`} id={`task-${t.id}`}><td colSpan={6}><TaskDetail t={t} /></td></tr>}
          </>))}</tbody>
        </table>
        <Pager what="tasks" page={pager.page} hasPrev={pager.page > 1} nextCursor={data.nextCursor} onPrev={pager.prev} onNext={pager.next} shown={rows.length} matched={data.matched} /></div>
      )}
      <Card title="Start an assessment">{pols.length ? <StartAssessment policies={pols} /> : <p class="muted">Create a policy first.</p>}</Card>
      <Card title="Scheduled assessments"><Schedules policies={pols} /></Card>
    </Page>
  );
}
