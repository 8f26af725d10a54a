// Appliance settings from the schema table: value, where it comes from, locked when env/CLI force it.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { Done, ErrorText, Loaded, Page, useAction, useApi } from '../ui.tsx';

interface Setting { key: string; value: unknown; source: string; restart: boolean; locked: boolean; help: string; env: string }

function Editor(p: { s: Setting; value: unknown; onChange: (v: unknown) => void }) {
  const { s } = p;
  const dis = s.locked;
  if (typeof s.value === 'boolean') return <input type="checkbox" aria-label={s.key} checked={p.value as boolean} disabled={dis} onChange={(e) => p.onChange(e.currentTarget.checked)} />;
  if (typeof s.value === 'number') return <input type="number" aria-label={s.key} value={String(p.value)} disabled={dis} onInput={(e) => p.onChange(e.currentTarget.valueAsNumber)} />;
  if (Array.isArray(s.value)) return <input aria-label={s.key} value={(p.value as string[]).join(', ')} disabled={dis} placeholder="comma-separated" onInput={(e) => p.onChange(e.currentTarget.value.split(',').map((x) => x.trim()).filter(Boolean))} />;
  return <input aria-label={s.key} value={String(p.value ?? '')} disabled={dis} onInput={(e) => p.onChange(e.currentTarget.value)} />;
}

export function Settings() {
  const q = useApi<{ settings: Setting[] }>('/api/v1/settings');
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [filter, setFilter] = useState('');
  const a = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      const r = await api('PUT', '/api/v1/settings', draft);
      q.setData({ settings: r.settings });
      setDraft({});
      return r.restartNeeded?.length ? `Saved. Takes effect after a restart: ${r.restartNeeded.join(', ')}.` : 'Saved; in effect now.';
    });
  };
  return (
    <Page title="Settings" actions={<a href="#/password">Change password</a>}>
      <Loaded q={q} what="settings">{(d) => (
        <form onSubmit={save}>
          <input type="search" placeholder="Filter settings" aria-label="Filter settings" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          <div class="table-wrap"><table class="settings" data-testid="settings-table">
            <thead><tr><th>Setting</th><th>Value</th><th>Source</th></tr></thead>
            <tbody>{d.settings.filter((s) => !filter || `${s.key} ${s.help}`.toLowerCase().includes(filter.toLowerCase())).map((s) => (
              <tr key={s.key} class={s.key in draft ? 'changed' : ''}>
                <td><strong>{s.key}</strong>{s.restart && <span class="badge muted" title="a change takes effect after a restart">restart</span>}<div class="help">{s.help}</div></td>
                <td><Editor s={s} value={s.key in draft ? draft[s.key] : s.value} onChange={(v) => setDraft({ ...draft, [s.key]: v })} /></td>
                <td><span class={`badge ${s.locked ? 'warn' : 'muted'}`}>{s.source}</span>{s.locked && <div class="help">locked: forced by {s.source === 'env' ? s.env : 'a command-line flag'}</div>}</td>
              </tr>))}</tbody>
          </table></div>
          <ErrorText error={a.error} /><Done text={a.done} />
          <button type="submit" class="primary" disabled={a.busy || Object.keys(draft).length === 0}>Save {Object.keys(draft).length || ''} change(s)</button>
        </form>
      )}</Loaded>
    </Page>
  );
}
