/** The appliance identity CSR (read back by `openssl req -verify`) and the signed-identity install check. */
import test from 'ava';
import crypto from 'node:crypto';
import { checkSignedIdentity, createIdentityCsr, parseCsr } from '../../../appliance/src/pki/csr.ts';
import { OpensslPki } from '../../fakes/openssl-certs.ts';

let pki: OpensslPki;
const rsaKeyPem = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ecKeyPem = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

test.before(async () => {
  pki = await OpensslPki.create();
});

test.after.always(async () => {
  await pki?.cleanup();
});

for (const [label, keyPem] of [['RSA-2048', rsaKeyPem], ['EC P-256', ecKeyPem]] as const) {
  test(`${label}: openssl req -verify accepts our CSR and reads subject, SANs and EKUs`, async (t) => {
    const csr = createIdentityCsr(keyPem, { names: ['edge-pi.branch.example'], addresses: ['127.0.0.1', '::1', '2001:db8::40', '::ffff:10.1.2.3'], organizationalUnit: 'Branch 42' });
    const csrPath = await pki.file(`identity-${label.replace(/\W/g, '')}.csr`, csr);
    const { stdout, stderr } = await pki.openssl(['req', '-in', csrPath, '-verify', '-noout', '-text', '-nameopt', 'sep_comma_plus_space']);
    t.regex(stderr + stdout, /verify OK/);
    t.regex(stdout, /Subject: O=instant-on-edge, OU=Branch 42, CN=hp-print-mgmt/);
    t.regex(stdout, /DNS:hp-print-mgmt, DNS:edge-pi\.branch\.example, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, IP Address:2001:DB8:0:0:0:0:0:40, IP Address:0:0:0:0:0:FFFF:A01:203/);
    t.regex(stdout, /TLS Web Server Authentication, TLS Web Client Authentication/);
    t.regex(stdout, /Digital Signature/);
    // And our own reader agrees, proving possession of the key.
    const parsed = parseCsr(csr);
    t.true(parsed.signatureValid);
    t.is(parsed.subject.text, 'O=instant-on-edge, OU=Branch 42, CN=hp-print-mgmt');
  });
}

test('a CSR signed by a site CA installs with its chain, re-ordered and without the repeated leaf', async (t) => {
  const certPem = await pki.signCsr(createIdentityCsr(rsaKeyPem), { issuer: 'inter', ext: 'client-server' });
  const check = checkSignedIdentity(certPem, pki.root.certPem + certPem + pki.inter.certPem, rsaKeyPem);
  t.true(check.ok, JSON.stringify(check));
  if (check.ok) {
    t.deepEqual(check.chain.map((c) => c.subject.text), ['O=Instant-On Test, CN=Test Issuing CA', 'O=Instant-On Test, CN=Test Root CA']);
    t.is(check.chainPem[0].trim(), pki.inter.certPem.trim());
    t.is(check.certificate.subject.text, 'O=instant-on-edge, CN=hp-print-mgmt');
  }
  // An empty chain is fine too (the site CA may be trusted directly by the devices).
  t.true(checkSignedIdentity(certPem, '', rsaKeyPem).ok);
});

test('install check failures are named', async (t) => {
  const good = await pki.signCsr(createIdentityCsr(ecKeyPem), { issuer: 'inter', ext: 'client-server' });
  const cases: [string, ReturnType<typeof checkSignedIdentity>][] = [
    ['key-mismatch', checkSignedIdentity(good, pki.inter.certPem, rsaKeyPem)],
    ['chain-broken', checkSignedIdentity(good, pki.other.certPem, ecKeyPem)],
    // The impostor carries the root's name but not its key: the link from the intermediate fails.
    ['chain-broken', checkSignedIdentity(good, pki.inter.certPem + pki.impostor.certPem, ecKeyPem)],
    ['wrong-key-usage', checkSignedIdentity(await pki.signCsr(createIdentityCsr(ecKeyPem), { issuer: 'inter', ext: 'client' }), '', ecKeyPem)],
    ['expired', checkSignedIdentity(await pki.signCsr(createIdentityCsr(ecKeyPem), { issuer: 'inter', ext: 'client-server', start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') }), '', ecKeyPem)],
    ['empty', checkSignedIdentity('', '', ecKeyPem)],
    ['malformed', checkSignedIdentity(good, '', 'not a key')],
  ];
  for (const [code, result] of cases) {
    t.false(result.ok, code);
    if (!result.ok) t.is<string, string>(result.code, code, result.detail);
  }
});

test('parseCsr reads an openssl-made CSR and detects a tampered one', async (t) => {
  const keyPath = await pki.newKey('device.key', 'ec-p256');
  const csrPath = `${pki.dir}/device.csr`;
  await pki.openssl(['req', '-config', pki.configPath, '-new', '-key', keyPath, '-subj', '/CN=CNB1K23456', '-addext', 'subjectAltName=DNS:npi123456', '-out', csrPath]);
  const { stdout: pem } = await pki.openssl(['req', '-in', csrPath]);
  const csr = parseCsr(pem);
  t.true(csr.signatureValid);
  t.is(csr.subject.text, 'CN=CNB1K23456');
  t.truthy(csr.requestedSan);
  const der = Buffer.from(csr.der);
  der[der.length - 2] ^= 0x01;
  t.false(parseCsr(der).signatureValid);
});
