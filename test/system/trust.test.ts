// Issue 7 end to end: device authentication modes against server modes (3×2), certificates issued and
// revoked by the appliance CA through the API, openssl s_client with and without a client certificate,
// and the serial-number list.
import test from 'ava';
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAppliance, api, login } from '../fakes/appliance.ts';
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
  await new Promise((r) => setTimeout(r, 100));
  t.like(h.appliance.registry.get(p.serialNumber)?.lastAuth, { result: 'revoked', mode: 'mutual' });
  const crls = (await api(web, 'GET', '/api/v1/pki/crls', { token })).body.crls;
  t.is(crls.length, 1);
  t.false(crls[0].stale);
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
