// Instant-On: accept announcements, automatic remediation with the Initial Assessment Policy, device
// authentication and the serial-number list. Enabling shows the firewall reminder (TCP 3329), as the
// vendor product does.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { Card, Done, ErrorText, Loaded, NotAvailable, Page, useAction, useApi } from '../ui.tsx';

const REMINDER = 'Printers announce to TCP port 3329 on this appliance: make sure every firewall between the printers and the appliance allows it.';

function SerialList() {
  const q = useApi<any>('/api/v1/serial-list');
  const [text, setText] = useState('');
  const [result, setResult] = useState<any>();
  const a = useAction();
  if (q.missing) return <NotAvailable what="the serial-number list" />;
  const serials: string[] = (q.data?.serials ?? []).map((s: any) => (typeof s === 'string' ? s : s.serial ?? s.serialNumber));
  const pending = new Set<string>(q.data?.pending ?? []);
  const unlisted: any[] = q.data?.unlisted ?? [];
  return (
    <>
      <Loaded q={q} what="the serial-number list">{() => (
        <>
          <p class="muted">{serials.length} listed serial number(s); {pending.size} not seen yet (marked *).</p>
          {serials.length > 0 && <ul class="chips">{serials.slice(0, 300).map((s) => (
            <li key={s}>{s}{pending.has(s) ? '*' : ''} <button type="button" class="small" aria-label={`remove ${s}`} onClick={() => void a.run(async () => { await api('DELETE', `/api/v1/serial-list/${encodeURIComponent(s)}`); await q.reload(); })}>×</button></li>))}</ul>}
          {unlisted.length > 0 && <>
            <h3>Unlisted announcers (refused with serial-not-listed)</h3>
            <ul class="plain">{unlisted.map((u) => { const s = typeof u === 'string' ? u : u.serialNumber ?? u.serial; return (
              <li key={s}>{s} <small class="muted">{u.lastSeen ? `last tried ${new Date(u.lastSeen).toLocaleString()}` : ''}</small> <button type="button" class="small" onClick={() => void a.run(async () => { await api('POST', `/api/v1/serial-list/${encodeURIComponent(s)}`); await q.reload(); })}>Add to list</button></li>); })}</ul>
          </>}
        </>
      )}</Loaded>
      <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => { setResult(await api('POST', '/api/v1/serial-list', text, { text: true })); setText(''); await q.reload(); }); }}>
        <label>Add serial numbers (one a line; blank lines and # comments allowed)
          <textarea rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} /></label>
        <label class="file">or a text file <input type="file" accept=".txt,.csv,text/plain" onChange={async (e) => { const f = e.currentTarget.files?.[0]; if (f) setText(await f.text()); }} /></label>
        <button type="submit" disabled={a.busy || !text.trim()}>Import</button>
      </form>
      {result && <div class="notice ok">Added {result.added}, duplicates {result.duplicates}
        {result.invalidCount ? `, ${result.invalidCount} invalid: ${result.invalid.map((i: any) => `line ${i.line} (${i.reason})`).join('; ')}${result.invalidCount > result.invalid.length ? ` (the first ${result.invalid.length} shown)` : ''}` : ''}
        {result.listFull ? `; ${result.listFull} not added: the list holds at most ${result.maxListed} serials` : ''}.</div>}
      <ErrorText error={a.error} />
    </>
  );
}

// The autogroup triggers (the reference's names), each in one sentence; they are ordinary settings.
const TRIGGERS: [key: string, label: string, sentence: string][] = [
  ['skipInstantOnPolicy', 'A — Skip the Initial Assessment Policy for group members (skipInstantOnPolicy)',
    'After an announcement a device with a group policy gets only that policy; without this the Initial Assessment Policy is applied first and the group policy after it, and a device without a group policy always gets the initial one.'],
  ['autoGroupDiscoveryAutoRemediationEnable', 'B — Remediate on discovery (autoGroupDiscoveryAutoRemediationEnable)',
    'A printer found by a discovery sweep or a manual address that is new in an autogroup with a policy is remediated with its group policy at once.'],
  ['autoGroupDailyRefreshAutoRemediationEnable', 'C — Remediate at an interval (autoGroupDailyRefreshAutoRemediationEnable)',
    'Every interval below (counted from start) the filters are re-run and the devices that joined an autogroup with a policy since the last run get their group policy.'],
  ['autoGroupEditAutoRemediationEnable', 'D — Remediate on edit (autoGroupEditAutoRemediationEnable)',
    'Editing an autogroup\'s filter or policy, or that policy itself, remediates every member of the group with its group policy.'],
];

function AutogroupTriggers() {
  const q = useApi<{ settings: { key: string; value: unknown; locked: boolean }[] }>('/api/v1/settings');
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const a = useAction();
  return (
    <Loaded q={q} what="settings">{(d) => {
      const cur = Object.fromEntries(d.settings.map((x) => [x.key, x]));
      const v = (k: string) => (k in draft ? draft[k] : cur[k]?.value);
      return (
        <form data-testid="trigger-form" onSubmit={(e) => { e.preventDefault(); void a.run(async () => { await api('PUT', '/api/v1/settings', draft); setDraft({}); await q.reload(); return 'Saved.'; }); }}>
          {TRIGGERS.map(([k, label, sentence]) => (
            <div key={k}>
              <label class="inline"><input type="checkbox" name={k} checked={!!v(k)} disabled={cur[k]?.locked} onChange={(e) => setDraft({ ...draft, [k]: e.currentTarget.checked })} /> {label}</label>
              <p class="help">{sentence}</p>
            </div>))}
          <label>Interval for C, d:h:m:s (autoGroupFilterExecutionFrequency)
            <input name="autoGroupFilterExecutionFrequency" value={String(v('autoGroupFilterExecutionFrequency') ?? '')} disabled={cur.autoGroupFilterExecutionFrequency?.locked}
              onInput={(e) => setDraft({ ...draft, autoGroupFilterExecutionFrequency: e.currentTarget.value })} /></label>
          <p class="help">1:0:0:0 re-runs the filters once a day, counted from the appliance's start; to remediate every member on a calendar, schedule a group assessment on the group's page.</p>
          <ErrorText error={a.error} /><Done text={a.done} />
          <button type="submit" disabled={a.busy || Object.keys(draft).length === 0} data-testid="save-triggers">Save triggers</button>
        </form>
      );
    }}</Loaded>
  );
}

export function InstantOn() {
  const q = useApi<any>('/api/v1/instant-on');
  const policies = useApi<{ policies: { id: string; name: string }[] }>('/api/v1/policies');
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [reminder, setReminder] = useState('');
  const a = useAction();

  return (
    <Page title="Instant-On">
      <Loaded q={q} what="Instant-On settings">{(cur) => {
        const v = { ...cur, ...draft };
        const set = (k: string, val: unknown) => setDraft({ ...draft, [k]: val });
        const save = (e: Event) => {
          e.preventDefault();
          void a.run(async () => {
            const enabling = (draft.acceptAnnouncements === true && !cur.acceptAnnouncements) || (draft.allowAutomaticRemediation === true && !cur.allowAutomaticRemediation);
            const body = Object.fromEntries(Object.entries(draft).filter(([k, val]) => cur[k] !== val));
            const r = await api('PUT', '/api/v1/instant-on', body);
            q.setData({ ...cur, ...r });
            setDraft({});
            if (enabling || r.reminder) setReminder(r.reminder ?? REMINDER);
            return 'Saved.';
          });
        };
        return (
          <form onSubmit={save} data-testid="instant-on-form">
            {reminder && <div class="notice warn" role="alert" data-testid="firewall-reminder"><strong>Firewall:</strong> {reminder} <button type="button" class="small" onClick={() => setReminder('')}>OK</button></div>}
            <Card title="Announcements">
              <label class="inline"><input type="checkbox" name="acceptAnnouncements" checked={!!v.acceptAnnouncements} onChange={(e) => set('acceptAnnouncements', e.currentTarget.checked)} /> Accept device announcements</label>
              <p class="help">Off: printers are told discovery is disabled and nothing is recorded.</p>
              <label class="inline"><input type="checkbox" name="allowAutomaticRemediation" checked={!!v.allowAutomaticRemediation} onChange={(e) => set('allowAutomaticRemediation', e.currentTarget.checked)} /> Allow automatic remediation</label>
              <p class="help">On: every accepted announcement is assessed against the Initial Assessment Policy and only the settings that differ are changed, then verified (Secure at Install, Stay Secure). Off: discovery only.</p>
              <label>Initial Assessment Policy
                {policies.missing ? <NotAvailable what="policies" /> : (
                  <select name="initialPolicyId" value={String(v.initialPolicyId ?? '')} onChange={(e) => set('initialPolicyId', e.currentTarget.value)}>
                    <option value="">— none —</option>
                    {(policies.data?.policies ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                  </select>)}
              </label>
              <p class="help"><a href="#/policies/new">Create a policy</a></p>
            </Card>
            {('authentication' in cur || 'useSerialList' in cur) && (
              <Card title="Device authentication">
                {'authentication' in cur && <label>Mode<select value={String(v.authentication)} onChange={(e) => set('authentication', e.currentTarget.value)}>
                  <option value="none">No authentication (anonymous devices accepted)</option><option value="mutual">Mutual authentication (CA-signed device identity required)</option></select></label>}
                {'useSerialList' in cur && <label class="inline"><input type="checkbox" checked={!!v.useSerialList} onChange={(e) => set('useSerialList', e.currentTarget.checked)} /> Only process serial numbers on the list</label>}
              </Card>
            )}
            <ErrorText error={a.error} /><Done text={a.done} />
            <button type="submit" class="primary" disabled={a.busy || Object.keys(draft).length === 0} data-testid="save-instant-on">Save</button>
          </form>
        );
      }}</Loaded>
      <Card title="Autogroup remediation triggers"><p class="help">Trigger A is Instant-On itself (Allow automatic remediation above): the Initial Assessment Policy, then the device's <a href="#/groups">group policy</a>.</p><AutogroupTriggers /></Card>
      <Card title="Serial-number list"><SerialList /></Card>
    </Page>
  );
}
