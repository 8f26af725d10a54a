// Backup and restore (issue 16 §5), Teleporter-like: download one encrypted archive; restore one onto this
// appliance (everything is checked first; a refused archive changes nothing); scheduled backups to a folder.
import { useState } from 'preact/hooks';
import { call, csrf, ApiError, type Answer } from '../api.ts';
import { Card, Done, ErrorText, Loaded, Page, fmtTime, useAction, useRoute } from '../ui.tsx';

async function send(path: string, body: BodyInit, headers: Record<string, string>): Promise<Response> {
  const res = await fetch(path, { method: 'POST', body, headers: { 'x-csrf-token': csrf(), ...headers }, credentials: 'same-origin' });
  if (!res.ok) {
    const err = ((await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } }).error ?? {};
    throw new ApiError(res.status, err.code ?? 'error', err.message ?? `${res.status}`, err.details);
  }
  return res;
}

export function Backup() {
  const schedule = useRoute('GET /api/v1/backup/schedule');
  const [make, setMake] = useState({ passphrase: '', devices: false });
  const [restore, setRestore] = useState<{ file?: File; passphrase: string }>({ passphrase: '' });
  const [sched, setSched] = useState('');
  const a = useAction();
  const download = (e: Event) => {
    e.preventDefault();
    void a.run(async () => {
      const res = await send('/api/v1/backup', JSON.stringify(make), { 'content-type': 'application/json' });
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'instant-on-edge-backup.tar.gz';
      const url = URL.createObjectURL(await res.blob());
      const link = Object.assign(document.createElement('a'), { href: url, download: name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return `Downloaded ${name}. Keep the passphrase: without it the archive cannot be restored.`;
    });
  };
  const upload = (e: Event) => {
    e.preventDefault();
    if (!restore.file) return;
    if (!confirm('Replace this appliance\'s configuration with the archive\'s? Its components restart afterwards.')) return;
    void a.run(async () => {
      const r = (await (await send('/api/v1/restore', restore.file!, { 'content-type': 'application/gzip', 'x-backup-passphrase': restore.passphrase })).json()) as Answer<'POST /api/v1/restore'>;
      return `Restored ${Object.entries(r.restored).map(([k, n]) => `${k} ${n}`).join(', ')} from ${r.archive.listenerId} (${fmtTime(r.archive.createdAt)}). ${r.restart === 'restarting' ? 'The appliance is restarting; sign in again in a moment.' : 'Restart the appliance to use it.'}`;
    });
  };
  return (
    <Page title="Backup">
      <ErrorText error={a.error} /><Done text={a.done} />
      <Card title="Make a backup">
        <form class="fields" onSubmit={download}>
          <label>Passphrase (12 characters or more)<input type="password" autocomplete="new-password" value={make.passphrase} onInput={(e) => setMake({ ...make, passphrase: e.currentTarget.value })} /></label>
          <label class="inline"><input type="checkbox" checked={make.devices} onChange={(e) => setMake({ ...make, devices: e.currentTarget.checked })} /> Include devices and their history</label>
          <button type="submit" class="primary" disabled={a.busy}>Download backup</button>
        </form>
        <p class="muted">Settings, policies, groups, schedules, SNMP credentials, trusted CAs, CRLs, the appliance CA and identity, the serial list and secondary listeners, encrypted under the passphrase.</p>
      </Card>
      <Card title="Restore a backup">
        <form class="fields" onSubmit={upload}>
          <label>Archive<input type="file" accept=".gz,application/gzip" onChange={(e) => setRestore({ ...restore, file: e.currentTarget.files?.[0] })} /></label>
          <label>Its passphrase<input type="password" autocomplete="off" value={restore.passphrase} onInput={(e) => setRestore({ ...restore, passphrase: e.currentTarget.value })} /></label>
          <button type="submit" class="danger" disabled={a.busy || !restore.file}>Restore</button>
        </form>
      </Card>
      <Card title="Scheduled backups">
        <Loaded q={schedule} what="scheduled backups">{(s) => (
          <>
            <p>{s.enabled ? `Every ${s.intervalHours} h to ${s.folder}, keeping ${s.keep}${s.devices ? ', with devices' : ''}.` : 'Off: set backupFolder in Settings and store a passphrase here.'}
              {s.last && <> Last: {fmtTime(s.last.at)} {s.last.error ? <span class="danger">failed: {s.last.error}</span> : s.last.file}.</>}</p>
            <form class="row" onSubmit={(e) => { e.preventDefault(); void a.run(async () => { schedule.setData(await call('PUT /api/v1/backup/passphrase', { body: { passphrase: sched } })); setSched(''); return 'Passphrase stored for scheduled backups.'; }); }}>
              <input type="password" aria-label="Passphrase for scheduled backups" placeholder={s.passphraseSet ? 'passphrase stored (enter to replace)' : 'passphrase for scheduled backups'} value={sched} onInput={(e) => setSched(e.currentTarget.value)} />
              <button type="submit" disabled={a.busy || !sched}>Store passphrase</button>
              <button type="button" disabled={a.busy || !s.enabled} onClick={() => void a.run(async () => { const r = await call('POST /api/v1/backup/run'); await schedule.reload(); return `Written ${r.file}.`; })}>Back up now</button>
            </form>
            {s.files.length > 0 && <ul class="plain">{s.files.map((f) => <li key={f} class="mono">{f}</li>)}</ul>}
          </>
        )}</Loaded>
      </Card>
    </Page>
  );
}
