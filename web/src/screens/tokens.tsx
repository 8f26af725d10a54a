// Named API tokens (issue 16 §8): for scripts and monitoring. The secret is shown once, right after it is
// made; the list shows names, scopes and last use, never secrets.
import { useState } from 'preact/hooks';
import { call, fieldErrors, type Answer } from '../api.ts';
import { Card, Copy, Done, ErrorText, Loaded, Page, fmtTime, timeAgo, useAction, useRoute } from '../ui.tsx';

type Token = Answer<'GET /api/v1/tokens'>['tokens'][number];

export function Tokens() {
  const q = useRoute('GET /api/v1/tokens');
  const [form, setForm] = useState<{ name: string; scope: Token['scope'] }>({ name: '', scope: 'read' });
  const [made, setMade] = useState<{ name: string; secret: string }>();
  const a = useAction();
  const errs = fieldErrors(a.error);
  const create = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      const r = await call('POST /api/v1/tokens', { body: form });
      setMade({ name: r.token.name, secret: r.secret });
      setForm({ name: '', scope: 'read' });
      await q.reload();
    });
  };
  const revoke = (t: Token) => {
    if (!confirm(`Revoke "${t.name}"? Scripts using it stop working at once.`)) return;
    void a.run(async () => { await call('DELETE /api/v1/tokens/:id', { params: { id: t.id } }); await q.reload(); return `Revoked "${t.name}".`; });
  };
  return (
    <Page title="API tokens">
      <p class="muted">For scripts and monitoring: send <code>Authorization: Bearer &lt;token&gt;</code> to the API or to <code>/metrics</code>. A <strong>read</strong> token can only read; an <strong>admin</strong> token can change settings (never tokens or passwords).</p>
      {made && (
        <div class="notice warn" data-testid="token-secret">
          <strong>Copy the token "{made.name}" now — it is not shown again.</strong>
          <div class="row"><code class="mono">{made.secret}</code><Copy text={made.secret} /><button type="button" class="small" onClick={() => setMade(undefined)}>Done</button></div>
        </div>
      )}
      <ErrorText error={a.error} /><Done text={a.done} />
      <Loaded q={q} what="API tokens">{(d) => d.tokens.length === 0 ? <p class="muted">No token yet.</p> : (
        <div class="table-wrap"><table data-testid="tokens-table">
          <thead><tr><th>Name</th><th>Scope</th><th class="wide">Starts with</th><th class="wide">Made</th><th>Last used</th><th /></tr></thead>
          <tbody>{d.tokens.map((t) => (
            <tr key={t.id} data-token={t.name}>
              <td>{t.name}</td>
              <td><span class={`badge ${t.scope === 'admin' ? 'warn' : 'muted'}`}>{t.scope}</span></td>
              <td class="wide mono">{t.prefix}…</td>
              <td class="wide" title={fmtTime(t.createdAt)}>{timeAgo(t.createdAt)} by {t.createdBy}</td>
              <td title={fmtTime(t.lastUsedAt)}>{t.lastUsedAt ? timeAgo(t.lastUsedAt) : 'never'}</td>
              <td><button type="button" class="small danger" onClick={() => revoke(t)}>Revoke</button></td>
            </tr>))}</tbody>
        </table></div>
      )}</Loaded>
      <Card title="Make a token">
        <form class="fields" onSubmit={create}>
          <label>Name<input value={form.name} required maxLength={64} placeholder="e.g. prometheus" onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />{errs.name && <span class="field-error">{errs.name}</span>}</label>
          <label>Scope<select value={form.scope} onChange={(e) => setForm({ ...form, scope: e.currentTarget.value === 'admin' ? 'admin' : 'read' })}>
            <option value="read">read (monitoring, reports)</option><option value="admin">admin (scripts that change things)</option></select></label>
          <button type="submit" class="primary" disabled={a.busy}>Make token</button>
        </form>
      </Card>
    </Page>
  );
}
