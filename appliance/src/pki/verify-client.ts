/**
 * Device client-certificate validation for the `mutual-authentication` server mode (HDAP.md §2), following
 * RFC 5280 §6.1 with the key and usage policy of HDAP.md §2.
 *
 * Checks run in a fixed order and the first failure is the answer, so a certificate with several faults
 * always gets the same reason:
 *   1. no-certificate            empty chain, or a leaf that is not a parseable X.509 certificate
 *   2. the leaf by itself (path-rules.ts): unsupported-version (not v3), duplicate-extension,
 *      unknown-critical-extension, weak-signature-algorithm (MD2/MD4/MD5/SHA-1, before anything trusts its
 *      content), unsupported-key (DSA, explicit EC curve, RSA modulus not whole bytes), weak-key (below
 *      RSA-2048 / EC P-256), not-yet-valid, expired
 *   3. wrong-key-usage           EKU present without clientAuth, with anyExtendedKeyUsage, or critical;
 *                                keyUsage present without digitalSignature
 *   4. chain                     untrusted-issuer: no path by issuer name to a trusted CA (through the
 *                                presented intermediates); bad-signature: a path exists by name but a
 *                                signature on it does not verify (e.g. a forgery naming a trusted CA)
 *   5. the intermediates and the anchor on that path: not a CA → untrusted-issuer, then the checks of 2
 *      (the anchor's self-signature and signature algorithm excepted) — each detail names the certificate
 *   6. path-length-exceeded      a CA's pathLenConstraint is smaller than the intermediates below it
 *   7. revoked / revocation-unknown: a loaded CRL covering a certificate on the path lists it; or CRLs for
 *      its issuer are loaded but none can be used (issuer lacks cRLSign, signature fails, a critical
 *      extension we do not process). A CRL that cannot be relied on refuses rather than silently letting
 *      everything through; a CA with no CRL loaded at all is not revocation-checked (HDAP.md §2).
 * The trust anchor's own self-signature is not judged (anchors are trusted by configuration, not by their
 * signature), but its structure, key strength and dates are.
 */
import { isSignedBy, parseCertificate, type CertificateInfo } from './certificate.ts';
import { crlCovers, crlFreshness, crlSignerProblem, revocationOf, type Crl } from './crl.ts';
import { anchorChecks, ownChecks, pathLengthCheck, usageCheck, type ClientAuthFailure, type Failure } from './path-rules.ts';
import type { TrustStore } from './trust-store.ts';

export type { ClientAuthFailure } from './path-rules.ts';
export { chainFromPeerCertificate, peerCertificateChain, type PeerCertificateLike } from './peer-chain.ts';

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
    const failure = isAnchor ? anchorChecks(ca, now) : ownChecks(ca, role, now);
    if (failure) return failure;
  }
  return pathLengthCheck(path);
}

const SIGNER_PROBLEMS = {
  'not-crl-signer': 'its keyUsage lacks cRLSign',
  'bad-signature': 'the CRL signature does not verify with its key',
  'unsupported-algorithm': 'the CRL signature algorithm is not supported',
} as const;

function revocationCheck(path: CertificateInfo[], ctx: VerifyClientContext, warnings: string[]): Failure | undefined {
  const crls = [...ctx.crls];
  for (let i = 0; i < path.length - 1; i++) {
    const cert = path[i];
    const issuer = path[i + 1];
    const covering = crls.filter((crl) => crlCovers(crl, cert, issuer));
    if (covering.length === 0) continue;
    const unusable: string[] = [];
    let usable = 0;
    for (const crl of covering) {
      const signer = crlSignerProblem(crl, issuer);
      if (crl.problems.length > 0 || signer) {
        unusable.push(signer ? SIGNER_PROBLEMS[signer] : crl.problems[0]);
        continue;
      }
      usable++;
      if (crlFreshness(crl, ctx.now) === 'stale') {
        warnings.push(`crl-stale: CRL of ${crl.issuer.text} was due ${crl.nextUpdate?.toISOString()}`);
      }
      const entry = revocationOf(crl, cert.serial);
      if (entry) {
        const why = entry.reason ? ` (${entry.reason})` : '';
        return { reason: 'revoked', detail: `${cert.subject.text} serial ${cert.serial} revoked ${entry.revokedAt.toISOString()}${why}` };
      }
    }
    if (usable === 0) {
      return {
        reason: 'revocation-unknown',
        detail: `a CRL of ${issuer.subject.text} is loaded but cannot be used (${unusable[0]}), so whether ${cert.subject.text} is revoked is unknown; load a CRL that CA signed or remove the old one`,
      };
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
