// SNMP credentials: a default, a global list to try, per-device overrides (on the device page). Secrets are
// write-only: the API never returns them, so the forms never show them.
import { useState } from 'preact/hooks';
import { call, fieldErrors, type Answer, type Body } from '../api.ts';
import { Card, Done, ErrorText, Loaded, Page, useAction, useRoute } from '../ui.tsx';

/** The form's draft: every field a string while it is typed. */
type Cred = Record<string, string>;
type Credential = Body<'PUT /api/v1/credentials/default'>;
type Stored = Answer<'GET /api/v1/credentials'>['global'][number];
type Saved = Answer<'GET /api/v1/credentials'>;

const toCredential = (c: Cred): Credential => (c.version === '3'
  ? { version: '3', user: c.user, authProtocol: c.authProtocol === 'sha' ? 'sha' : 'sha256', authKey: c.authKey, privProtocol: c.privProtocol === 'aes256' ? 'aes256' : 'aes', privKey: c.privKey }
  : { version: '2c', readCommunity: c.readCommunity, writeCommunity: c.writeCommunity });
const EMPTY_V2: Cred = { version: '2c', readCommunity: '', writeCommunity: '' };
const EMPTY_V3: Cred = { version: '3', user: '', authProtocol: 'sha256', authKey: '', privProtocol: 'aes', privKey: '' };

export function describe(c: Stored | null | undefined): string {
  if (!c) return 'none';
  return c.version === '3' ? `SNMPv3 user ${c.user}, ${String(c.authProtocol).toUpperCase()}/${String(c.privProtocol).toUpperCase()} (keys hidden)` : 'SNMPv2c (communities hidden)';
}

function Fields(p: { value: Cred; onChange: (c: Cred) => void; errors: Record<string, string>; prefix?: string }) {
  const c = p.value;
  const set = (k: string) => (e: { currentTarget: { value: string } }) => p.onChange({ ...c, [k]: e.currentTarget.value });
  const err = (k: string) => p.errors[(p.prefix ?? '') + k] && <span class="field-error">{p.errors[(p.prefix ?? '') + k]}</span>;
  const secret = (k: string, label: string) => <label>{label}<input type="password" autocomplete="new-password" value={c[k]} onInput={set(k)} placeholder="write-only" required />{err(k)}</label>;
  return (
    <div class="fields">
      <label>Version<select value={c.version} onChange={(e) => p.onChange(e.currentTarget.value === '3' ? { ...EMPTY_V3 } : { ...EMPTY_V2 })}>
        <option value="2c">SNMPv2c</option><option value="3">SNMPv3 (authPriv)</option></select></label>
      {c.version === '2c' ? <>{secret('readCommunity', 'Read community')}{secret('writeCommunity', 'Write community')}</> : <>
        <label>User<input value={c.user} onInput={set('user')} autocomplete="off" required />{err('user')}</label>
        <label>Authentication<select value={c.authProtocol} onChange={set('authProtocol')}><option value="sha">SHA</option><option value="sha256">SHA-256</option></select></label>
        {secret('authKey', 'Authentication key (8+ characters)')}
        <label>Privacy<select value={c.privProtocol} onChange={set('privProtocol')}><option value="aes">AES-128</option><option value="aes256">AES-256</option></select></label>
        {secret('privKey', 'Privacy key (8+ characters)')}
      </>}
    </div>
  );
}

/** Sets one credential: the default, or one device's own (`serial`); the current one is described from GET /api/v1/credentials. */
export function CredentialForm(p: { serial?: string; current?: Stored | null; onSaved?: (r: Saved) => void }) {
  const [c, setC] = useState<Cred>({ ...EMPTY_V2 });
  const a = useAction();
  return (
    <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => { const r = p.serial ? await call('PUT /api/v1/devices/:serial/credentials', { params: { serial: p.serial }, body: toCredential(c) }) : await call('PUT /api/v1/credentials/default', { body: toCredential(c) }); setC(c.version === '3' ? { ...EMPTY_V3, user: c.user } : { ...EMPTY_V2 }); p.onSaved?.(r); return 'Saved. The secrets are stored encrypted and are not shown again.'; }); }}>
      {p.current !== undefined && <p class="muted">Stored: {describe(p.current)}</p>}
      <Fields value={c} onChange={setC} errors={fieldErrors(a.error)} />
      <ErrorText error={a.error} /><Done text={a.done} />
      <div class="row">
        <button type="submit" class="primary" disabled={a.busy}>Save credential</button>
        {p.serial && <button type="button" disabled={a.busy} onClick={() => void a.run(async () => { await call('DELETE /api/v1/devices/:serial/credentials', { params: { serial: p.serial! } }); return 'Removed: the default and the global list apply.'; })}>Remove override</button>}
      </div>
    </form>
  );
}

function GlobalList(p: { current: Stored[]; onSaved: (r: Saved) => void }) {
  const [list, setList] = useState<Cred[]>([]);
  const a = useAction();
  const errors = fieldErrors(a.error);
  return (
    <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => { p.onSaved(await call('PUT /api/v1/credentials/global', { body: list.map(toCredential) })); setList([]); return 'The global list was replaced.'; }); }}>
      <ol>{p.current.map((c, i) => <li key={i}>{describe(c)}</li>)}</ol>
      {p.current.length === 0 && <p class="muted">Empty.</p>}
      <p class="muted">Secrets cannot be read back, so the list is replaced as a whole: enter every credential it should hold.</p>
      {list.map((c, i) => (
        <fieldset key={i}><legend>Credential {i + 1} <button type="button" class="small" onClick={() => setList(list.filter((_, j) => j !== i))}>remove</button></legend>
          <Fields value={c} onChange={(n) => setList(list.map((x, j) => (j === i ? n : x)))} errors={errors} prefix={`${i}.`} /></fieldset>
      ))}
      <ErrorText error={a.error} /><Done text={a.done} />
      <div class="row">
        <button type="button" onClick={() => setList([...list, { ...EMPTY_V2 }])}>Add a credential</button>
        <button type="submit" class="primary" disabled={a.busy}>{list.length ? `Replace the list with these ${list.length}` : 'Clear the list'}</button>
      </div>
    </form>
  );
}

export function Credentials() {
  const q = useRoute('GET /api/v1/credentials');
  return (
    <Page title="Credentials">
      <Loaded q={q} what="SNMP credentials">{(d) => <>
        <p class="muted">Order tried for each printer: its own credential, then the default, then the global list; what worked is remembered per printer.</p>
        <Card title="Default credential"><CredentialForm current={d.default} onSaved={q.setData} /></Card>
        <Card title="Global list"><GlobalList current={d.global ?? []} onSaved={q.setData} /></Card>
      </>}</Loaded>
    </Page>
  );
}
