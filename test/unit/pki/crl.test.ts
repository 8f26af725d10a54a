/** CRL import, signature, freshness and lookup, against CRLs made by `openssl ca -gencrl`. */
import test from 'ava';
import { CrlList } from '../../../appliance/src/pki/crl-list.ts';
import { crlFreshness, parseCrl, revocationOf } from '../../../appliance/src/pki/crl.ts';
import { decodeBlocks } from '../../../appliance/src/pki/pem.ts';
import { TrustStore } from '../../../appliance/src/pki/trust-store.ts';
import { verifyClientCertificate } from '../../../appliance/src/pki/verify-client.ts';
import { OpensslPki, type TestCert } from '../../fakes/openssl-certs.ts';

const DAY = 86_400_000;
let pki: OpensslPki;
let trust: TrustStore;
let revoked: TestCert;
let good: TestCert;
let staleCrl: string;
let freshCrl: string;

test.before(async () => {
  pki = await OpensslPki.create();
  trust = new TrustStore();
  trust.import(pki.root.certPem);
  revoked = await pki.issue('gone', { issuer: 'root', key: 'ec-p256', ext: 'client' });
  good = await pki.issue('fine', { issuer: 'root', key: 'ec-p256', ext: 'client' });
  await pki.revoke(revoked, 'root', 'cessationOfOperation');
  // A list whose nextUpdate lies in the past: the CA should have published a newer one by now.
  staleCrl = await pki.crl('root', { lastUpdate: new Date(Date.now() - 10 * DAY), nextUpdate: new Date(Date.now() - 3 * DAY) });
  freshCrl = await pki.crl('root');
});

test.after.always(async () => {
  await pki?.cleanup();
});

function der(pem: string): Buffer {
  return decodeBlocks(pem)[0].der;
}

test('parses the openssl CRL: issuer, dates, number, revoked serial and reason', async (t) => {
  const crl = parseCrl(der(freshCrl));
  t.is(crl.issuer.text, 'O=Instant-On Test, CN=Test Root CA');
  t.truthy(crl.nextUpdate);
  const { stdout } = await pki.openssl(['crl', '-in', await pki.file('fresh.crl', freshCrl), '-noout', '-text']);
  const serial = await serialOf(revoked);
  t.true(stdout.includes(`Serial Number: ${serial}`), stdout);
  t.is(revocationOf(crl, serial)?.serial, serial);
  t.is(revocationOf(crl, serial)?.reason, 'cessationOfOperation');
  t.is(crl.revoked.size, 1);
  t.is(revocationOf(crl, await serialOf(good)), undefined);
  t.regex(stdout, new RegExp(`CRL Number: \\s*${parseInt(crl.crlNumber ?? 'x', 16)}`));
});

async function serialOf(cert: TestCert): Promise<string> {
  const { stdout } = await pki.openssl(['x509', '-in', cert.certPath, '-noout', '-serial']);
  return stdout.trim().replace('serial=', '');
}

test('revocation lookup accepts any hex spelling of a serial', async (t) => {
  const crl = parseCrl(der(freshCrl));
  const serial = await serialOf(revoked);
  t.truthy(revocationOf(crl, serial.toLowerCase()));
  t.truthy(revocationOf(crl, `00${serial}`));
  t.truthy(revocationOf(crl, serial.match(/../g)!.join(':')));
});

test('a stale CRL is imported, reported stale, still refuses what it lists, and warns on accepted chains', (t) => {
  const crls = new CrlList();
  const now = new Date();
  const result = crls.import(staleCrl, trust, now);
  t.is(result.imported.length, 1);
  t.true(result.imported[0].stale);
  t.true(crls.list(now)[0].stale);
  t.is(crlFreshness(parseCrl(der(staleCrl)), now), 'stale');

  const refused = verifyClientCertificate([revoked.der], { trust, crls, now });
  t.false(refused.ok);
  if (!refused.ok) t.is(refused.reason, 'revoked');
  const accepted = verifyClientCertificate([good.der], { trust, crls, now });
  t.true(accepted.ok);
  if (accepted.ok) t.regex(accepted.warnings.join(), /^crl-stale: CRL of O=Instant-On Test, CN=Test Root CA/);
});

test('a newer CRL replaces the stale one; re-importing the older one is ignored', (t) => {
  const crls = new CrlList();
  const now = new Date();
  crls.import(staleCrl, trust, now);
  const newer = crls.import(freshCrl, trust, now);
  t.true(newer.imported[0].replaced);
  t.false(newer.imported[0].stale);
  t.is(crls.size, 1);
  const older = crls.import(staleCrl, trust, now);
  t.is(older.olderIgnored.length, 1);
  t.false(crls.list(now)[0].stale);
});

test('DER input works as well as PEM', (t) => {
  const crls = new CrlList();
  const result = crls.import(der(freshCrl), trust, new Date());
  t.is(result.imported.length, 1);
});

test('a CRL from an untrusted issuer is rejected', async (t) => {
  const otherCrl = await pki.crl('other');
  const result = new CrlList().import(otherCrl, trust, new Date());
  t.deepEqual(result.imported, []);
  t.is(result.rejected[0].code, 'untrusted-issuer');
});

test('a CRL naming the trusted root but signed by the impostor key is rejected as bad-signature', async (t) => {
  const forged = await pki.crl('impostor');
  const result = new CrlList().import(forged, trust, new Date());
  t.is(result.rejected[0]?.code, 'bad-signature');
});

test('an altered CRL is rejected as bad-signature', (t) => {
  const bytes = Buffer.from(der(freshCrl));
  bytes[bytes.length - 2] ^= 0x01;
  const result = new CrlList().import(bytes, trust, new Date());
  t.is(result.rejected[0]?.code, 'bad-signature');
});

test('an intermediate CRL needs the intermediate in the upload, and that must chain to a trusted CA', async (t) => {
  const interCrl = await pki.crl('inter');
  t.is(new CrlList().import(interCrl, trust, new Date()).rejected[0]?.code, 'untrusted-issuer');
  t.is(new CrlList().import(interCrl + pki.inter.certPem, trust, new Date()).imported.length, 1);
  const otherTrust = new TrustStore();
  otherTrust.import(pki.other.certPem);
  t.is(new CrlList().import(interCrl + pki.inter.certPem, otherTrust, new Date()).rejected[0]?.code, 'untrusted-issuer');
});

test('garbage and non-CRL blocks are rejected, empty input throws', (t) => {
  // All or nothing: a private key pasted along spoils the upload, the CRL next to it is not loaded either.
  const crls = new CrlList();
  const result = crls.import(pki.root.keyPem + freshCrl, trust, new Date());
  t.deepEqual(result.rejected.map((r) => [r.index, r.code]), [[1, 'wrong-kind']]);
  t.regex(result.rejected[0].reason, /^a private key \(PEM PRIVATE KEY\) is not a CRL/);
  t.is(result.imported.length, 0);
  t.is(crls.size, 0);
  const certOnly = new CrlList().import(pki.root.der, trust, new Date());
  t.deepEqual(certOnly.rejected.map((r) => r.code), ['wrong-kind']);
  t.throws(() => new CrlList().import('nothing here', trust, new Date()), { message: /neither PEM nor DER/ });
  t.throws(() => new CrlList().import('', trust, new Date()), { message: /no PEM or DER block/ });
  const junk = new CrlList().import('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n', trust, new Date());
  t.is(junk.rejected[0]?.code, 'malformed');
});

test('toJSON/fromJSON round-trips the loaded lists', (t) => {
  const crls = new CrlList();
  crls.import(freshCrl, trust, new Date());
  const copy = CrlList.fromJSON(JSON.parse(JSON.stringify(crls)));
  t.deepEqual(copy.list(new Date()), crls.list(new Date()));
  const refused = verifyClientCertificate([revoked.der], { trust, crls: copy, now: new Date() });
  t.false(refused.ok);
  t.throws(() => CrlList.fromJSON({ version: 2, crls: [] }));
});

test('a CRL from a CA without cRLSign: the upload is refused as not-crl-signer, and if one is loaded anyway the chain is revocation-unknown (openssl cannot use it either)', async (t) => {
  const ca = await pki.subCa('nocrlsign', 'root');
  const leaf = await pki.issue('nocrlsign-leaf', { issuer: 'nocrlsign', key: 'ec-p256', ext: 'client' });
  const crlPem = await pki.crl('nocrlsign');
  const crls = new CrlList();
  const result = crls.import(crlPem + ca.certPem, trust, new Date());
  t.deepEqual(result.rejected.map((r) => r.code), ['not-crl-signer']);
  t.regex(result.rejected[0].reason, /keyUsage lacks cRLSign/);
  t.is(crls.size, 0);

  // Without any list for that CA the chain is simply not revocation-checked…
  t.true(verifyClientCertificate([leaf.der, ca.der], { trust, crls, now: new Date() }).ok);
  // …but a stored list that turns out unusable (an earlier version loaded it, the CA was reissued) refuses.
  crls.add(parseCrl(der(crlPem)));
  const refused = verifyClientCertificate([leaf.der, ca.der], { trust, crls, now: new Date() });
  t.false(refused.ok);
  if (!refused.ok) {
    t.is(refused.reason, 'revocation-unknown');
    t.regex(refused.detail, /lacks cRLSign/);
  }
  const crlPath = await pki.file('nocrlsign.crl', crlPem);
  await t.throwsAsync(pki.openssl(['verify', '-crl_check', '-CAfile', pki.root.certPath, '-untrusted', ca.certPath, '-CRLfile', crlPath, leaf.certPath]));
  await t.notThrowsAsync(pki.openssl(['verify', '-CAfile', pki.root.certPath, '-untrusted', ca.certPath, leaf.certPath]));
});

test('a failed CRL upload keeps the list in force: revoked stays revoked, nothing from the upload is applied', async (t) => {
  const crls = new CrlList();
  const now = new Date();
  t.is(crls.import(freshCrl, trust, now).imported.length, 1);
  const before = crls.list(now);
  const forged = await pki.crl('impostor'); // newer, names the trusted root, wrong key
  const refused = crls.import(forged, trust, now);
  t.deepEqual(refused.rejected.map((r) => r.code), ['bad-signature']);
  // A good list next to a bad one is not applied either: the upload is one decision.
  const newer = await pki.crl('root');
  const mixed = crls.import(newer + forged, trust, now);
  t.deepEqual(mixed.rejected.map((r) => [r.index, r.code]), [[2, 'bad-signature']]);
  t.deepEqual(mixed.imported, []);
  t.deepEqual(crls.list(now), before);
  const result = verifyClientCertificate([revoked.der], { trust, crls, now });
  t.false(result.ok);
  if (!result.ok) t.is(result.reason, 'revoked');
});

for (const exts of ['critical-unknown', 'scoped'] as const) {
  test(`a CRL with ${exts === 'scoped' ? 'a reason-scoped issuing distribution point' : 'an unknown critical extension'} is refused on upload and, if stored, makes revocation unknown`, async (t) => {
    const pem = await pki.crl('root', { exts });
    const crls = new CrlList();
    const upload = crls.import(pem, trust, new Date());
    t.deepEqual(upload.rejected.map((r) => r.code), ['unknown-critical-extension']);
    t.is(crls.size, 0);
    crls.add(parseCrl(der(pem)));
    const result = verifyClientCertificate([good.der], { trust, crls, now: new Date() });
    t.false(result.ok);
    if (!result.ok) t.is(result.reason, 'revocation-unknown', result.detail);
  });
}
