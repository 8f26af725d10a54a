// Instant-On: accept announcements, automatic remediation with the Initial Assessment Policy, device
// authentication and the serial-number list. Enabling shows the firewall reminder with the port the
// appliance really listens on; turning remediation on offers to assess the printers already known; turning
// the serial filter on first shows the managed printers it would refuse (their Stay Secure would stop).
import { useState } from 'preact/hooks';
import { call, type Answer, type Body } from '../api.ts';
import { Card, Done, ErrorText, Loaded, Page, useAction, useRoute, When } from '../ui.tsx';

type SerialImport = Answer<'POST /api/v1/serial-list'>;
type InstantOnPut = Body<'PUT /api/v1/instant-on'>;

function ImportReport(p: { r: SerialImport }) {
  const { r } = p;
  const problems = r.invalidCount + r.listFull;
  // An import with refused lines is a warning, not a success: the admin has lines to fix.
  return (
    <div class={`notice ${problems ? 'warn' : 'ok'}`} role={problems ? 'alert' : 'status'} data-testid="import-report">
      {problems ? <strong>Imported with problems: </strong> : null}Added {r.added}, already listed {r.duplicates}, of {r.lines} line(s).
      {r.invalidCount > 0 && <> {r.invalidCount} line(s) refused{r.invalidCount > r.invalid.length ? ` (the first ${r.invalid.length} shown)` : ''}:
        <ul class="plain">{r.invalid.map((x) => <li key={x.line}>line {x.line}: {x.reason}</li>)}</ul></>}
      {r.listFull > 0 && <> {r.listFull} not added: the list holds at most {r.maxListed} serials.</>}
    </div>
  );
}

function SerialList(p: { q: ReturnType<typeof useSerialList> }) {
  const { q } = p;
  const [text, setText] = useState('');
  const [result, setResult] = useState<SerialImport>();
  const a = useAction();
  return (
    <>
      <Loaded q={q} what="the serial-number list">{(d) => {
        const known = d.serials.filter((x) => x.inDeviceTable).length;
        return (
          <>
            <p class="muted">{d.total} listed serial number(s): {known} already in the device table, {d.pending.length} not seen yet.</p>
            {d.serials.length > 0 && <ul class="chips" data-testid="serial-chips">{d.serials.slice(0, 300).map((x) => (
              <li key={x.serial} data-serial={x.serial}>{x.serial} <small class={x.inDeviceTable ? 'ok-text' : 'muted'}>{x.inDeviceTable ? 'in the device table' : 'not seen yet'}</small>
                {' '}<button type="button" class="small" aria-label={`Remove ${x.serial} from the list`} onClick={() => void a.run(async () => { await call('DELETE /api/v1/serial-list/:serial', { params: { serial: x.serial } }); await q.reload(); })}>×</button></li>))}</ul>}
            {d.serials.length > 300 && <p class="muted">and {d.serials.length - 300} more.</p>}
            {d.unlisted.length > 0 && <>
              <h3>Unlisted announcers (refused with serial-not-listed)</h3>
              <ul class="plain">{d.unlisted.map((u) => (
                <li key={u.serial}>{u.serial} <small class="muted">{u.model ?? ''} last tried <When at={u.lastSeen} /> from {u.peerAddress}</small> <button type="button" class="small" onClick={() => void a.run(async () => { await call('POST /api/v1/serial-list/:serial', { params: { serial: u.serial } }); await q.reload(); })}>Add to list</button></li>))}</ul>
            </>}
          </>
        );
      }}</Loaded>
      <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => { setResult(await call('POST /api/v1/serial-list', { text })); setText(''); await q.reload(); }); }}>
        <label>Add serial numbers (one a line; blank lines and # comments allowed)
          <textarea rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} /></label>
        <label class="file">or a text file <input type="file" accept=".txt,.csv,text/plain" onChange={async (e) => { const f = e.currentTarget.files?.[0]; if (f) setText(await f.text()); }} /></label>
        <button type="submit" disabled={a.busy || !text.trim()}>Import</button>
      </form>
      {result && <ImportReport r={result} />}
      <ErrorText error={a.error} />
    </>
  );
}

const useSerialList = () => useRoute('GET /api/v1/serial-list');

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
  const q = useRoute('GET /api/v1/settings');
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const a = useAction();
  return (
    <Loaded q={q} what="settings">{(d) => {
      const cur = Object.fromEntries(d.settings.map((x) => [x.key, x]));
      const v = (k: string) => (k in draft ? draft[k] : cur[k]?.value);
      return (
        <form data-testid="trigger-form" onSubmit={(e) => { e.preventDefault(); void a.run(async () => { await call('PUT /api/v1/settings', { body: draft }); setDraft({}); await q.reload(); return 'Saved.'; }); }}>
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
  const q = useRoute('GET /api/v1/instant-on');
  const policies = useRoute('GET /api/v1/policies');
  const serials = useSerialList();
  const [draft, setDraft] = useState<InstantOnPut>({});
  const [reminder, setReminder] = useState('');
  const [known, setKnown] = useState<{ count: number; policyId: string }>();
  const a = useAction();
  const assessKnown = useAction();

  return (
    <Page title="Instant-On">
      <Loaded q={q} what="Instant-On settings">{(cur) => {
        const v = { ...cur, ...draft };
        const set = <K extends keyof InstantOnPut>(k: K, val: InstantOnPut[K]) => setDraft({ ...draft, [k]: val });
        const changes = Object.fromEntries(Object.entries(draft).filter(([k, val]) => (cur as Record<string, unknown>)[k] !== val)) as InstantOnPut;
        const enablingFilter = changes.useSerialList === true;
        const offList = enablingFilter ? serials.data?.offList : undefined;
        const save = (addManaged: boolean) => void a.run(async () => {
          const r = await call('PUT /api/v1/instant-on', { body: { ...changes, ...(addManaged ? { addManagedToSerialList: true } : {}) } });
          q.setData(r);
          setDraft({});
          if (r.reminder) setReminder(r.reminder);
          if (r.knownDevices && r.initialPolicyId) setKnown({ count: r.knownDevices, policyId: r.initialPolicyId });
          if (r.serialsAdded !== undefined) await serials.reload();
          return r.serialsAdded ? `Saved; ${r.serialsAdded} managed printer(s) added to the serial-number list first.` : 'Saved.';
        });
        return (
          <form onSubmit={(e) => { e.preventDefault(); if (!offList?.count) save(false); }} data-testid="instant-on-form">
            {reminder && <div class="notice warn" role="alert" data-testid="firewall-reminder"><strong>Firewall:</strong> {reminder} <button type="button" class="small" onClick={() => setReminder('')}>OK</button></div>}
            {known && <div class="notice info" role="status" data-testid="assess-known">
              Automatic remediation reaches a printer when it next announces. {known.count} printer(s) are already known: assess and remediate them now with the Initial Assessment Policy?
              {' '}<button type="button" class="primary small" disabled={assessKnown.busy} data-testid="assess-known-now" onClick={() => void assessKnown.run(async () => {
                const r = await call('POST /api/v1/tasks', { body: { policyId: known.policyId, remediate: true } });
                setKnown(undefined);
                return 'taskId' in r ? `Started: task ${r.taskId} (see Tasks).` : 'Started.';
              })}>Assess and remediate {known.count} now</button> <button type="button" class="small" onClick={() => setKnown(undefined)}>Not now</button>
            </div>}
            <ErrorText error={assessKnown.error} /><Done text={assessKnown.done} />
            <Card title="Announcements">
              <label class="inline"><input type="checkbox" name="acceptAnnouncements" checked={v.acceptAnnouncements} onChange={(e) => set('acceptAnnouncements', e.currentTarget.checked)} /> Accept device announcements</label>
              <p class="help">Printers announce to TCP port <strong data-testid="announce-port">{cur.announcePort}</strong> on this appliance. Off: printers are told discovery is disabled and nothing is recorded.</p>
              <label class="inline"><input type="checkbox" name="allowAutomaticRemediation" checked={v.allowAutomaticRemediation} onChange={(e) => set('allowAutomaticRemediation', e.currentTarget.checked)} /> Allow automatic remediation</label>
              <p class="help">On: every accepted announcement is assessed against the Initial Assessment Policy and only the settings that differ are changed, then verified (Secure at Install, Stay Secure). Off: discovery only.</p>
              <label>Initial Assessment Policy
                <select name="initialPolicyId" value={String(v.initialPolicyId ?? '')} onChange={(e) => set('initialPolicyId', e.currentTarget.value)}>
                  <option value="">— none —</option>
                  {(policies.data?.policies ?? []).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
                </select>
              </label>
              <p class="help"><a href="#/policies/new">Create a policy</a></p>
            </Card>
            <Card title="Device authentication">
              <label>Mode<select value={v.authentication} onChange={(e) => set('authentication', e.currentTarget.value === 'mutual' ? 'mutual' : 'none')}>
                <option value="none">No authentication (anonymous devices accepted)</option><option value="mutual">Mutual authentication (CA-signed device identity required)</option></select></label>
              <label class="inline"><input type="checkbox" name="useSerialList" checked={v.useSerialList} onChange={(e) => set('useSerialList', e.currentTarget.checked)} /> Only process serial numbers on the list</label>
              {offList && offList.count > 0 && (
                <div class="notice warn" role="alert" data-testid="serial-filter-warning">
                  <strong>{offList.count} managed printer(s) are not on the serial-number list.</strong> With the filter on, their announcements are refused,
                  so Stay Secure stops for them (no more automatic remediation when they reboot or change address):
                  <ul class="plain">{offList.devices.slice(0, 20).map((x) => <li key={x.serial}><a href={`#/devices/${encodeURIComponent(x.serial)}`}>{x.serial}</a> <small class="muted">{x.model} · seen <When at={x.lastSeen} /></small></li>)}</ul>
                  {offList.count > 20 && <p class="muted">and {offList.count - 20} more.</p>}
                  <div class="row">
                    <button type="button" class="primary" data-testid="add-managed" disabled={a.busy} onClick={() => save(true)}>Add them to the list and turn the filter on</button>
                    <button type="button" disabled={a.busy} onClick={() => save(false)}>Turn the filter on anyway</button>
                  </div>
                </div>
              )}
            </Card>
            <ErrorText error={a.error} /><Done text={a.done} />
            <button type="submit" class="primary" disabled={a.busy || Object.keys(changes).length === 0 || (offList?.count ?? 0) > 0} data-testid="save-instant-on">Save</button>
          </form>
        );
      }}</Loaded>
      <Card title="Autogroup remediation triggers"><p class="help">Trigger A is Instant-On itself (Allow automatic remediation above): the Initial Assessment Policy, then the device's <a href="#/groups">group policy</a>.</p><AutogroupTriggers /></Card>
      <Card title="Serial-number list"><SerialList q={serials} /></Card>
    </Page>
  );
}
