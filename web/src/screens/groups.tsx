// Groups and autogroups: the list (priority order), and an editor with the filter as rows of conditions
// (or as JSON for nested filters), a live preview of who matches, the group's policy and priority, its
// members, and "assess now". Errors from the API are shown next to the field they name.
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, fieldErrors, type Answer, type Body } from '../api.ts';
import { Badge, Card, Done, ErrorText, fmtTime, Loaded, Page, useAction, useRoute, When } from '../ui.tsx';
import { useBox } from '../store.ts';
import { deviceTick } from '../live.ts';

type Group = Answer<'GET /api/v1/groups/:id'>;
type GroupBody = Body<'POST /api/v1/groups'>;
type Filter = NonNullable<GroupBody['filter']>;
/** A filter node as the editor reads it (the stored filter is described loosely: the group room validates it). */
type FilterNode = { field?: unknown; op?: unknown; value?: unknown; not?: FilterNode; all?: FilterNode[]; any?: FilterNode[] };
interface Cond { field: string; op: string; value: string; not: boolean }

export function Groups() {
  const q = useRoute('GET /api/v1/groups');
  return (
    <Page title="Groups" actions={<a class="button primary" href="#/groups/new" data-testid="new-group">New group</a>}>
      <p class="help">A device's group policy is the policy of its highest-priority group that has one (a higher number wins). Autogroups follow their filter as devices change.</p>
      <Loaded q={q} what="groups">{(d) => d.groups.length === 0 ? <p class="muted">No group yet.</p> : (
        <div class="table-wrap"><table data-testid="groups-table">
          <thead><tr><th scope="col">Priority</th><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Policy</th><th scope="col">Members</th></tr></thead>
          <tbody>{d.groups.map((g) => (
            <tr key={g.id}><td>{g.priority}</td><td><a href={`#/groups/${g.id}`}>{g.name}</a></td><td>{g.kind === 'auto' ? 'autogroup' : 'manual'}</td>
              <td>{g.policyName ?? <span class="muted">none</span>}</td><td>{g.memberCount}</td></tr>))}</tbody>
        </table></div>
      )}</Loaded>
      {q.data?.refresh && <p class="muted">Filters re-run {q.data.refresh.refreshRuns} time(s) since start{q.data.refresh.nextRunAt ? `; next ${fmtTime(q.data.refresh.nextRunAt)}` : ''}.</p>}
    </Page>
  );
}

/** A filter the row editor can show: a condition, or all/any of conditions and negated conditions. */
function toRows(stored: unknown): { mode: 'all' | 'any'; rows: Cond[] } | null {
  const filter = stored as FilterNode | undefined;
  const row = (n: FilterNode): Cond | null => {
    const not = !!n?.not;
    const c = not ? n.not! : n;
    if (!c || typeof c.field !== 'string') return null;
    return { field: c.field, op: String(c.op), value: Array.isArray(c.value) ? c.value.join(', ') : String(c.value ?? ''), not };
  };
  if (!filter) return { mode: 'all', rows: [] };
  const list = filter.all ?? filter.any;
  const rows = (Array.isArray(list) ? list : [filter]).map(row);
  return rows.every(Boolean) ? { mode: filter.any ? 'any' : 'all', rows: rows as Cond[] } : null;
}

function fromRows(mode: 'all' | 'any', rows: Cond[]): Filter {
  const nodes = rows.map((r) => {
    const c = { field: r.field, op: r.op, value: r.op === 'in' ? r.value.split(',').map((x) => x.trim()).filter(Boolean) : r.value };
    return r.not ? { not: c } : c;
  });
  return (nodes.length === 1 ? nodes[0] : { [mode]: nodes }) as Filter;
}

export function GroupEditor(p: { id: string }) {
  const isNew = p.id === 'new';
  const fields = useRoute('GET /api/v1/groups/fields');
  const policies = useRoute('GET /api/v1/policies');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'auto' | 'manual'>('auto');
  const [priority, setPriority] = useState('');
  const [policyId, setPolicyId] = useState('');
  const [mode, setMode] = useState<'all' | 'any'>('all');
  const [rows, setRows] = useState<Cond[]>([{ field: 'model', op: 'contains', value: '', not: false }]);
  const [json, setJson] = useState<string | null>(null);
  const [members, setMembers] = useState('');
  const [preview, setPreview] = useState<Answer<'POST /api/v1/groups/preview'>>();
  const [previewErr, setPreviewErr] = useState<unknown>();
  const a = useAction();
  const list = useRoute(isNew ? null : 'GET /api/v1/groups/:id/members', { params: { id: p.id }, query: { limit: 200 } }, [a.done]);

  useEffect(() => {
    if (isNew) return;
    call('GET /api/v1/groups/:id', { params: { id: p.id } }).then((g: Group) => {
      setName(g.name); setKind(g.kind); setPriority(String(g.priority)); setPolicyId(g.policyId ?? ''); setMembers((g.members ?? []).join('\n'));
      const r = toRows(g.filter);
      if (r) { setMode(r.mode); setRows(r.rows); } else setJson(JSON.stringify(g.filter, null, 2));
    }, a.setError);
  }, [p.id]);

  // The JSON is sent as written: the appliance names what is wrong with it, field by field.
  const filter = (): Filter => {
    if (json !== null) { try { return JSON.parse(json) as Filter; } catch { return json as unknown as Filter; } }
    return fromRows(mode, rows);
  };

  // Live preview: every change of the filter asks the appliance who would match (debounced).
  const timer = useRef<number>();
  const filterKey = JSON.stringify([json, mode, rows]);
  useEffect(() => {
    if (kind !== 'auto') return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      call('POST /api/v1/groups/preview', { body: { filter: filter(), limit: 20 } }).then((r) => { setPreview(r); setPreviewErr(undefined); }, (e) => { setPreview(undefined); setPreviewErr(e); });
    }, 250) as unknown as number;
    return () => clearTimeout(timer.current);
  }, [filterKey, kind]);

  const save = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      const body: GroupBody = { name, kind, priority: Number(priority), policyId: policyId || null,
        ...(kind === 'auto' ? { filter: filter() } : { members: members.split(/[\s,]+/).filter(Boolean) }) };
      if (isNew) { const r = await call('POST /api/v1/groups', { body }); location.hash = `#/groups/${r.id}`; }
      else await call('PUT /api/v1/groups/:id', { params: { id: p.id }, body });
      return 'Group saved.';
    });
  };
  const errors = { ...fieldErrors(a.error) };
  const filterErrors = Object.entries({ ...errors, ...fieldErrors(previewErr) }).filter(([k]) => k.startsWith('filter'));
  const defs = fields.data?.fields ?? {};
  const setRow = (i: number, patch: Partial<Cond>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Page title={isNew ? 'New group' : `Group ${name}`} actions={<a href="#/groups">← Groups</a>}>
      <form onSubmit={save} data-testid="group-form">
        <div class="grid">
          <Card title="Group">
            <label>Name<input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} /></label>
            {errors.name && <div class="field-error">{errors.name}</div>}
            <label>Kind<select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'auto' | 'manual')}>
              <option value="auto">Autogroup (members by filter)</option><option value="manual">Manual group (listed serial numbers)</option></select></label>
            <label>Priority<input name="priority" type="number" min={1} value={priority} onInput={(e) => setPriority(e.currentTarget.value)} required /></label>
            <p class="help">Unique; when a device is in several groups with a policy, the highest number wins.</p>
            {errors.priority && <div class="field-error" data-testid="priority-error">{errors.priority}</div>}
            <label>Policy<select name="policyId" value={policyId} onChange={(e) => setPolicyId(e.currentTarget.value)}>
              <option value="">— none —</option>{(policies.data?.policies ?? []).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select></label>
            {errors.policyId && <div class="field-error">{errors.policyId}</div>}
          </Card>
          {kind === 'auto' ? (
            <Card title="Filter">
              {json === null ? (<>
                <label class="inline">Match <select aria-label="Match" value={mode} onChange={(e) => setMode(e.currentTarget.value as 'all' | 'any')}>
                  <option value="all">all of</option><option value="any">any of</option></select> these conditions</label>
                {rows.map((r, i) => (
                  <div class="row" key={i} data-testid="condition">
                    <label class="inline"><input type="checkbox" checked={r.not} onChange={(e) => setRow(i, { not: e.currentTarget.checked })} /> not</label>
                    <select aria-label="Field" value={r.field} onChange={(e) => setRow(i, { field: e.currentTarget.value, op: defs[e.currentTarget.value]?.ops[0] ?? 'equals' })}>
                      {Object.keys(defs).map((f) => <option key={f} value={f}>{f}</option>)}</select>
                    <select aria-label="Operator" value={r.op} onChange={(e) => setRow(i, { op: e.currentTarget.value })}>
                      {(defs[r.field]?.ops ?? ['equals']).map((o) => <option key={o} value={o}>{o}</option>)}</select>
                    <input aria-label="Value" value={r.value} placeholder={defs[r.field]?.values?.join(' | ') ?? (r.op === 'in' ? 'a, b, c' : '')} title={defs[r.field]?.help}
                      onInput={(e) => setRow(i, { value: e.currentTarget.value })} />
                    <button type="button" class="small" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label="Remove condition">×</button>
                  </div>))}
                <button type="button" class="small" onClick={() => setRows([...rows, { field: 'model', op: 'contains', value: '', not: false }])}>Add condition</button>{' '}
                <button type="button" class="small" onClick={() => setJson(JSON.stringify(filter(), null, 2))}>Edit as JSON</button>
              </>) : (<>
                <label>Filter (JSON: all / any / not, one level of nesting)<textarea rows={8} class="mono" data-testid="filter-json" value={json} onInput={(e) => setJson(e.currentTarget.value)} /></label>
                {toRows(filter()) && <button type="button" class="small" onClick={() => { const r = toRows(filter())!; setMode(r.mode); setRows(r.rows); setJson(null); }}>Back to rows</button>}
              </>)}
              {filterErrors.map(([k, m]) => <div key={k} class="field-error">{k}: {m}</div>)}
              <h3>Preview</h3>
              {preview ? <div data-testid="preview"><p><strong data-testid="preview-count">{preview.count}</strong> device(s) match now.</p>
                <ul class="plain">{preview.members.map((d) => <li key={d.serialNumber}><a href={`#/devices/${encodeURIComponent(d.serialNumber)}`}>{d.serialNumber}</a> <small class="muted">{d.model} · {d.ipv4 ?? '—'} · {d.hostname ?? ''}</small></li>)}</ul></div>
                : <p class="muted">{previewErr ? 'Fix the filter to see who matches.' : 'Checking…'}</p>}
            </Card>
          ) : (
            <Card title="Members">
              <label>Serial numbers (one a line)<textarea rows={6} value={members} onInput={(e) => setMembers(e.currentTarget.value)} /></label>
              {Object.entries(errors).filter(([k]) => k.startsWith('members')).map(([k, m]) => <div key={k} class="field-error">{k}: {m}</div>)}
            </Card>
          )}
        </div>
        <ErrorText error={a.error} /><Done text={a.done} />
        <button type="submit" class="primary" disabled={a.busy} data-testid="save-group">Save</button>{' '}
        {!isNew && <button type="button" class="danger" disabled={a.busy} onClick={() => { if (confirm(`Delete group ${name}?`)) void a.run(async () => { await call('DELETE /api/v1/groups/:id', { params: { id: p.id } }); location.hash = '#/groups'; }); }}>Delete</button>}
      </form>
      {!isNew && <GroupMembers id={p.id} q={list} policyId={policyId} />}
    </Page>
  );
}

function GroupMembers(p: { id: string; q: { data?: Answer<'GET /api/v1/groups/:id/members'>; error?: unknown; loading: boolean; reload: () => unknown }; policyId: string }) {
  const a = useAction();
  // Live: a device event (an announcement, a compliance result) may change who is in and how they are.
  const tick = useBox(deviceTick);
  useEffect(() => { if (tick.n) void p.q.reload(); }, [tick.n]);
  return (
    <Card title="Members">
      <Loaded q={p.q} what="members">{(d) => (<>
        <p class="muted">{d.total} member(s){d.total > d.members.length ? `, first ${d.members.length} shown` : ''}.</p>
        <div class="table-wrap"><table data-testid="members-table">
          <thead><tr><th scope="col">Serial</th><th scope="col">Model</th><th scope="col">IP</th><th scope="col">Compliance</th><th scope="col">Joined</th></tr></thead>
          <tbody>{d.members.map((m) => (
            <tr key={m.serialNumber}><td><a href={`#/devices/${encodeURIComponent(m.serialNumber)}`}>{m.serialNumber}</a></td><td>{m.model}</td><td class="mono">{m.ipv4 ?? '—'}</td>
              <td><Badge status={m.compliance ?? 'not assessed'} /></td><td><When at={m.joinedAt} /></td></tr>))}</tbody>
        </table></div>
      </>)}</Loaded>
      {p.policyId && <button type="button" disabled={a.busy} data-testid="assess-group" onClick={() => void a.run(async () => {
        const r = await call('POST /api/v1/groups/:id/assess', { params: { id: p.id }, body: { remediate: true } });
        return 'taskId' in r ? `Started task ${r.taskId}: every member is assessed and remediated with the group's policy.` : 'Scheduled.';
      })}>Assess and remediate members now</button>}
      <ErrorText error={a.error} /><Done text={a.done} />
    </Card>
  );
}
