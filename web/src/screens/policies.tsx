// Policies: the list, and an editor built from the settings catalog: search, areas, a built-in template,
// per setting its help, its MIBs and which of the fleet's models supported it, and the API's per-field
// messages (guard refusals included) next to each field. Settings left unticked are never touched.
import { useEffect, useState } from 'preact/hooks';
import { call, fieldErrors, type Answer } from '../api.ts';
import { loadCatalogView, type CatalogEntry, type CatalogView } from '../catalog.ts';
import { Card, Done, ErrorText, fmtTime, fmtValue, Loaded, Page, useAction, useRoute } from '../ui.tsx';
import { initialValue, SettingRow, type Value } from './policy-setting.tsx';

type Policy = Answer<'GET /api/v1/policies/:id'>;
type PolicyTemplate = Answer<'GET /api/v1/policy-templates'>['templates'][number];


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
              <td title={Object.entries(p.settings).map(([k, v]) => `${k}=${fmtValue(v)}`).join(', ')}>{Object.keys(p.settings).length} setting{Object.keys(p.settings).length === 1 ? '' : 's'}: {Object.entries(p.settings).slice(0, 6).map(([k, v]) => `${k}=${fmtValue(v)}`).join(', ')}{Object.keys(p.settings).length > 6 ? ', …' : ''}</td>
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
  const [view, setView] = useState<CatalogView | undefined>();
  const [catErr, setCatErr] = useState<unknown>();
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, Value>>({});
  const [search, setSearch] = useState('');
  const [area, setArea] = useState('');
  const [onlyOn, setOnlyOn] = useState(false);
  const [prompts, setPrompts] = useState<string[]>([]);
  const support = useRoute('GET /api/v1/catalog/support');
  const templates = useRoute('GET /api/v1/policy-templates');
  const a = useAction();
  useEffect(() => { loadCatalogView().then(setView, setCatErr); }, []);
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
      setPrompts([]);
      return 'Policy saved.';
    });
  };
  const fromTemplate = (t: PolicyTemplate) => {
    if (!name) setName(t.name);
    setValues({ ...values, ...t.settings });
    setPrompts(t.prompts.filter((id) => !(id in values)));
  };

  const q = search.trim().toLowerCase();
  const shown = (view?.settings ?? []).filter((c) => (!area || c.area === area) && (!onlyOn || c.id in values)
    && (!q || [c.id, c.title, c.help, c.allowed].some((x) => x.toLowerCase().includes(q))));
  const toggle = (c: CatalogEntry, on: boolean) => {
    const next = { ...values };
    if (on) next[c.id] = initialValue(c); else delete next[c.id];
    setValues(next);
  };
  const row = (c: CatalogEntry) => (
    <SettingRow key={c.id} c={c} on={c.id in values} v={values[c.id]} error={errors[`settings.${c.id}`]} prompt={prompts.includes(c.id) && !(c.id in values)}
      support={support.data?.settings[c.id]} toggle={(on) => toggle(c, on)} set={(v) => setValues({ ...values, [c.id]: v })} />
  );

  return (
    <Page title={isNew ? 'New policy' : `Policy ${name}`} actions={<a href="#/policies">← Policies</a>}>
      <ErrorText error={catErr} />
      <form onSubmit={save} data-testid="policy-form">
        <Card>
          <label>Name<input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} />{errors.name && <span class="field-error">{errors.name}</span>}</label>
          {errors.settings && <span class="field-error">{errors.settings}</span>}
          {(templates.data?.templates ?? []).map((t) => (
            <p key={t.id}><button type="button" class="small" data-testid={`template-${t.id}`} onClick={() => fromTemplate(t)}>Start from “{t.name}”</button> <span class="help">{t.description}</span></p>))}
        </Card>
        {!view ? <p class="muted">Loading the catalog…</p> : (
          <Card title={`Settings to enforce (${Object.keys(values).length} of ${view.settings.length})`}>
            <p class="muted">Tick a setting to enforce it. Unticked settings are never read for compliance and never changed. Secrets are written to the printers and never shown again.</p>
            <div class="filters">
              <input type="search" aria-label="Search settings" placeholder="Search settings (telnet, TLS, password…)" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
              <select aria-label="Area" value={area} onChange={(e) => setArea(e.currentTarget.value)}>
                <option value="">All areas</option>
                {view.areas.map((x) => <option key={x.id} value={x.id}>{x.title} ({view.settings.filter((c) => c.area === x.id).length})</option>)}
              </select>
              <label class="inline"><input type="checkbox" checked={onlyOn} onChange={(e) => setOnlyOn(e.currentTarget.checked)} /> only the ticked ones</label>
            </div>
            {support.data && <p class="help" data-testid="support-note">Model support comes from the latest assessment of {support.data.assessedDevices} device{support.data.assessedDevices === 1 ? '' : 's'}.</p>}
            {view.areas.filter((x) => shown.some((c) => c.area === x.id)).map((x) => (
              <section key={x.id} data-area={x.id}>
                <h3>{x.title}</h3>
                <ul class="settings-list">{shown.filter((c) => c.area === x.id).map(row)}</ul>
              </section>))}
            {shown.length === 0 && <p class="muted" data-testid="no-match">No setting matches.</p>}
            <details data-testid="not-supported">
              <summary>What printers offer over SNMP that a policy cannot set ({view.notSupported.length}), and why</summary>
              <ul class="plain">{view.notSupported.map((u) => <li key={u.id}><strong>{u.title}</strong> <span class="muted">{u.oid}</span> — {u.reason}</li>)}</ul>
            </details>
          </Card>
        )}
        <ErrorText error={a.error} /><Done text={a.done} />
        <button type="submit" class="primary" disabled={a.busy} data-testid="save-policy">Save policy</button>
      </form>
    </Page>
  );
}
