// Issue 7 end to end: device authentication modes against server modes (3×2), certificates issued and
// revoked by the appliance CA through the API, openssl s_client with and without a client certificate,
// and the serial-number list.
import test from 'ava';
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { SimPrinter, type DeviceAuthMode } from '../../appliance/src/sim/printer.ts';
import { createCsr } from '../../appliance/src/pki/csr.ts';
import { frameBytes, sampleAnnouncement } from '../fakes/hdap-raw-client.ts';

async function issue(web: number, token: string, serial: string) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csr = createCsr(keyPem, { subject: { CN: serial, O: 'HP' } });
  const r = await api(web, 'POST', '/api/v1/pki/device-certificates', { token, text: csr });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return { keyPem, certPem: r.body.certificate as string, serialHex: r.body.record.serial as string };
}

test('device modes × server modes behave as HDAP.md §2 says', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const serverCa = h.appliance.services.pki.identity().certPem; // the appliance identity is self-signed: it is its own CA
  const modes: DeviceAuthMode[] = ['none', 'mutual-preferred', 'mutual-required'];
  const expected: Record<string, Record<DeviceAuthMode, [string, string | undefined]>> = {
    none: { none: ['accepted', 'anonymous'], 'mutual-preferred': ['accepted', 'mutual'], 'mutual-required': ['accepted', 'mutual'] },
    mutual: { none: ['rejected:auth-required', 'anonymous'], 'mutual-preferred': ['accepted', 'mutual'], 'mutual-required': ['accepted', 'mutual'] },
  };
  let i = 0;
  for (const server of ['none', 'mutual'] as const) {
    t.is((await api(web, 'PUT', '/api/v1/instant-on', { token, body: { authentication: server } })).status, 200);
    for (const mode of modes) {
      const p = new SimPrinter({ index: 7000 + i++, serialPrefix: 'AUTH', authMode: mode, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
      if (mode !== 'none') { p.identity = await issue(web, token, p.serialNumber); p.caPem = serverCa; }
      await p.boot();
      const [want, method] = expected[server][mode];
      const got = p.lastAck?.status === 'accepted' ? 'accepted' : `rejected:${p.lastAck?.reason}`;
      t.is(got, want, `${mode} device, ${server} server`);
      t.is(p.lastAck?.authMethod as string | undefined, method, `${mode} device, ${server} server: authMethod`);
      t.is(p.status, want === 'accepted' ? 'Success' : 'Failed');
    }
  }

  // mutual-required without a CA certificate sends nothing; with the wrong CA it stops until the next trigger.
  const lone = new SimPrinter({ index: 7100, serialPrefix: 'AUTH', authMode: 'mutual-required', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.is(await lone.boot(), 'Failed');
  t.regex(lone.lastError!, /no identity certificate or CA/);
  t.is(h.appliance.registry.get(lone.serialNumber), undefined);
  lone.identity = await issue(web, token, lone.serialNumber);
  lone.caPem = (await api(web, 'GET', '/api/v1/pki/ca', { token })).body; // not the CA of the server's identity
  t.is(await lone.boot(), 'Failed');
  t.regex(lone.lastError!, /^server-untrusted/);
  t.true(lone.blocked);
  const before = h.appliance.listener.stats().announcements;
  await lone.announce('periodic');
  t.is(h.appliance.listener.stats().announcements, before, 'blocked: no contact on the periodic timer');
  lone.caPem = serverCa;
  t.is(await lone.powerCycle(), 'Success', 'the next real trigger tries again');
});

test('a certificate revoked through the appliance CA is refused as revoked; the device record names it', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_AUTHENTICATION: 'mutual' } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const p = new SimPrinter({ index: 7200, serialPrefix: 'REV', authMode: 'mutual-preferred', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  p.identity = await issue(web, token, p.serialNumber);
  t.is(await p.boot(), 'Success');
  t.like(h.appliance.registry.get(p.serialNumber)?.lastAuth, { method: 'mutual', result: 'ok' });
  const serialHex = (await api(web, 'GET', '/api/v1/pki/device-certificates', { token })).body.issued[0].serial;
  t.is((await api(web, 'DELETE', `/api/v1/pki/device-certificates/${serialHex}`, { token })).status, 204);
  t.is(await p.powerCycle(), 'Failed');
  t.like(p.lastAck, { status: 'rejected', reason: 'auth-failed' });
  // The refusal is written to the device record after the Acknowledge: wait for it, bounded.
  await waitFor(() => h.appliance.registry.get(p.serialNumber)?.lastAuth?.result === 'revoked', 10_000);
  t.like(h.appliance.registry.get(p.serialNumber)?.lastAuth, { result: 'revoked', mode: 'mutual' });
  const crls = (await api(web, 'GET', '/api/v1/pki/crls', { token })).body.crls;
  t.is(crls.length, 1);
  t.false(crls[0].stale);
});

/** An upload with any content type and raw bytes (the shared helper sends only text and JSON). */
async function upload(port: number, token: string, method: string, path: string, body: Buffer | string | undefined, contentType?: string): Promise<{ status: number; body: any }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
    if (contentType) headers['content-type'] = contentType;
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    const req = request({ host: '127.0.0.1', port, method, path, rejectUnauthorized: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

test('uploads: CA, CRL and identity take PEM and DER; every mistake is a 4xx naming it, never a 500', async (t) => {
  const h = await startTestAppliance();
  const pki = await OpensslPki.create();
  t.teardown(async () => { await h.stop(); await pki.cleanup(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  const leaf = await pki.issue('UPLOAD01', { issuer: 'root', key: 'ec-p256', ext: 'client' });
  await pki.revoke(leaf, 'root');
  const crlPem = await pki.crl('root');
  const p7bPath = `${pki.dir}/root.p7b`;
  await pki.openssl(['crl2pkcs7', '-nocrl', '-certfile', pki.other.certPath, '-outform', 'DER', '-out', p7bPath]);
  const p7b = await (await import('node:fs/promises')).readFile(p7bPath);
  const csrPem = (await pki.openssl(['req', '-new', '-key', leaf.keyPath, '-subj', '/CN=UPLOAD01', '-config', pki.configPath])).stdout;
  const keyDer = derOf(leaf.keyPem);

  // What should work, in the forms CAs hand out.
  const caDer = await upload(web, token, 'POST', '/api/v1/pki/trusted-cas', pki.root.der, 'application/pkix-cert');
  t.is(caDer.status, 201, JSON.stringify(caDer.body));
  t.is(caDer.body.added[0].subject, 'O=Instant-On Test, CN=Test Root CA');
  t.is((await upload(web, token, 'POST', '/api/v1/pki/trusted-cas', pki.root.certPem, 'text/plain')).body.alreadyTrusted.length, 1);
  t.is((await upload(web, token, 'POST', '/api/v1/pki/trusted-cas', p7b, 'application/octet-stream')).body.added[0].subject, 'O=Elsewhere, CN=Other CA');
  const crlDer = await upload(web, token, 'POST', '/api/v1/pki/crls', derOf(crlPem), 'application/pkix-crl');
  t.is(crlDer.status, 201, JSON.stringify(crlDer.body));
  t.is(crlDer.body.imported[0].revokedCount, 1);
  t.is((await upload(web, token, 'POST', '/api/v1/pki/crls', crlPem, 'application/x-pem-file')).status, 201);

  const mistakes: [string, string, Buffer | string | undefined, string | undefined, number, string, RegExp][] = [
    ['garbage text as a CA', '/api/v1/pki/trusted-cas', 'hello, this is not a certificate', 'text/plain', 400, 'malformed', /neither PEM nor DER/],
    ['random bytes as a CA', '/api/v1/pki/trusted-cas', Buffer.from('\x30\x82\xff\xff garbage'), 'application/pkix-cert', 400, 'malformed', /neither PEM nor DER/],
    ['DER sent as text/plain', '/api/v1/pki/trusted-cas', pki.root.der.toString('latin1'), 'text/plain', 400, 'malformed', /must be sent as application\/pkix-cert/],
    ['a CRL sent as a CA (PEM)', '/api/v1/pki/trusted-cas', crlPem, 'text/plain', 400, 'no-ca-imported', /a CRL \(PEM X509 CRL\) is not a CA certificate \(CRLs go to POST \/api\/v1\/pki\/crls\)/],
    ['a CRL sent as a CA (DER)', '/api/v1/pki/trusted-cas', derOf(crlPem), 'application/pkix-cert', 400, 'no-ca-imported', /a CRL is not a CA certificate/],
    ['a device certificate sent as a CA', '/api/v1/pki/trusted-cas', leaf.certPem, 'text/plain', 400, 'no-ca-imported', /not a CA certificate/],
    ['a CSR sent as a CA', '/api/v1/pki/trusted-cas', csrPem, 'text/plain', 400, 'no-ca-imported', /certificate request.*device CSRs go to/],
    ['a CA with its private key', '/api/v1/pki/trusted-cas', pki.root.certPem + pki.root.keyPem, 'text/plain', 400, 'wrong-kind', /private key.*was not stored/],
    ['a DER private key as a CA', '/api/v1/pki/trusted-cas', keyDer, 'application/octet-stream', 400, 'wrong-kind', /private key/],
    ['an empty text body', '/api/v1/pki/trusted-cas', '', 'text/plain', 400, 'empty-body', /CA certificate/],
    ['an empty binary body', '/api/v1/pki/trusted-cas', Buffer.alloc(0), 'application/pkix-cert', 400, 'empty-body', /empty/],
    ['no body at all', '/api/v1/pki/trusted-cas', undefined, undefined, 400, 'empty-body', /empty/],
    ['a PEM block that is not base64', '/api/v1/pki/trusted-cas', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', 'text/plain', 400, 'malformed', /not base64/],
    ['JSON', '/api/v1/pki/trusted-cas', JSON.stringify({ pem: pki.root.certPem }), 'application/json', 415, 'unsupported-media-type', /application\/pkix-cert/],
    ['more than the route takes', '/api/v1/pki/trusted-cas', Buffer.alloc(1024 * 1024 + 1, 0x30), 'application/octet-stream', 413, 'body-too-large', /larger than the 1 MiB/],
    ['a CA certificate sent as a CRL', '/api/v1/pki/crls', pki.root.der, 'application/pkix-crl', 400, 'no-crl-imported', /a certificate is not a CRL/],
    ['garbage as a CRL', '/api/v1/pki/crls', Buffer.from('not a crl at all'), 'application/pkix-crl', 400, 'malformed', /neither PEM nor DER/],
    ['a private key as a CRL', '/api/v1/pki/crls', leaf.keyPem, 'text/plain', 400, 'wrong-kind', /private key/],
    ['a CRL of an untrusted CA', '/api/v1/pki/crls', await pki.crl('impostor'), 'text/plain', 400, 'no-crl-imported', /does not verify/],
    ['an empty CRL upload', '/api/v1/pki/crls', Buffer.alloc(0), 'application/pkix-crl', 400, 'empty-body', /empty/],
    ['garbage as the identity', '/api/v1/pki/identity', Buffer.from('nope'), 'application/pkix-cert', 400, 'malformed', /neither PEM nor DER/],
    ['a CRL as the identity', '/api/v1/pki/identity', derOf(crlPem), 'application/pkix-cert', 400, 'wrong-kind', /a CRL, not a certificate/],
    ['a private key with the identity', '/api/v1/pki/identity', leaf.certPem + leaf.keyPem, 'text/plain', 400, 'wrong-kind', /private key/],
    ['a certificate for another key as the identity', '/api/v1/pki/identity', leaf.der, 'application/pkix-cert', 400, 'key-mismatch', /not for the appliance key/],
    ['an empty identity', '/api/v1/pki/identity', '', 'text/plain', 400, 'empty-body', /signed certificate/],
  ];
  for (const [name, path, body, type, status, code, message] of mistakes) {
    const method = path.endsWith('identity') ? 'PUT' : 'POST';
    const r = await upload(web, token, method, path, body, type);
    t.is(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
    t.is(r.body?.error?.code, code, name);
    t.regex(String(r.body?.error?.message), message, name);
  }
  // Nothing a mistake sent was kept, the earlier uploads are intact, and the appliance is still serving.
  const cas = (await api(web, 'GET', '/api/v1/pki/trusted-cas', { token })).body.cas;
  t.deepEqual(cas.map((c: any) => c.subject).sort(), ['O=Elsewhere, CN=Other CA', 'O=Instant-On Test, CN=Test Root CA']);
  t.is((await api(web, 'GET', '/api/v1/pki/crls', { token })).body.crls.length, 1);
  t.is((await api(web, 'GET', '/api/v1/health')).status, 200);

  // A device CSR as DER (application/pkcs10) is signed like a PEM one; a private key sent there is refused.
  const csrDer = derOf(csrPem);
  const issued = await upload(web, token, 'POST', '/api/v1/pki/device-certificates', csrDer, 'application/pkcs10');
  t.is(issued.status, 201, JSON.stringify(issued.body));
  t.regex(issued.body.certificate, /BEGIN CERTIFICATE/);
  const keyAsCsr = await upload(web, token, 'POST', '/api/v1/pki/device-certificates', leaf.keyPem, 'text/plain');
  t.is(keyAsCsr.status, 400);
  t.is(keyAsCsr.body.error.code, 'wrong-kind');

  // The identity as DER: the appliance's CSR signed by the test root, chain appended, one binary upload.
  const csr = (await api(web, 'GET', '/api/v1/pki/csr', { token })).body as string;
  const signed = await pki.signCsr(csr, { issuer: 'root', ext: 'client-server' });
  const installed = await upload(web, token, 'PUT', '/api/v1/pki/identity', Buffer.concat([derOf(signed), pki.root.der]), 'application/pkix-cert');
  t.is(installed.status, 200, JSON.stringify(installed.body));
  t.true(installed.body.installed);
});

test('the 3329 listener sees the whole chain a device sends: leaf → intermediate → trusted root accepted, then refused as revoked by the intermediate CRL', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_AUTHENTICATION: 'mutual' } });
  const pki = await OpensslPki.create();
  t.teardown(async () => { await h.stop(); await pki.cleanup(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  t.is((await upload(web, token, 'POST', '/api/v1/pki/trusted-cas', pki.root.der, 'application/pkix-cert')).status, 201);
  const good = await pki.issue('CHAIN00001', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
  const doomed = await pki.issue('CHAIN00002', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
  const send = (cert: typeof good, serial: string) =>
    sClient(h.appliance.announcePort, frameBytes(sampleAnnouncement(serial)), ['-cert', cert.certPath, '-key', cert.keyPath, '-cert_chain', pki.inter.certPath]).then(ackOf);
  t.like(await send(good, 'CHAIN00001'), { status: 'accepted', authMethod: 'mutual' });
  t.like(await send(doomed, 'CHAIN00002'), { status: 'accepted', authMethod: 'mutual' });
  t.like(h.appliance.registry.get('CHAIN00001')?.lastAuth, { method: 'mutual', result: 'ok', subject: 'O=Instant-On Test, CN=CHAIN00001' });

  // The intermediate's CRL (uploaded with the intermediate that signed it) revokes one of them.
  await pki.revoke(doomed, 'inter');
  const crl = await upload(web, token, 'POST', '/api/v1/pki/crls', (await pki.crl('inter')) + pki.inter.certPem, 'text/plain');
  t.is(crl.status, 201, JSON.stringify(crl.body));
  t.like(await send(doomed, 'CHAIN00002'), { status: 'rejected', reason: 'auth-failed' });
  await waitFor(() => h.appliance.registry.get('CHAIN00002')?.lastAuth?.result === 'revoked', 10_000);
  t.like(h.appliance.registry.get('CHAIN00002')?.lastAuth, { result: 'revoked' });
  t.like(await send(good, 'CHAIN00001'), { status: 'accepted', authMethod: 'mutual' });
});

function sClient(port: number, frame: Buffer, args: string[] = []): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-quiet', '-no_ign_eof', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks)));
    p.stdin.write(frame);
    setTimeout(() => p.kill(), 8000).unref();
  });
}
const ackOf = (out: Buffer) => { const i = out.indexOf('HDAP'); return i < 0 ? undefined : JSON.parse(out.subarray(i + 10, i + 10 + out.readUInt32BE(i + 6)).toString()); };

test('openssl s_client in mutual mode: without a certificate auth-required, with an issued one accepted as mutual', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_AUTHENTICATION: 'mutual' } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const without = ackOf(await sClient(h.appliance.announcePort, frameBytes(sampleAnnouncement('SCLIENT01'))));
  t.like(without, { status: 'rejected', reason: 'auth-required', authMethod: 'anonymous' });
  const dir = mkdtempSync(join(tmpdir(), 'ioe-sc-'));
  const id = await issue(web, token, 'SCLIENT02');
  writeFileSync(join(dir, 'key.pem'), id.keyPem);
  writeFileSync(join(dir, 'cert.pem'), id.certPem);
  const withCert = ackOf(await sClient(h.appliance.announcePort, frameBytes(sampleAnnouncement('SCLIENT02')), ['-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem')]));
  t.like(withCert, { status: 'accepted', authMethod: 'mutual' });
  t.like(h.appliance.registry.get('SCLIENT02')?.lastAuth, { method: 'mutual', result: 'ok' });
});

test('serial-number list: import counts and line numbers; listed pass, unlisted are refused and shown', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const file = ['# contract 42', 'LIST000001', '', 'LIST000002  # second floor', 'LIST000001', 'bad serial!', 'x'.repeat(40), 'LIST000003', ''].join('\n');
  const r = await api(web, 'POST', '/api/v1/serial-list', { token, text: file });
  t.is(r.status, 200);
  t.is(r.body.added, 3);
  t.is(r.body.duplicates, 1);
  t.deepEqual(r.body.invalid.map((x: any) => x.line), [6, 7]);
  t.is((await api(web, 'POST', '/api/v1/serial-list', { token, text: 'LIST000003\n' })).body.duplicates, 1, 'already listed counts as a duplicate');
  t.is((await api(web, 'PUT', '/api/v1/instant-on', { token, body: { useSerialList: true } })).status, 200);
  const listed = new SimPrinter({ index: 1, serialPrefix: 'LIST00000', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  const ok = await api(web, 'POST', `/api/v1/serial-list/${listed.serialNumber}`, { token });
  t.is(ok.status, 201);
  t.is(await listed.boot(), 'Success');
  const stranger = new SimPrinter({ index: 2, serialPrefix: 'NOPE', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.is(await stranger.boot(), 'Failed');
  t.is(stranger.lastAck?.reason, 'serial-not-listed');
  const view = (await api(web, 'GET', '/api/v1/serial-list', { token })).body;
  t.deepEqual(view.unlisted.map((u: any) => u.serial), [stranger.serialNumber]);
  t.false(view.pending.includes(listed.serialNumber), 'a discovered serial leaves the pending list…');
  t.true(view.serials.some((x: any) => x.serial === listed.serialNumber), '…but stays in the filter');
  t.is(await listed.powerCycle(), 'Success', 'and keeps passing');
  // Promote the stranger with one action.
  t.is((await api(web, 'POST', `/api/v1/serial-list/${stranger.serialNumber}`, { token })).status, 201);
  t.is(await stranger.powerCycle(), 'Success');
  t.deepEqual((await api(web, 'GET', '/api/v1/serial-list', { token })).body.unlisted, []);
});
