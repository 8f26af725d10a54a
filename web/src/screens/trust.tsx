// Certificates (issue 7): the appliance identity (CSR out, signed certificate in), trusted CAs, CRLs, and
// the built-in appliance CA for sites without their own (sign device CSRs, revoke).
import { useState } from 'preact/hooks';
import { call, callText, csrf } from '../api.ts';
import { Badge, Card, Copy, Done, ErrorText, fmtTime, Loaded, Page, useAction, useRoute } from '../ui.tsx';

function PemAction(p: { label: string; placeholder: string; run: (pem: string) => Promise<string> }) {
  const [pem, setPem] = useState('');
  const a = useAction();
  return (
    <form onSubmit={(e) => { e.preventDefault(); void a.run(async () => { const msg = await p.run(pem); setPem(''); return msg; }); }}>
      <textarea rows={4} aria-label={p.label} placeholder={p.placeholder} value={pem} onInput={(e) => setPem(e.currentTarget.value)} />
      <label class="file">or a file <input type="file" accept=".pem,.crt,.cer,.crl,.der,.csr" onChange={async (e) => { const f = e.currentTarget.files?.[0]; if (f) setPem(await f.text()); }} /></label>
      <button type="submit" disabled={a.busy || !pem.trim()}>{p.label}</button>
      <ErrorText error={a.error} /><Done text={a.done} />
    </form>
  );
}

export function Trust() {
  const identity = useRoute('GET /api/v1/pki/identity');
  const cas = useRoute('GET /api/v1/pki/trusted-cas');
  const crls = useRoute('GET /api/v1/pki/crls');
  const issued = useRoute('GET /api/v1/pki/device-certificates');
  const [csrText, setCsrText] = useState('');
  const [signed, setSigned] = useState('');
  const a = useAction();
  return (
    <Page title="Certificates">
      <ErrorText error={a.error} />
      <Card title="This appliance's identity">
        <Loaded q={identity} what="the identity">{(id) => <>
          <p>{id.subject} <br /><small class="muted mono">SHA-256 {id.fingerprint256}</small></p>
          <div class="row">
            <button type="button" onClick={() => void a.run(async () => setCsrText(await callText('GET /api/v1/pki/csr')))}>Make a CSR</button>
            {csrText && <Copy text={csrText} />}
          </div>
          {csrText && <pre class="json">{csrText}</pre>}
          <h3>Install the signed certificate</h3>
          <PemAction label="Install certificate and chain" placeholder="-----BEGIN CERTIFICATE----- (the signed certificate, then its chain)"
            run={async (pem) => { await call('PUT /api/v1/pki/identity', { text: pem }); await identity.reload(); return 'Installed: new connections use it.'; }} />
        </>}</Loaded>
      </Card>
      <Card title="Trusted CAs (for mutual authentication of printers)">
        <Loaded q={cas} what="trusted CAs">{(d) => d.cas.length === 0 ? <p class="muted">None.</p> : (
          <ul class="plain">{d.cas.map((c) => (
            <li key={c.fingerprint}><span>{c.subject} <small class="muted">until {fmtTime(c.notAfter)}</small></span>
              <button type="button" class="small danger" onClick={() => void a.run(async () => { await call('DELETE /api/v1/pki/trusted-cas/:fingerprint', { params: { fingerprint: c.fingerprint } }); await cas.reload(); })}>Remove</button></li>))}</ul>
        )}</Loaded>
        <PemAction label="Add trusted CA" placeholder="-----BEGIN CERTIFICATE-----"
          run={async (pem) => { const r = await call('POST /api/v1/pki/trusted-cas', { text: pem }); await cas.reload(); return `Added ${r.added.length}, already trusted ${r.alreadyTrusted.length}${r.rejected.length ? `, refused ${r.rejected.length}` : ''}.`; }} />
      </Card>
      <Card title="Certificate revocation lists">
        <Loaded q={crls} what="CRLs">{(d) => d.crls.length === 0 ? <p class="muted">None.</p> : (
          <ul class="plain">{d.crls.map((c) => (
            <li key={c.fingerprint}><span>{c.issuer} · {c.revokedCount} revoked · next update {fmtTime(c.nextUpdate)}</span>{c.stale ? <Badge status="failed" title="past its next update" /> : <Badge status="ok" />}</li>))}</ul>
        )}</Loaded>
        <PemAction label="Import CRL" placeholder="-----BEGIN X509 CRL-----"
          run={async (pem) => { const r = await call('POST /api/v1/pki/crls', { text: pem }); await crls.reload(); return `Imported ${r.imported.length}${r.stale ? `, ${r.stale} stale` : ''}.`; }} />
      </Card>
      <Card title="Appliance CA (for sites without their own)">
        <p><a href={`/api/v1/pki/ca?csrf=${encodeURIComponent(csrf())}`} download="appliance-ca.pem">Download the CA certificate</a> — install it on printers as their trusted CA.</p>
        <PemAction label="Sign device CSR" placeholder="-----BEGIN CERTIFICATE REQUEST-----"
          run={async (pem) => { const r = await call('POST /api/v1/pki/device-certificates', { text: pem }); setSigned(r.certificate); await issued.reload(); return `Signed serial ${r.record.serial}.`; }} />
        {signed && <><div class="row"><Copy text={signed} /></div><pre class="json">{signed}</pre></>}
        <Loaded q={issued} what="issued certificates">{(d) => d.issued.length === 0 ? <p class="muted">Nothing issued yet.</p> : (
          <ul class="plain">{d.issued.map((c) => (
            <li key={c.serial}><span>{c.subject} <small class="muted mono">{c.serial}</small></span>
              {c.revokedAt ? <Badge status="cancelled" title={`revoked ${c.revokedAt}`} /> : <button type="button" class="small danger" onClick={() => { if (confirm(`Revoke ${c.subject}?`)) void a.run(async () => { await call('DELETE /api/v1/pki/device-certificates/:serial', { params: { serial: c.serial } }); await issued.reload(); }); }}>Revoke</button>}</li>))}</ul>
        )}</Loaded>
      </Card>
    </Page>
  );
}
