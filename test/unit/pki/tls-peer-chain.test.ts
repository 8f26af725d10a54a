/**
 * End to end over real TLS: `openssl s_client` presents (or withholds) a client certificate to a Node TLS
 * server on loopback that requests one without requiring it, built as the 3329 listener builds it (a TCP
 * server wrapping each connection in its own TLSSocket); the server reads the chain with
 * peerCertificateChain and judges it with verifyClientCertificate.
 *
 * Why not tls.createServer: on Node 24.21 tls.Server itself calls getPeerX509Certificate() after a
 * handshake OpenSSL verified, which drops the first presented intermediate (nodejs/node#65579; see
 * pki/peer-chain.ts). The listener never runs that code; these tests hold it to seeing the whole chain.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { CrlList } from '../../../appliance/src/pki/crl-list.ts';
import { TrustStore } from '../../../appliance/src/pki/trust-store.ts';
import { peerCertificateChain, verifyClientCertificate, type VerifyClientResult } from '../../../appliance/src/pki/verify-client.ts';
import { OpensslPki, type TestCert } from '../../fakes/openssl-certs.ts';

let pki: OpensslPki;
let server: net.Server;
let port: number;
const certs: Record<string, TestCert> = {};

test.before(async () => {
  pki = await OpensslPki.create();
  const serverCert = await pki.issue('localhost', { issuer: 'inter', key: 'ec-p256', ext: 'client-server' });
  certs.good = await pki.issue('CNB1K23456', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
  certs.revoked = await pki.issue('CNB1K00000', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
  certs.expired = await pki.issue('CNB1K11111', { issuer: 'inter', key: 'ec-p256', ext: 'client', start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') });
  certs.serverOnly = await pki.issue('CNB1K22222', { issuer: 'inter', key: 'ec-p256', ext: 'server-only' });
  certs.untrusted = await pki.issue('CNB1K33333', { issuer: 'other', key: 'ec-p256', ext: 'client' });
  await pki.revoke(certs.revoked, 'inter');
  const trust = new TrustStore();
  trust.import(pki.root.certPem);
  const crls = new CrlList();
  crls.import((await pki.crl('inter')) + pki.inter.certPem, trust, new Date());

  const context = tls.createSecureContext({ key: serverCert.keyPem, cert: serverCert.certPem + pki.inter.certPem, ca: trust.toPem(), minVersion: 'TLSv1.2' });
  server = net.createServer((raw) => {
    // Policy is ours, not OpenSSL's: the handshake completes so the reason can be sent back (HDAP §2).
    const socket = new tls.TLSSocket(raw, { isServer: true, secureContext: context, requestCert: true, rejectUnauthorized: false });
    socket.on('error', () => socket.destroy());
    socket.once('secure', () => {
      const chain = peerCertificateChain(socket);
      // Whatever runs next (e.g. code recording the device certificate) must not shorten the chain.
      socket.getPeerX509Certificate();
      const again = peerCertificateChain(socket);
      const result = verifyClientCertificate(again, { trust, crls, now: new Date() });
      socket.end(`${JSON.stringify({ ...result, presented: chain.length, stable: again.length === chain.length })}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

test.after.always(async () => {
  server?.close();
  await pki?.cleanup();
});

function sClient(cert?: TestCert, chain?: TestCert): Promise<VerifyClientResult & { presented: number; stable: boolean }> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-quiet', '-ign_eof', '-verify_quiet', '-CAfile', pki.root.certPath];
  if (cert) args.push('-cert', cert.certPath, '-key', cert.keyPath);
  if (chain) args.push('-cert_chain', chain.certPath);
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.stdin.end();
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('close', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
      else reject(new Error(`no answer from server; s_client said: ${err}`));
    });
  });
}

test('s_client with certificate and chain → accepted, path to the root', async (t) => {
  const result = await sClient(certs.good, pki.inter);
  // Node completes the linked chain with the root from the server's `ca` option: leaf, intermediate, root.
  t.is(result.presented, 3);
  t.true(result.stable);
  t.true(result.ok, JSON.stringify(result));
  if (result.ok) t.deepEqual(result.path.map((p) => p.split('CN=')[1]), ['CNB1K23456', 'Test Issuing CA', 'Test Root CA']);
});

test('s_client without a certificate → no-certificate', async (t) => {
  const result = await sClient();
  t.is(result.presented, 0);
  t.false(result.ok);
  if (!result.ok) t.is(result.reason, 'no-certificate');
});

const failures: [keyof typeof certs, string][] = [
  ['revoked', 'revoked'],
  ['expired', 'expired'],
  ['serverOnly', 'wrong-key-usage'],
  ['untrusted', 'untrusted-issuer'],
];
for (const [name, reason] of failures) {
  test(`s_client with the ${name} certificate → ${reason}`, async (t) => {
    const result = await sClient(certs[name], name === 'untrusted' ? undefined : pki.inter);
    t.false(result.ok);
    if (!result.ok) t.is<string, string>(result.reason, reason, result.detail);
  });
}

test('leaf alone, intermediate not sent → untrusted-issuer', async (t) => {
  const result = await sClient(certs.good);
  t.is(result.presented, 1);
  t.false(result.ok);
  if (!result.ok) t.is(result.reason, 'untrusted-issuer');
});
