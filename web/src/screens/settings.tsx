// Appliance settings from the schema table (config/schema.ts), in sections with their labels, units and help;
// where a value comes from, locked when env/CLI force it; a refused value is explained next to its field.
import { useState } from 'preact/hooks';
import { call, fieldErrors, type Answer } from '../api.ts';
import { Card, Done, ErrorText, Loaded, Page, useAction, useRoute } from '../ui.tsx';

type Setting = Answer<'GET /api/v1/settings'>['settings'][number];

const SOURCE: Record<Setting['source'], string> = { default: 'default', store: 'set here', env: 'environment', cli: 'command line' };

function Editor(p: { s: Setting; value: unknown; onChange: (v: unknown) => void; id: string; describedBy: string }) {
  const { s } = p;
  const common = { id: p.id, disabled: s.locked, 'aria-describedby': p.describedBy, name: s.key };
  if (typeof s.value === 'boolean') return <input type="checkbox" {...common} checked={p.value === true} onChange={(e) => p.onChange(e.currentTarget.checked)} />;
  if (s.choices) return <select {...common} value={String(p.value)} onChange={(e) => p.onChange(e.currentTarget.value)}>{s.choices.map((c) => <option key={c} value={c}>{c}</option>)}</select>;
  // Numbers go to the server as typed: it says in words what is wrong with "12x" or 70000.
  if (typeof s.value === 'number') return <input inputMode="numeric" {...common} value={String(p.value)} onInput={(e) => { const t = e.currentTarget.value; p.onChange(/^-?\d+(\.\d+)?$/.test(t.trim()) ? Number(t) : t); }} />;
  if (Array.isArray(s.value)) return <input {...common} value={(p.value as string[]).join(', ')} placeholder="comma-separated" onInput={(e) => p.onChange(e.currentTarget.value.split(',').map((x) => x.trim()).filter(Boolean))} />;
  if (s.secret) return <input type="password" autocomplete="new-password" {...common} value={String(p.value ?? '')} placeholder={s.value ? 'set (write a new one to change it)' : 'not set'} onInput={(e) => p.onChange(e.currentTarget.value)} />;
  return <input {...common} value={String(p.value ?? '')} onInput={(e) => p.onChange(e.currentTarget.value)} />;
}

export function Settings() {
  const q = useRoute('GET /api/v1/settings');
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [filter, setFilter] = useState('');
  const a = useAction();
  const errors = fieldErrors(a.error);
  const save = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      const r = await call('PUT /api/v1/settings', { body: draft });
      q.setData({ settings: r.settings, groups: q.data?.groups });
      setDraft({});
      const label = (k: string) => r.settings.find((x) => x.key === k)?.label ?? k;
      return r.restartNeeded.length ? `Saved. Takes effect after a restart: ${r.restartNeeded.map(label).join(', ')}.` : 'Saved; in effect now.';
    });
  };
  return (
    <Page title="Settings" actions={<a href="#/password">Change password</a>}>
      <Loaded q={q} what="settings">{(d) => {
        const words = filter.toLowerCase();
        const shown = d.settings.filter((s) => !words || `${s.label} ${s.key} ${s.help} ${s.group}`.toLowerCase().includes(words));
        const order = (g: string) => { const i = (d.groups ?? []).indexOf(g); return i < 0 ? 99 : i; };
        const groups = [...new Set(shown.map((s) => s.group))].sort((a, b) => order(a) - order(b));
        return (
          <form onSubmit={save}>
            <input type="search" placeholder="Find a setting" aria-label="Find a setting" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
            <ErrorText error={a.error} /><Done text={a.done} />
            {groups.map((g) => (
              <Card key={g} title={g} class="settings-group">
                <div class="settings-list" data-testid="settings-table">{shown.filter((s) => s.group === g).map((s) => {
                  const id = `setting-${s.key}`;
                  return (
                    <div key={s.key} class={`setting ${s.key in draft ? 'changed' : ''}`} data-setting={s.key}>
                      <label for={id} class="setting-label">{s.label}{s.unit && <span class="muted"> ({s.unit})</span>}
                        {s.restart && <span class="badge muted" title="a change takes effect after a restart">after restart</span>}</label>
                      <div class="setting-value">
                        <Editor s={s} id={id} describedBy={`${id}-help`} value={s.key in draft ? draft[s.key] : s.value} onChange={(v) => setDraft({ ...draft, [s.key]: v })} />
                        {errors[s.key] && <div class="field-error" role="alert">{errors[s.key]}</div>}
                      </div>
                      <p class="help" id={`${id}-help`}>{s.help} <span class="muted">{SOURCE[s.source]}{s.locked ? ` — locked: forced by ${s.source === 'env' ? s.env : s.source === 'cli' ? 'a command-line flag' : 'the start'}` : ''}{s.pending !== undefined ? ` — saved value waits for a restart` : ''} · <code>{s.key}</code></span></p>
                    </div>
                  );
                })}</div>
              </Card>
            ))}
            <button type="submit" class="primary" disabled={a.busy || Object.keys(draft).length === 0}>Save {Object.keys(draft).length || ''} change(s)</button>
          </form>
        );
      }}</Loaded>
    </Page>
  );
}
