/** Trusted-CA store: imports in the forms admins upload, listing checked against openssl's own reading. */
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { decodeBlocks } from '../../../appliance/src/pki/pem.ts';
import { TrustStore } from '../../../appliance/src/pki/trust-store.ts';
import { OpensslPki, type TestCert } from '../../fakes/openssl-certs.ts';

let pki: OpensslPki;
let leaf: TestCert;

test.before(async () => {
  pki = await OpensslPki.create();
  leaf = await pki.issue('leaf', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
});

test.after.always(async () => {
  await pki?.cleanup();
});

test('lists subject, fingerprint and notAfter exactly as openssl reads them', async (t) => {
  const store = new TrustStore();
  const result = store.import(pki.root.certPem);
  t.is(result.added.length, 1);
  const [entry] = store.list();
  const { stdout } = await pki.openssl(['x509', '-in', pki.root.certPath, '-noout', '-fingerprint', '-sha256', '-enddate', '-serial', '-subject', '-nameopt', 'sep_comma_plus_space']);
  t.true(stdout.includes(`Fingerprint=${entry.fingerprint}`), stdout);
  t.true(stdout.includes(`serial=${entry.serial}`), stdout);
  t.true(stdout.includes(`subject=${entry.subject}`), stdout);
  const notAfter = /notAfter=(.+)/.exec(stdout)![1];
  t.is(new Date(notAfter).toISOString(), entry.notAfter);
  t.true(entry.selfSigned);
});

test('a PEM bundle adds each CA once and reports repeats', (t) => {
  const store = new TrustStore();
  const first = store.import(pki.root.certPem + pki.inter.certPem + pki.other.certPem);
  t.is(first.added.length, 3);
  const again = store.import(`# comment lines around blocks are fine\n${pki.root.certPem}`);
  t.is(again.added.length, 0);
  t.is(again.alreadyTrusted.length, 1);
  t.is(store.size, 3);
});

test('DER, concatenated DER and PKCS#7 (.p7b) bundles import', async (t) => {
  t.is(new TrustStore().import(pki.root.der).added.length, 1);
  t.is(new TrustStore().import(Buffer.concat([pki.root.der, pki.inter.der])).added.length, 2);
  const p7bPath = `${pki.dir}/bundle.p7b`;
  await pki.openssl(['crl2pkcs7', '-nocrl', '-certfile', pki.root.certPath, '-certfile', pki.inter.certPath, '-outform', 'DER', '-out', p7bPath]);
  const p7b = await readFile(p7bPath);
  t.is(new TrustStore().import(p7b).added.length, 2);
  const { stdout: p7pem } = await pki.openssl(['crl2pkcs7', '-nocrl', '-certfile', pki.other.certPath]);
  t.is(new TrustStore().import(p7pem).added[0]?.subject, 'O=Elsewhere, CN=Other CA');
});

test('end-entity certificates and private keys are refused, block by block', (t) => {
  const store = new TrustStore();
  const result = store.import(leaf.certPem + pki.root.keyPem + pki.root.certPem);
  t.deepEqual(result.rejected.map((r) => [r.index, r.code]), [[1, 'not-a-ca'], [2, 'wrong-kind']]);
  t.regex(result.rejected[1].reason, /^a private key/);
  t.is(result.added.length, 1);
  t.false(store.toPem().includes('PRIVATE KEY'));
});

test('input that holds no certificate throws a typed error', (t) => {
  const store = new TrustStore();
  t.throws(() => store.import(''), { instanceOf: Error, message: /no PEM or DER block/ });
  t.throws(() => store.import('hello'), { message: /neither PEM nor DER/ });
  // A corrupt PEM block spoils the whole upload: the admin sees the error rather than a partial import.
  t.throws(() => store.import(`${pki.root.certPem}-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n`), { message: /not base64/ });
  t.is(store.size, 0);
});

test('remove takes the fingerprint in any spelling', (t) => {
  const store = new TrustStore();
  store.import(pki.root.certPem + pki.inter.certPem);
  const fp = store.list().find((c) => c.subject.includes('Root'))!.fingerprint;
  t.true(store.remove(fp.replace(/:/g, '').toLowerCase()));
  t.false(store.remove(fp));
  t.is(store.size, 1);
});

test('toJSON/fromJSON round-trips, and a damaged record throws instead of trusting less', (t) => {
  const store = new TrustStore();
  store.import(pki.root.certPem + pki.inter.certPem);
  const copy = TrustStore.fromJSON(JSON.parse(JSON.stringify(store)));
  t.deepEqual(copy.list(), store.list());
  t.is(decodeBlocks(copy.toPem()).length, 2);
  t.throws(() => TrustStore.fromJSON({ version: 1, certificates: ['garbage'] }));
  t.throws(() => TrustStore.fromJSON({ certificates: [] }));
});

test('a CA upload is held to the path rules (an unknown critical extension is refused by name); a CRL sent as a CA is named', async (t) => {
  const odd = await pki.subCa('odd', 'root');
  const store = new TrustStore();
  const result = store.import(odd.certPem + pki.root.certPem);
  t.deepEqual(result.rejected.map((r) => [r.index, r.code]), [[1, 'unknown-critical-extension']]);
  t.regex(result.rejected[0].reason, /critical extension 1\.3\.6\.1\.4\.1\.55738\.666\.1/);
  t.is(result.added.length, 1);
  // A CRL or a certificate request sent where CA certificates belong is named as what it is.
  const crl = await pki.crl('root');
  const wrong = new TrustStore().import(crl);
  t.deepEqual(wrong.rejected.map((r) => r.code), ['wrong-kind']);
  t.regex(wrong.rejected[0].reason, /^a CRL \(PEM X509 CRL\) is not a CA certificate/);
  const derCrl = decodeBlocks(crl)[0].der;
  t.regex(new TrustStore().import(derCrl).rejected[0].reason, /^a CRL is not a CA certificate/);
});
