/**
 * Device client-certificate validation for the `mutual-authentication` server mode (HDAP.md §2).
 *
 * Checks run in a fixed order and the first failure is the answer, so a certificate with several faults
 * always gets the same reason:
 *   1. no-certificate            empty chain, or a leaf that is not a parseable X.509 certificate
 *   2. weak-signature-algorithm  leaf signed with MD2/MD4/MD5/SHA-1 (before anything trusts its content)
 *   3. weak-key                  leaf key below RSA-2048 / EC P-256
 *   4. not-yet-valid, 5. expired leaf validity dates against ctx.now
 *   6. wrong-key-usage           EKU present without clientAuth (anyExtendedKeyUsage does not count, as in
 *                                OpenSSL), or keyUsage present without digitalSignature
 *   7. chain                     untrusted-issuer: no path by issuer name to a trusted CA (through the
 *                                presented intermediates); bad-signature: a path exists by name but a
 *                                signature on it does not verify (e.g. a forgery naming a trusted CA)
 *   8. the intermediates and the anchor on that path: not a CA → untrusted-issuer, then weak-signature-
 *      algorithm, weak-key, not-yet-valid, expired — each detail names the certificate
 *   9. revoked                   any certificate on the path listed by a CRL its issuer signed
 * The trust anchor's own self-signature is not judged (anchors are trusted by configuration, not by their
 * signature), but its key strength and dates are.
 */
import { keyStrength } from './algorithms.ts';
import { isSignedBy, parseCertificate, validityAt, type CertificateInfo, OID } from './certificate.ts';
import { crlFreshness, crlSignedBy, revocationOf, type Crl } from './crl.ts';
import type { TrustStore } from './trust-store.ts';

export type ClientAuthFailure =
  | 'no-certificate'
  | 'weak-signature-algorithm'
  | 'weak-key'
  | 'not-yet-valid'
  | 'expired'
  | 'wrong-key-usage'
  | 'untrusted-issuer'
  | 'bad-signature'
  | 'revoked';

export interface VerifyClientContext {
  trust: Pick<TrustStore, 'issuersOf'>;
  /** Loaded CRLs (a CrlList or an array). */
  crls: Iterable<Crl>;
  now: Date;
}

export type VerifyClientResult =
  | {
      ok: true;
      subject: string;
      fingerprint: string;
      issuer: string;
      serial: string;
      /** Subjects from leaf to trust anchor. */
      path: string[];
      /** Non-fatal findings, e.g. `crl-stale: …` when a list used for the revocation check is past nextUpdate. */
      warnings: string[];
    }
  | {
      ok: false;
      reason: ClientAuthFailure;
      detail: string;
      /** Leaf identity, when the leaf could be parsed (for the log and the device record). */
      subject?: string;
      fingerprint?: string;
    };

/** Longest path we follow; real device PKIs are two or three deep. */
const MAX_DEPTH = 8;

type Failure = { reason: ClientAuthFailure; detail: string };

function ownChecks(cert: CertificateInfo, role: string, now: Date): Failure | undefined {
  const name = `${role} ${cert.subject.text}`;
  if (cert.signatureAlgorithm.weak) {
    return { reason: 'weak-signature-algorithm', detail: `${name} is signed with ${cert.signatureAlgorithm.name}` };
  }
  const strength = keyStrength(cert.publicKey);
  if (!strength.ok) return { reason: 'weak-key', detail: `${name} has a ${strength.description} key (minimum RSA 2048 or EC P-256)` };
  return datesCheck(cert, name, now);
}

function datesCheck(cert: CertificateInfo, name: string, now: Date): Failure | undefined {
  const validity = validityAt(cert, now);
  if (validity === 'not-yet-valid') return { reason: 'not-yet-valid', detail: `${name} is valid from ${cert.notBefore.toISOString()}` };
  if (validity === 'expired') return { reason: 'expired', detail: `${name} expired ${cert.notAfter.toISOString()}` };
  return undefined;
}

function usageCheck(leaf: CertificateInfo): Failure | undefined {
  if (leaf.extKeyUsage && !leaf.extKeyUsage.includes(OID.clientAuth)) {
    return { reason: 'wrong-key-usage', detail: `extended key usage ${leaf.extKeyUsage.join(', ')} lacks clientAuth` };
  }
  if (leaf.keyUsage && !leaf.keyUsage.digitalSignature) {
    return { reason: 'wrong-key-usage', detail: 'key usage lacks digitalSignature' };
  }
  return undefined;
}

interface PathResult {
  /** Leaf first, trust anchor last. */
  path: CertificateInfo[];
  failure?: Failure;
}

/**
 * Follows issuer names from the leaf through presented intermediates to a trusted CA. Among several
 * same-named candidates one whose signature verifies is preferred; if only non-verifying ones exist the
 * walk continues through the first so that reaching a trusted CA can be told apart (bad-signature) from
 * never reaching one (untrusted-issuer).
 */
function buildPath(leaf: CertificateInfo, presented: CertificateInfo[], ctx: VerifyClientContext): PathResult {
  const path = [leaf];
  let brokenLink: string | undefined;
  for (let current = leaf; path.length <= MAX_DEPTH; ) {
    const anchors = ctx.trust.issuersOf(current);
    if (anchors.length > 0) {
      const anchor = anchors.find((a) => isSignedBy(current, a.publicKey));
      if (!anchor) {
        return { path, failure: { reason: 'bad-signature', detail: `${current.subject.text} names trusted CA ${current.issuer.text} but its signature does not verify with that CA's key` } };
      }
      path.push(anchor);
      if (brokenLink) return { path, failure: { reason: 'bad-signature', detail: brokenLink } };
      return { path };
    }
    const candidates = presented.filter((c) => c.subject.key === current.issuer.key && !path.includes(c));
    if (candidates.length === 0) break;
    const next = candidates.find((c) => isSignedBy(current, c.publicKey)) ?? candidates[0];
    if (!brokenLink && !isSignedBy(current, next.publicKey)) {
      brokenLink = `signature of ${current.subject.text} does not verify with the key of ${next.subject.text}`;
    }
    path.push(next);
    current = next;
  }
  const last = path[path.length - 1];
  return { path, failure: { reason: 'untrusted-issuer', detail: `issuer ${last.issuer.text} is not a trusted CA` } };
}

function issuerChecks(path: CertificateInfo[], now: Date): Failure | undefined {
  for (let i = 1; i < path.length; i++) {
    const ca = path[i];
    const isAnchor = i === path.length - 1;
    const role = isAnchor ? 'trusted CA' : 'intermediate';
    if (!ca.isCa || (ca.keyUsage && !ca.keyUsage.keyCertSign)) {
      return { reason: 'untrusted-issuer', detail: `${role} ${ca.subject.text} is not allowed to issue certificates` };
    }
    const failure = isAnchor ? checkAnchor(ca, now) : ownChecks(ca, role, now);
    if (failure) return failure;
  }
  return undefined;
}

function checkAnchor(anchor: CertificateInfo, now: Date): Failure | undefined {
  const name = `trusted CA ${anchor.subject.text}`;
  const strength = keyStrength(anchor.publicKey);
  if (!strength.ok) return { reason: 'weak-key', detail: `${name} has a ${strength.description} key` };
  return datesCheck(anchor, name, now);
}

function revocationCheck(path: CertificateInfo[], ctx: VerifyClientContext, warnings: string[]): Failure | undefined {
  const crls = [...ctx.crls];
  for (let i = 0; i < path.length - 1; i++) {
    const cert = path[i];
    for (const crl of crls) {
      if (!crlSignedBy(crl, path[i + 1])) continue;
      if (crlFreshness(crl, ctx.now) === 'stale') {
        warnings.push(`crl-stale: CRL of ${crl.issuer.text} was due ${crl.nextUpdate?.toISOString()}`);
      }
      const entry = revocationOf(crl, cert.serial);
      if (entry) {
        const why = entry.reason ? ` (${entry.reason})` : '';
        return { reason: 'revoked', detail: `${cert.subject.text} serial ${cert.serial} revoked ${entry.revokedAt.toISOString()}${why}` };
      }
    }
  }
  return undefined;
}

/**
 * Validates a presented client chain (DER, leaf first, as the TLS peer sent it). Never throws for bad input:
 * every problem is a named failure.
 */
export function verifyClientCertificate(chain: Buffer[], ctx: VerifyClientContext): VerifyClientResult {
  if (chain.length === 0) return { ok: false, reason: 'no-certificate', detail: 'the client presented no certificate' };
  let leaf: CertificateInfo;
  try {
    leaf = parseCertificate(chain[0]);
  } catch (error) {
    return { ok: false, reason: 'no-certificate', detail: `the client certificate does not parse: ${(error as Error).message}` };
  }
  const presented: CertificateInfo[] = [];
  for (const der of chain.slice(1)) {
    try {
      presented.push(parseCertificate(der));
    } catch {
      // An unparseable extra certificate cannot be on a valid path; it is skipped, not fatal.
    }
  }
  const identity = { subject: leaf.subject.text, fingerprint: leaf.fingerprint };
  const fail = (f: Failure): VerifyClientResult => ({ ok: false, ...f, ...identity });

  const own = ownChecks(leaf, 'client certificate', ctx.now) ?? usageCheck(leaf);
  if (own) return fail(own);
  const { path, failure } = buildPath(leaf, presented, ctx);
  if (failure) return fail(failure);
  const issuerFailure = issuerChecks(path, ctx.now);
  if (issuerFailure) return fail(issuerFailure);
  const warnings: string[] = [];
  const revoked = revocationCheck(path, ctx, warnings);
  if (revoked) return fail(revoked);
  return {
    ok: true,
    ...identity,
    issuer: leaf.issuer.text,
    serial: leaf.serial,
    path: path.map((c) => c.subject.text),
    warnings: [...new Set(warnings)],
  };
}

/** Minimal shape of `tls.TLSSocket#getPeerCertificate(true)`; kept structural so this room needs no tls. */
export interface PeerCertificateLike {
  raw?: Buffer;
  issuerCertificate?: PeerCertificateLike;
}

/**
 * Flattens Node's linked peer certificate into the DER chain, leaf first. Node links a self-signed root to
 * itself, and an empty object means no certificate; both are handled.
 */
export function chainFromPeerCertificate(peer: PeerCertificateLike | undefined | null): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<PeerCertificateLike>();
  for (let cert = peer; cert && cert.raw && !seen.has(cert) && chain.length <= MAX_DEPTH; cert = cert.issuerCertificate) {
    seen.add(cert);
    chain.push(cert.raw);
  }
  return chain;
}
