// Policies: the list, and an editor built from the settings catalog (help per setting, the API's
// per-field validation messages next to each field). Settings left unticked are never touched.
import { useEffect, useState } from 'preact/hooks';
import { call, fieldErrors, type Answer } from '../api.ts';
import { loadCatalog, type CatalogEntry } from '../catalog.ts';
import { Card, Done, ErrorText, fmtTime, fmtValue, Loaded, Page, useAction, useRoute } from '../ui.tsx';

type Policy = Answer<'GET /api/v1/policies/:id'>;

export function Policies() {
  const q = useRoute('GET /api/v1/policies');
  const a = useAction();
  return (
    <Page title="Policies" actions={<a class="button primary" href="#/policies/new" data-testid="new-policy">New policy</a>}>
      <ErrorText error={a.error} />
      <Loaded q={q} what="policies">{(d) => d.policies.length === 0 ? <p class="muted">No policy yet. A policy names the printer settings to enforce and their values.</p> : (
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Settings</th><th scope="col" class="wide">Changed</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>{d.policies.map((p) => (
            <tr key={p.id}>
              <td><a href={`#/policies/${p.id}`}>{p.name}</a></td>
              <td>{Object.entries(p.settings).map(([k, v]) => `${k}=${fmtValue(v)}`).join(', ')}</td>
              <td class="wide">{fmtTime(p.updatedAt)}</td>
              <td><button type="button" class="small danger" disabled={a.busy} onClick={() => { if (confirm(`Delete policy ${p.name}?`)) void a.run(async () => { await call('DELETE /api/v1/policies/:id', { params: { id: p.id } }); await q.reload(); }); }}>Delete</button></td>
            </tr>))}</tbody>
        </table></div>
      )}</Loaded>
    </Page>
  );
}

export function PolicyEditor(p: { id: string }) {
  const isNew = p.id === 'new';
  const [catalog, setCatalog] = useState<CatalogEntry[] | undefined>();
  const [catErr, setCatErr] = useState<unknown>();
  const [name, setName] = useState('');
  const [values, setValues] = useState<Policy['settings']>({});
  const a = useAction();
  useEffect(() => { loadCatalog().then(setCatalog, setCatErr); }, []);
  useEffect(() => {
    if (isNew) return;
    call('GET /api/v1/policies/:id', { params: { id: p.id } }).then((pol: Policy) => { setName(pol.name); setValues(pol.settings); }, a.setError);
  }, [p.id]);
  const errors = fieldErrors(a.error);

  const save = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      const body = { name, settings: values };
      if (isNew) { const r = await call('POST /api/v1/policies', { body }); location.hash = `#/policies/${r.id}`; }
      else await call('PUT /api/v1/policies/:id', { params: { id: p.id }, body });
      return 'Policy saved.';
    });
  };

  return (
    <Page title={isNew ? 'New policy' : `Policy ${name}`} actions={<a href="#/policies">← Policies</a>}>
      <ErrorText error={catErr} />
      <form onSubmit={save} data-testid="policy-form">
        <Card>
          <label>Name<input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} />{errors.name && <span class="field-error">{errors.name}</span>}</label>
          {errors.settings && <span class="field-error">{errors.settings}</span>}
        </Card>
        {!catalog ? <p class="muted">Loading the catalog…</p> : (
          <Card title="Settings to enforce">
            <p class="muted">Tick a setting to enforce it. Unticked settings are never read for compliance and never changed.</p>
            <ul class="settings-list">{catalog.map((c) => {
              const on = c.id in values;
              const v = values[c.id];
              const set = (nv: boolean | string) => setValues({ ...values, [c.id]: nv });
              const err = errors[`settings.${c.id}`];
              return (
                <li key={c.id} class={on ? 'on' : ''} data-setting={c.id}>
                  <label class="inline"><input type="checkbox" checked={on} aria-label={`enforce ${c.title}`} onChange={(e) => {
                    const next = { ...values };
                    if (e.currentTarget.checked) next[c.id] = c.valueType === 'boolean' ? false : ''; else delete next[c.id];
                    setValues(next);
                  }} /> <strong>{c.title}</strong></label>
                  {on && (c.valueType === 'boolean'
                    ? <select aria-label={`${c.title} value`} value={String(v)} onChange={(e) => set(e.currentTarget.value === 'true')}><option value="false">off</option><option value="true">on</option></select>
                    : <input aria-label={`${c.title} value`} value={String(v ?? '')} maxLength={c.maxLength} onInput={(e) => set(e.currentTarget.value)} />)}
                  <div class="help">{c.help} <span class="muted">({c.allowed}; factory: {fmtValue(c.factoryDefault)})</span></div>
                  {err && <span class="field-error">{err}</span>}
                </li>
              );
            })}</ul>
          </Card>
        )}
        <ErrorText error={a.error} /><Done text={a.done} />
        <button type="submit" class="primary" disabled={a.busy} data-testid="save-policy">Save policy</button>
      </form>
    </Page>
  );
}
