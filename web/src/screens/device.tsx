// One device: attributes, the latest assessment per setting, assessment history as diffs, announcement
// history, assess/remediate now, and a per-device SNMP credential.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.ts';
import { useBox } from '../store.ts';
import { deviceTick } from '../live.ts';
import { loadCatalog, type CatalogEntry } from '../catalog.ts';
import { complianceOf, FOUND_LABEL, foundWays, tooOften, type DeviceFull } from '../device.ts';
import { Badge, Card, Done, ErrorText, fmtTime, fmtValue, Loaded, Page, useAction, useRoute, When } from '../ui.tsx';
import { CredentialForm } from './credentials.tsx';

function useCatalog() {
  const [cat, setCat] = useState<Record<string, CatalogEntry>>({});
  useEffect(() => { loadCatalog().then((l) => setCat(Object.fromEntries(l.map((c) => [c.id, c]))), () => undefined); }, []);
  return cat;
}

function AssessNow(p: { serial: string }) {
  const policies = useRoute('GET /api/v1/policies');
  const [policyId, setPolicyId] = useState('');
  const [remediate, setRemediate] = useState(true);
  const a = useAction();
  const list = policies.data?.policies ?? [];
  const chosen = policyId || list[0]?.id || '';
  return (
    <form class="row" onSubmit={(e) => { e.preventDefault(); void a.run(async () => {
      const r = await call('POST /api/v1/devices/:serial/assess', { params: { serial: p.serial }, body: { policyId: chosen, remediate } });
      return `Started task ${r.taskId}: the result appears here when it finishes.`;
    }); }}>
      <select aria-label="Policy to assess with" value={chosen} onChange={(e) => setPolicyId(e.currentTarget.value)}>
        {list.length === 0 && <option value="">no policy yet</option>}
        {list.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
      </select>
      <label class="inline"><input type="checkbox" checked={remediate} onChange={(e) => setRemediate(e.currentTarget.checked)} /> remediate</label>
      <button type="submit" class="primary" disabled={a.busy || !chosen} data-testid="assess-now">{remediate ? 'Assess and remediate now' : 'Assess now'}</button>
      <ErrorText error={a.error} /><Done text={a.done} />
    </form>
  );
}

const short = (fp?: string) => (fp ? `${fp.slice(0, 23)}…` : '');

type Certificate = NonNullable<NonNullable<DeviceFull['identity']>['presented']>;

function Cert(p: { c?: Certificate | null; label: string }) {
  if (!p.c) return <><dt>{p.label}</dt><dd class="muted">none presented</dd></>;
  return (<>
    <dt>{p.label}</dt>
    <dd><span class="mono" title={p.c.fingerprint256}>SHA-256 {short(p.c.fingerprint256)}</span><br />
      {p.c.subject}{p.c.selfSigned ? ' (self-signed)' : p.c.issuer ? ` — issued by ${p.c.issuer}` : ''}<br />
      <small class="muted">valid {p.c.validFrom ? fmtTime(p.c.validFrom) : '?'} – {p.c.validTo ? fmtTime(p.c.validTo) : '?'}</small></dd>
  </>);
}

/** What the device presents on 3329, whether it is the identity on record, where SNMP goes, and approval. */
function Identity(p: { d: DeviceFull; reload: () => void }) {
  const id: Partial<NonNullable<DeviceFull['identity']>> = p.d.identity ?? {};
  const a = useAction();
  const mismatch = id.addressMismatch;
  return (
    <Card title={<>Identity {id.pending ? <span class="badge bad" data-testid="identity-changed">identity changed{id.held ? ' — SNMP held' : ''}</span> : <span class="badge ok">as on record</span>}</>}>
      <dl class="kv" data-testid="identity">
        <dt>SNMP goes to</dt><dd class="mono" data-testid="snmp-target">{p.d.peerAddress}</dd>
        {mismatch && <><dt>Claimed address</dt><dd data-testid="address-mismatch"><span class="badge warn">mismatch</span> the announcement named <span class="mono">{mismatch.claimed.join(', ')}</span> but came from <span class="mono">{mismatch.actual}</span> (since {fmtTime(mismatch.at)}); SNMP is only sent to where it came from</dd></>}
        <Cert c={id.presented} label="Presents" />
        {id.pending && <Cert c={id.onRecord} label="On record" />}
        {id.lastChange && <><dt>Last change</dt><dd>{fmtTime(id.lastChange.at)}: from <span class="mono">{id.lastChange.fromAddress}</span> to <span class="mono">{id.lastChange.toAddress}</span></dd></>}
        {id.approved && <><dt>Approved</dt><dd>{fmtTime(id.approved.at)} by {id.approved.by}</dd></>}
      </dl>
      {id.pending && (
        <div class="row">
          <p class="muted">{id.held ? 'strictDeviceIdentity is on: this device gets no SNMP (its credentials are held) until the new identity is approved.'
            : 'Check that this is still the printer (a formatter replacement or a new certificate changes it); turn on strictDeviceIdentity to hold SNMP for such devices.'}</p>
          <button type="button" class="primary" disabled={a.busy} data-testid="approve-identity" onClick={() => void a.run(async () => {
            await call('POST /api/v1/devices/:serial/identity/approve', { params: { serial: p.d.serialNumber } });
            p.reload();
            return 'The presented certificate is now the identity on record.';
          })}>Approve the new identity</button>
        </div>
      )}
      <ErrorText error={a.error} /><Done text={a.done} />
    </Card>
  );
}

function Diff(p: { changes?: Record<string, { from?: unknown; to?: unknown }>; cat?: Record<string, CatalogEntry> }) {
  const entries = Object.entries(p.changes ?? {});
  if (!entries.length) return null;
  return <ul class="diff">{entries.map(([k, v]) => <li key={k}><span class="k">{p.cat?.[k]?.title ?? k}</span> <del>{fmtValue(v.from)}</del> → <ins>{fmtValue(v.to)}</ins></li>)}</ul>;
}

export function DeviceDetail(p: { serial: string }) {
  const q = useRoute('GET /api/v1/devices/:serial', { params: { serial: p.serial } });
  const tick = useBox(deviceTick);
  const cat = useCatalog();
  // Live: refetch when an event about this device arrives (a new assessment, a re-announcement).
  useEffect(() => { if (tick.serial === p.serial) void q.reload(); }, [tick.n]);

  return (
    <Page title={p.serial} actions={<a href="#/devices">← All devices</a>}>
      <Loaded q={q} what="device details">{(d) => {
        const c = d.compliance;
        const flood = tooOften(d);
        const history = d.history;
        const assessments = history.filter((h) => h.kind === 'assessment' || h.assessment);
        const announcements = history.filter((h) => !(h.kind === 'assessment' || h.assessment));
        return (
          <>
            <div class="grid">
              <Card title="Device">
                <dl class="kv">
                  <dt>Model</dt><dd>{d.model}</dd>
                  <dt>Found by</dt><dd data-testid="found-by">{foundWays(d).map((w) => (
                    <div key={w.way}><strong>{w.label}</strong> <small class="muted">first {fmtTime(w.first)}, last {fmtTime(w.last)}</small></div>))}
                    {d.vendor === 'other' && <span class="badge warn" title="A printer of another maker: listed, but no catalog setting applies">not HP</span>}</dd>
                  <dt>MAC</dt><dd class="mono">{d.macAddress}</dd>
                  <dt>IP</dt><dd class="mono">{d.ipv4 ?? '—'}{d.ipv6?.length ? ` · ${d.ipv6.join(', ')}` : ''}</dd>
                  <dt>Host name</dt><dd>{d.hostname ?? '—'}</dd>
                  <dt>Firmware</dt><dd>{d.firmware ?? '—'}</dd>
                  <dt>Last seen</dt><dd><When at={d.lastSeen} /></dd>
                  <dt>Last announcement</dt><dd>{d.announceCount ? <><When at={d.foundBy?.announcement?.last ?? d.lastSeen} /> ({d.lastReason}), {d.announceCount} in total</> : 'never announced'}{flood && <span class="badge warn">too often: {flood.lastHour}/h</span>}</dd>
                  <dt>First seen</dt><dd>{fmtTime(d.firstSeen)}</dd>
                  <dt>Authentication</dt><dd>{d.authMethod ?? '—'}{d.clientCert ? ` — ${d.clientCert.subject}` : ''}</dd>
                </dl>
              </Card>
              <Card title={<>Compliance <Badge status={complianceOf(d)} /></>}>
                {c ? <p class="muted">Policy <strong>{c.policyName}</strong>, {fmtTime(c.at)}{c.remediate ? ', with remediation' : ', assessment only'}{c.detail ? ` — ${c.detail}` : ''}</p>
                  : <p class="muted">Not assessed yet.</p>}
                {c?.credentialProblem && <p class="notice warn" data-testid="credential-problem"><strong>SNMP credential:</strong> {c.credentialProblem}. Fix the credential below, or remove it so the default applies. <a href="#/alerts/snmp-credentials">Alert</a></p>}
                {d.credentialRef && <p class="muted">Answered with the {d.credentialRef.source === 'global' ? `global credential #${(d.credentialRef.index ?? 0) + 1}` : d.credentialRef.source === 'device' ? 'credential set for this device' : 'default credential'}.</p>}
                <AssessNow serial={d.serialNumber} />
              </Card>
              <Identity d={d} reload={() => void q.reload()} />
            </div>
            {c && c.settings.length > 0 && (
              <Card title="Settings (latest run)">
                <div class="table-wrap"><table data-testid="settings-result">
                  <thead><tr><th>Setting</th><th>Expected</th><th class="wide">Before</th><th>Actual</th><th class="wide">Changed</th><th>Outcome</th></tr></thead>
                  <tbody>{c.settings.map((s) => (
                    <tr key={s.id} class={s.changed ? 'changed' : ''}>
                      <td title={cat[s.id]?.help}>{cat[s.id]?.title ?? s.id}</td><td>{fmtValue(s.expected)}</td><td class="wide">{fmtValue(s.before)}</td>
                      <td>{fmtValue(s.actual)}{s.note && <div class="help" data-testid="setting-note">{s.note}</div>}</td><td class="wide">{s.changed ? 'changed' : ''}</td>
                      <td><Badge status={s.outcome} title={s.setAnswer ?? s.deviceAnswer} /></td>
                    </tr>))}</tbody>
                </table></div>
              </Card>
            )}
            <Card title="Groups">
              {(d.groups ?? []).length === 0 ? <p class="muted">In no group.</p> : (
                <ul class="plain" data-testid="device-groups">{(d.groups ?? []).map((g) => (
                  <li key={g.id}><a href={`#/groups/${g.id}`}>{g.name}</a> <small class="muted">{g.kind === 'auto' ? 'autogroup' : 'manual'} · priority {g.priority} · {g.policyName ? `policy ${g.policyName}` : 'no policy'} · joined <When at={g.joinedAt} /></small></li>))}</ul>)}
              <p data-testid="group-policy">{d.groupPolicy ? <>Group policy: <strong>{d.groupPolicy.policyName}</strong> from <a href={`#/groups/${d.groupPolicy.groupId}`}>{d.groupPolicy.groupName}</a> — {d.groupPolicy.reason}.</>
                : <span class="muted">No group policy: Instant-On applies the Initial Assessment Policy only.</span>}</p>
            </Card>
            <Card title={`Assessment history (${assessments.length})`}>
              {assessments.length === 0 ? <p class="muted">No assessment recorded.</p> : (
                <ol class="timeline">{assessments.map((h) => (
                  <li key={h.seq} data-seq={h.seq}><span class="when">{fmtTime(h.at)}</span> <Badge status={h.assessment?.status ?? 'unknown'} /> {h.assessment?.policyName} <small class="muted" data-testid="history-trigger">({h.assessment?.triggerLabel ?? 'trigger not recorded'})</small>
                    <Diff changes={h.assessment?.changed} cat={cat} />
                    {(h.assessment?.nonCompliant.length ?? 0) > 0 && <div class="muted">still non-compliant: {h.assessment!.nonCompliant.map((x) => cat[x]?.title ?? x).join(', ')}</div>}
                  </li>))}</ol>
              )}
            </Card>
            <Card title={`History (${announcements.length})`}>
              <ol class="timeline">{announcements.map((h) => (
                <li key={h.seq}><span class="when">{fmtTime(h.at)}</span> {h.kind} {h.group ? <small class="muted">{h.group.name} ({h.group.cause})</small> : <small class="muted">{h.via && h.via !== 'announcement' ? `${FOUND_LABEL[h.via] ?? h.via} at` : `${h.reason ?? ''} from`} {h.peerAddress}{h.claimedAddresses ? ` (claimed ${h.claimedAddresses.join(', ')})` : ''}</small>}<Diff changes={h.changes} />
                  {h.identity && <div class="muted">certificate {short(h.identity.from?.fingerprint256) || 'none'} → {short(h.identity.to?.fingerprint256) || 'none'}{h.identity.approvedBy ? `, approved by ${h.identity.approvedBy}` : ''}</div>}</li>))}</ol>
            </Card>
            <Card title="SNMP credential for this device"><CredentialForm serial={d.serialNumber} /></Card>
          </>
        );
      }}</Loaded>
    </Page>
  );
}
