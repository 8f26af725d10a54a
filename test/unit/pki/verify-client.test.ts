/**
 * Client-certificate validation against certificates made by the openssl CLI (an independent
 * implementation). Each row is one HDAP.md §2 failure reason (or a valid chain); where openssl's own
 * `verify` shares the rule, its verdict is asserted too, so both implementations are seen to agree.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CrlList } from '../../../appliance/src/pki/crl-list.ts';
import { TrustStore } from '../../../appliance/src/pki/trust-store.ts';
import { chainFromPeerCertificate, verifyClientCertificate, type ClientAuthFailure } from '../../../appliance/src/pki/verify-client.ts';
import { OpensslPki, type TestCert } from '../../fakes/openssl-certs.ts';

const exec = promisify(execFile);
const DAY = 86_400_000;

interface Row {
  name: string;
  /** Builds the presented chain (DER, leaf first) and the files openssl verify gets. */
  chain: () => { der: Buffer[]; leaf?: TestCert; untrusted?: TestCert[] };
  expect: 'ok' | ClientAuthFailure;
  /** openssl verify's verdict with -purpose sslclient -auth_level 2; undefined = its policy differs (see note). */
  openssl?: 'ok' | 'fail';
  note?: string;
}

let pki: OpensslPki;
const certs: Record<string, TestCert> = {};
let trust: TrustStore;
let crls: CrlList;
/** Every CA's current CRL, so openssl's -crl_check finds one for whichever CA issued the leaf. */
const crlPaths: string[] = [];

test.before(async () => {
  pki = await OpensslPki.create();
  const now = Date.now();
  const issue = async (name: string, opts: Parameters<OpensslPki['issue']>[1]): Promise<void> => {
    certs[name] = await pki.issue(name, opts);
  };
  await issue('good-ec', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
  await issue('good-rsa', { issuer: 'root', key: 'rsa-2048', ext: 'client-server' });
  await issue('good-p384', { issuer: 'inter', key: 'ec-p384', ext: 'client' });
  await issue('no-usage-ext', { issuer: 'inter', key: 'ec-p256', ext: 'no-usage-extensions' });
  await issue('expired', { issuer: 'inter', key: 'ec-p256', ext: 'client', start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') });
  await issue('future', { issuer: 'inter', key: 'ec-p256', ext: 'client', start: new Date(now + 30 * DAY), end: new Date(now + 400 * DAY) });
  await issue('other-ca', { issuer: 'other', key: 'ec-p256', ext: 'client' });
  await issue('impostor', { issuer: 'impostor', key: 'ec-p256', ext: 'client' });
  await issue('revoked', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
  await issue('revoked-by-root', { issuer: 'root', key: 'ec-p256', ext: 'client' });
  await issue('server-only', { issuer: 'inter', key: 'ec-p256', ext: 'server-only' });
  await issue('no-digital-signature', { issuer: 'inter', key: 'rsa-2048', ext: 'no-digital-signature' });
  await issue('rsa-1024', { issuer: 'inter', key: 'rsa-1024', ext: 'client' });
  await issue('ec-p224', { issuer: 'inter', key: 'ec-p224', ext: 'client' });
  await issue('sha1', { issuer: 'inter', key: 'ec-p256', ext: 'client', md: 'sha1' });
  await issue('md5', { issuer: 'root', key: 'rsa-2048', ext: 'client', md: 'md5' });
  await issue('sha1-and-expired', { issuer: 'root', key: 'rsa-2048', ext: 'client', md: 'sha1', start: new Date('2020-01-01T00:00:00Z'), end: new Date('2021-01-01T00:00:00Z') });
  await issue('outlives-root', { issuer: 'root', key: 'ec-p256', ext: 'client', end: new Date(now + 20 * 365 * DAY) });
  certs['self-signed'] = await pki.selfSigned('self-signed', 'ec-p256');
  // RFC 5280 path rules (issue 12): pathLenConstraint, critical extensions, key kinds, EKU and version policy.
  await pki.subCa('sub', 'inter'); // inter has pathlen 0: a CA below it breaks that
  await pki.subCa('wide', 'root'); // pathlen 1 …
  await pki.subCa('deep', 'wide', 'sub'); // … and one CA below it is allowed
  await pki.subCa('odd', 'root');
  await pki.subCa('constrained', 'root');
  await issue('under-sub', { issuer: 'sub', key: 'ec-p256', ext: 'client' });
  await issue('under-deep', { issuer: 'deep', key: 'ec-p256', ext: 'client' });
  await issue('under-odd', { issuer: 'odd', key: 'ec-p256', ext: 'client' });
  await issue('under-constrained', { issuer: 'constrained', key: 'ec-p256', ext: 'client' });
  await issue('critical-unknown', { issuer: 'inter', key: 'ec-p256', ext: 'client-critical-unknown' });
  await issue('any-eku', { issuer: 'inter', key: 'ec-p256', ext: 'client-any-eku' });
  await issue('critical-eku', { issuer: 'inter', key: 'ec-p256', ext: 'client-critical-eku' });
  await issue('v1', { issuer: 'inter', key: 'ec-p256', ext: 'none' });
  await issue('dsa', { issuer: 'inter', key: 'dsa-2048', ext: 'client' });
  await issue('rsa-2052', { issuer: 'inter', key: 'rsa-2052', ext: 'client' });
  await issue('explicit-curve', { issuer: 'inter', key: 'ec-p256-explicit', ext: 'client' });
  await pki.revoke(certs['revoked'], 'inter');
  await pki.revoke(certs['revoked-by-root'], 'root', 'superseded');
  const interCrl = await pki.crl('inter');
  const rootCrl = await pki.crl('root');
  crlPaths.push(await pki.file('inter-current.crl', interCrl), await pki.file('root-current.crl', rootCrl));
  for (const ca of ['sub', 'wide', 'deep', 'odd', 'constrained'] as const) crlPaths.push(await pki.file(`${ca}-current.crl`, await pki.crl(ca)));

  trust = new TrustStore();
  trust.import(pki.root.certPem);
  crls = new CrlList();
  // The intermediate's CRL comes with the intermediate that signed it; the root's stands alone.
  const imported = crls.import(interCrl + pki.inter.certPem + rootCrl, trust, new Date());
  if (imported.imported.length !== 2) throw new Error(`CRL import failed: ${JSON.stringify(imported)}`);
});

test.after.always(async () => {
  await pki?.cleanup();
});

function tampered(der: Buffer): Buffer {
  const copy = Buffer.from(der);
  copy[copy.length - 3] ^= 0x01; // inside the signature value
  return copy;
}

const viaInter = (name: string) => () => ({ der: [certs[name].der, pki.inter.der], leaf: certs[name], untrusted: [pki.inter] });
const direct = (name: string) => () => ({ der: [certs[name].der], leaf: certs[name] });
/** Leaf issued by CA `ca`, presented with the CAs above it up to (not including) the root. */
const via = (name: string, ...cas: ('sub' | 'inter' | 'deep' | 'wide' | 'odd' | 'constrained')[]) => () => {
  const chain = cas.map((ca) => (ca === 'inter' ? pki.inter : pki.cas[ca]!));
  return { der: [certs[name].der, ...chain.map((c) => c.der)], leaf: certs[name], untrusted: chain };
};
const PROFILE = 'a profile choice of ours (path-rules.ts), not an RFC 5280 rule: openssl verify accepts it';

const rows: Row[] = [
  { name: 'valid EC chain via the intermediate', chain: viaInter('good-ec'), expect: 'ok', openssl: 'ok' },
  { name: 'valid RSA-2048 leaf issued by the root', chain: direct('good-rsa'), expect: 'ok', openssl: 'ok' },
  { name: 'valid P-384 leaf', chain: viaInter('good-p384'), expect: 'ok', openssl: 'ok' },
  { name: 'no EKU and no keyUsage is acceptable', chain: viaInter('no-usage-ext'), expect: 'ok', openssl: 'ok' },
  { name: 'no certificate', chain: () => ({ der: [] }), expect: 'no-certificate' },
  { name: 'garbage instead of a certificate', chain: () => ({ der: [Buffer.from('not a certificate')] }), expect: 'no-certificate' },
  { name: 'expired', chain: viaInter('expired'), expect: 'expired', openssl: 'fail' },
  { name: 'not yet valid', chain: viaInter('future'), expect: 'not-yet-valid', openssl: 'fail' },
  { name: 'issued by an unknown CA', chain: () => ({ der: [certs['other-ca'].der, pki.other.der], leaf: certs['other-ca'], untrusted: [pki.other] }), expect: 'untrusted-issuer', openssl: 'fail' },
  { name: 'self-signed', chain: direct('self-signed'), expect: 'untrusted-issuer', openssl: 'fail' },
  { name: 'intermediate not presented', chain: direct('good-ec'), expect: 'untrusted-issuer', openssl: 'fail' },
  { name: "names the trusted root but signed by another key", chain: direct('impostor'), expect: 'bad-signature', openssl: 'fail' },
  { name: 'signature bytes altered', chain: () => ({ der: [tampered(certs['good-ec'].der), pki.inter.der] }), expect: 'bad-signature' },
  { name: 'intermediate signature altered', chain: () => ({ der: [certs['good-ec'].der, tampered(pki.inter.der)] }), expect: 'bad-signature' },
  { name: 'revoked by the intermediate CRL', chain: viaInter('revoked'), expect: 'revoked', openssl: 'fail' },
  { name: 'revoked by the root CRL', chain: direct('revoked-by-root'), expect: 'revoked', openssl: 'fail' },
  { name: 'EKU serverAuth only', chain: viaInter('server-only'), expect: 'wrong-key-usage', openssl: 'fail' },
  { name: 'keyUsage without digitalSignature', chain: viaInter('no-digital-signature'), expect: 'wrong-key-usage', openssl: 'fail' },
  { name: 'RSA-1024 key', chain: viaInter('rsa-1024'), expect: 'weak-key', openssl: 'fail' },
  { name: 'EC P-224 key', chain: viaInter('ec-p224'), expect: 'weak-key', openssl: 'ok', note: 'P-224 has 112-bit strength, enough for openssl level 2; HDAP asks for P-256' },
  { name: 'SHA-1 signature', chain: viaInter('sha1'), expect: 'weak-signature-algorithm', openssl: 'fail' },
  { name: 'MD5 signature', chain: direct('md5'), expect: 'weak-signature-algorithm', openssl: 'fail' },
  { name: 'SHA-1 and expired: the earlier check names it', chain: direct('sha1-and-expired'), expect: 'weak-signature-algorithm', openssl: 'fail' },
  { name: 'a CA below an intermediate with pathLenConstraint 0', chain: via('under-sub', 'sub', 'inter'), expect: 'path-length-exceeded', openssl: 'fail' },
  { name: 'one CA below an intermediate with pathLenConstraint 1', chain: via('under-deep', 'deep', 'wide'), expect: 'ok', openssl: 'ok' },
  { name: 'leaf with an unknown critical extension', chain: viaInter('critical-unknown'), expect: 'unknown-critical-extension', openssl: 'fail' },
  { name: 'intermediate with an unknown critical extension', chain: via('under-odd', 'odd'), expect: 'unknown-critical-extension', openssl: 'fail' },
  { name: 'intermediate with critical nameConstraints', chain: via('under-constrained', 'constrained'), expect: 'unknown-critical-extension', openssl: 'ok',
    note: 'openssl enforces name constraints (the leaf conforms); we do not evaluate them, so a CA that makes them critical is refused rather than half-obeyed' },
  { name: 'EC key with explicit curve parameters', chain: viaInter('explicit-curve'), expect: 'unsupported-key', openssl: 'fail' },
  { name: 'EKU clientAuth plus anyExtendedKeyUsage', chain: viaInter('any-eku'), expect: 'wrong-key-usage', openssl: 'ok', note: PROFILE },
  { name: 'critical EKU', chain: viaInter('critical-eku'), expect: 'wrong-key-usage', openssl: 'ok', note: PROFILE },
  { name: 'X.509 v1 leaf', chain: viaInter('v1'), expect: 'unsupported-version', openssl: 'ok', note: PROFILE },
  { name: 'DSA-2048 key', chain: viaInter('dsa'), expect: 'unsupported-key', openssl: 'ok', note: PROFILE },
  { name: 'RSA modulus of 2052 bits', chain: viaInter('rsa-2052'), expect: 'unsupported-key', openssl: 'ok', note: PROFILE },
];

async function opensslVerify(leaf: TestCert, untrusted: TestCert[] = []): Promise<'ok' | 'fail'> {
  const args = ['verify', '-auth_level', '2', '-purpose', 'sslclient', '-CAfile', pki.root.certPath, '-crl_check', ...crlPaths.flatMap((p) => ['-CRLfile', p])];
  for (const u of untrusted) args.push('-untrusted', u.certPath);
  args.push(leaf.certPath);
  try {
    await exec('openssl', args);
    return 'ok';
  } catch {
    return 'fail';
  }
}

for (const row of rows) {
  test(`mutual authentication: ${row.name} → ${row.expect}`, async (t) => {
    const { der, leaf, untrusted } = row.chain();
    const result = verifyClientCertificate(der, { trust, crls, now: new Date() });
    if (row.expect === 'ok') {
      t.true(result.ok, JSON.stringify(result));
      if (result.ok && leaf) {
        t.deepEqual(result.warnings, []);
        const { stdout } = await exec('openssl', ['x509', '-in', leaf.certPath, '-noout', '-serial', '-fingerprint', '-sha256']);
        t.true(stdout.includes(`serial=${result.serial}`), stdout);
        t.true(stdout.includes(`Fingerprint=${result.fingerprint}`), stdout);
      }
    } else {
      t.false(result.ok);
      if (!result.ok) {
        t.is(result.reason, row.expect, result.detail);
        t.true(result.detail.length > 0);
      }
    }
    if (row.openssl && leaf) t.is(await opensslVerify(leaf, untrusted), row.openssl, row.note ?? 'openssl verify disagrees');
  });
}

test('a revoked certificate passes when no CRL is loaded (revocation is by loaded CRLs only)', (t) => {
  const result = verifyClientCertificate([certs['revoked'].der, pki.inter.der], { trust, crls: [], now: new Date() });
  t.true(result.ok);
});

test('an expired trusted CA fails the chain as expired, naming the CA', (t) => {
  // The leaf outlives the root (openssl ca does not cap it); eleven years on only the root has expired.
  const later = new Date(Date.now() + 11 * 365 * DAY);
  const result = verifyClientCertificate([certs['outlives-root'].der], { trust, crls: [], now: later });
  t.false(result.ok);
  if (!result.ok) {
    t.is(result.reason, 'expired');
    t.regex(result.detail, /trusted CA .*Test Root CA/);
  }
});

test('chainFromPeerCertificate flattens Node’s linked chain and stops at a self-linked root', (t) => {
  const root: { raw: Buffer; issuerCertificate?: unknown } = { raw: pki.root.der };
  root.issuerCertificate = root;
  const peer = { raw: certs['good-ec'].der, issuerCertificate: { raw: pki.inter.der, issuerCertificate: root } };
  t.deepEqual(chainFromPeerCertificate(peer as never), [certs['good-ec'].der, pki.inter.der, pki.root.der]);
  t.deepEqual(chainFromPeerCertificate({} as never), []);
  t.deepEqual(chainFromPeerCertificate(undefined), []);
  // A chain that includes the trusted root is fine too.
  t.true(verifyClientCertificate(chainFromPeerCertificate(peer as never), { trust, crls, now: new Date() }).ok);
});
