/** The built-in appliance CA, judged by openssl: issued certificates verify, CRLs verify and revoke. */
import test from 'ava';
import crypto from 'node:crypto';
import { ApplianceCa } from '../../../appliance/src/pki/appliance-ca.ts';
import { CrlList } from '../../../appliance/src/pki/crl-list.ts';
import { createCsr } from '../../../appliance/src/pki/csr.ts';
import { decodeBlocks } from '../../../appliance/src/pki/pem.ts';
import { TrustStore } from '../../../appliance/src/pki/trust-store.ts';
import { verifyClientCertificate } from '../../../appliance/src/pki/verify-client.ts';
import { OpensslPki, type KeySpec } from '../../fakes/openssl-certs.ts';

let pki: OpensslPki;
let rsaCa: ApplianceCa;
let ecCa: ApplianceCa;

test.before(async () => {
  pki = await OpensslPki.create();
  rsaCa = ApplianceCa.create();
  ecCa = ApplianceCa.create({ keyType: 'ec-p256', commonName: 'Branch 42 device CA' });
});

test.after.always(async () => {
  await pki?.cleanup();
});

/** A device CSR made by openssl, with a SAN request. */
async function deviceCsr(serial: string, key: KeySpec = 'ec-p256'): Promise<string> {
  const keyPath = await pki.newKey(`${serial}.key`, key);
  const { stdout } = await pki.openssl(['req', '-config', pki.configPath, '-new', '-key', keyPath, '-subj', `/O=Printers/CN=${serial}`, '-addext', `subjectAltName=DNS:${serial.toLowerCase()}.printers.example`]);
  return stdout;
}

async function opensslVerify(caPem: string, certPem: string, crlPem?: string): Promise<string> {
  const args = ['verify', '-purpose', 'sslclient', '-CAfile', await pki.file(`ca-${Math.random()}.pem`, caPem)];
  if (crlPem) args.push('-crl_check', '-CRLfile', await pki.file(`crl-${Math.random()}.pem`, crlPem));
  args.push(await pki.file(`leaf-${Math.random()}.pem`, certPem));
  try {
    const { stdout } = await pki.openssl(args);
    return stdout.trim().split(': ').pop()!;
  } catch (error) {
    return String((error as { stdout?: string; stderr?: string }).stderr ?? error);
  }
}

for (const [label, getCa] of [['RSA', () => rsaCa], ['EC', () => ecCa]] as const) {
  test(`${label} CA: a signed device CSR verifies with openssl verify -CAfile and with our verifier`, async (t) => {
    const ca = getCa();
    const { certPem, record } = ca.signCsr(await deviceCsr(`CNB${label}0001`));
    t.is(await opensslVerify(ca.certificatePem, certPem), 'OK');
    const { stdout } = await pki.openssl(['x509', '-noout', '-text', '-serial', '-in', await pki.file(`${label}-dev.pem`, certPem)]);
    t.regex(stdout, /TLS Web Client Authentication/);
    t.notRegex(stdout, /TLS Web Server Authentication/);
    t.regex(stdout, /DNS:cnb[a-z]+0001\.printers\.example/);
    t.regex(stdout, /CA:FALSE/);
    t.true(stdout.includes(`serial=${record.serial}`));

    const trust = new TrustStore();
    trust.import(ca.certificatePem);
    const ours = verifyClientCertificate([decodeBlocks(certPem)[0].der], { trust, crls: [], now: new Date() });
    t.true(ours.ok, JSON.stringify(ours));
  });

  test(`${label} CA: the CA certificate is a proper CA to openssl`, async (t) => {
    const ca = getCa();
    const caPath = await pki.file(`${label}-ca.pem`, ca.certificatePem);
    const { stdout } = await pki.openssl(['x509', '-noout', '-text', '-in', caPath]);
    t.regex(stdout, /CA:TRUE, pathlen:0/);
    t.regex(stdout, /Certificate Sign, CRL Sign/);
    const verify = await pki.openssl(['verify', '-CAfile', caPath, caPath]);
    t.regex(verify.stdout, /OK/);
  });
}

test('revocation: the CRL verifies with openssl, and both openssl and our verifier refuse the revoked certificate', async (t) => {
  const ca = ApplianceCa.create({ keyType: 'ec-p256' });
  const kept = ca.signCsr(await deviceCsr('KEEP0001'), { serverAuth: true });
  const gone = ca.signCsr(await deviceCsr('GONE0001', 'rsa-2048'));
  ca.revoke(gone.record.serial.toLowerCase(), { reason: 'keyCompromise' });
  const crlPem = ca.crl();

  const crlPath = await pki.file('appliance.crl', crlPem);
  const caPath = await pki.file('appliance-ca.pem', ca.certificatePem);
  const { stdout, stderr } = await pki.openssl(['crl', '-in', crlPath, '-CAfile', caPath, '-noout', '-text']);
  t.regex(stderr + stdout, /verify OK/);
  t.regex(stdout, new RegExp(`Serial Number: ${gone.record.serial}`));
  t.regex(stdout, /Key Compromise/);
  t.regex(stdout, /X509v3 CRL Number:\s*1\b/);

  t.is(await opensslVerify(ca.certificatePem, kept.certPem, crlPem), 'OK');
  t.regex(await opensslVerify(ca.certificatePem, gone.certPem, crlPem), /certificate revoked/);

  const trust = new TrustStore();
  trust.import(ca.certificatePem);
  const crls = new CrlList();
  t.is(crls.import(crlPem, trust, new Date()).imported.length, 1);
  const refused = verifyClientCertificate([decodeBlocks(gone.certPem)[0].der], { trust, crls, now: new Date() });
  t.false(refused.ok);
  if (!refused.ok) t.is(refused.reason, 'revoked');
  t.true(verifyClientCertificate([decodeBlocks(kept.certPem)[0].der], { trust, crls, now: new Date() }).ok);

  // The next CRL supersedes the first.
  const next = ca.crl();
  t.true(crls.import(next, trust, new Date()).imported[0].replaced);
});

test('a CRL with no revocations is valid to openssl', async (t) => {
  const ca = ApplianceCa.create({ keyType: 'ec-p256' });
  const crlPath = await pki.file('empty.crl', ca.crl());
  const { stdout, stderr } = await pki.openssl(['crl', '-in', crlPath, '-CAfile', await pki.file('empty-ca.pem', ca.certificatePem), '-noout', '-text']);
  t.regex(stderr + stdout, /verify OK/);
  t.regex(stdout, /No Revoked Certificates/);
});

test('refusals: weak key, forged CSR, unknown serial', async (t) => {
  t.throws(() => ecCa.signCsr('-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n'), { instanceOf: Error });
  const weak = await deviceCsr('WEAK0001', 'rsa-1024');
  t.throws(() => ecCa.signCsr(weak), { message: /RSA 1024/ });
  const der = decodeBlocks(await deviceCsr('FORGED01'))[0].der;
  der[der.length - 2] ^= 0x01;
  t.throws(() => ecCa.signCsr(der), { message: /not signed by the key/ });
  t.throws(() => ecCa.revoke('01'), { message: /not issued by the appliance CA/ });
});

test('toJSON/fromJSON keeps the key, the issued list and the CRL number', async (t) => {
  const ca = ApplianceCa.create({ keyType: 'ec-p256' });
  const first = ca.signCsr(await deviceCsr('SAVE0001'));
  ca.revoke(first.record.serial);
  ca.crl();
  const restored = ApplianceCa.fromJSON(JSON.parse(JSON.stringify(ca)));
  t.deepEqual(restored.list(), ca.list());
  const crlPath = await pki.file('restored.crl', restored.crl());
  const { stdout } = await pki.openssl(['crl', '-in', crlPath, '-noout', '-text']);
  t.regex(stdout, /X509v3 CRL Number:\s*2\b/);
  const second = restored.signCsr(await deviceCsr('SAVE0002'));
  t.is(await opensslVerify(ca.certificatePem, second.certPem), 'OK');

  const other = ApplianceCa.create({ keyType: 'ec-p256' }).toJSON();
  t.throws(() => ApplianceCa.fromJSON({ ...ca.toJSON(), keyPem: other.keyPem }), { message: /does not match/ });
});

test('a device CSR made by our createCsr (CN = serial, no SAN) passes openssl req -verify and issues', async (t) => {
  const key = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const csr = createCsr(key, { subject: { CN: 'CNB1K23456', O: 'HP' } });
  const { stdout, stderr } = await pki.openssl(['req', '-in', await pki.file('sim.csr', csr), '-verify', '-noout', '-text']);
  t.regex(stderr + stdout, /verify OK/);
  t.notRegex(stdout, /Subject Alternative Name/);
  const { certPem, record } = ecCa.signCsr(csr);
  t.is(record.subject, 'O=HP, CN=CNB1K23456');
  t.is(await opensslVerify(ecCa.certificatePem, certPem), 'OK');
});
