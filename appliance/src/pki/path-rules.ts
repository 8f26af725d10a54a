/**
 * The per-certificate rules of client-certificate validation (RFC 5280 §4 and §6.1, plus the key and usage
 * policy of HDAP.md §2), each answering with a named reason. verify-client.ts applies them in its fixed
 * order; the trust store applies the structural and key rules to CA uploads.
 *
 * Why the structural rules judge parsed facts instead of refusing to parse: certificates stored by an
 * older version must still load; they are refused where they are used, by name.
 */
import { keyStrength } from './algorithms.ts';
import { OID, validityAt, type CertificateInfo } from './certificate.ts';

export type ClientAuthFailure =
  | 'no-certificate'
  | 'unsupported-version'
  | 'duplicate-extension'
  | 'unknown-critical-extension'
  | 'weak-signature-algorithm'
  | 'weak-key'
  | 'unsupported-key'
  | 'not-yet-valid'
  | 'expired'
  | 'wrong-key-usage'
  | 'untrusted-issuer'
  | 'bad-signature'
  | 'path-length-exceeded'
  | 'revoked'
  | 'revocation-unknown';

export type Failure = { reason: ClientAuthFailure; detail: string };

/**
 * Extensions we process or that carry no constraint we could be failing to apply. A critical extension not
 * listed here fails the certificate (RFC 5280 §4.2). Deliberately absent: nameConstraints, policyConstraints,
 * policyMappings and inhibitAnyPolicy, which constrain the path and which we do not evaluate — a CA that
 * marks one critical is refused rather than half-obeyed. certificatePolicies is listed because we accept
 * any policy (RFC 5280 §6.1.1 with user-initial-policy-set anyPolicy and no explicit policy required).
 */
const KNOWN_EXTENSIONS: Record<string, string> = {
  [OID.keyUsage]: 'keyUsage',
  [OID.extKeyUsage]: 'extKeyUsage',
  [OID.basicConstraints]: 'basicConstraints',
  [OID.subjectAltName]: 'subjectAltName',
  '2.5.29.18': 'issuerAltName',
  [OID.subjectKeyId]: 'subjectKeyIdentifier',
  [OID.authorityKeyId]: 'authorityKeyIdentifier',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.46': 'freshestCRL',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.5.5.7.1.11': 'subjectInfoAccess',
};
const UNENFORCED: Record<string, string> = {
  '2.5.29.30': 'nameConstraints',
  '2.5.29.33': 'policyMappings',
  '2.5.29.36': 'policyConstraints',
  '2.5.29.54': 'inhibitAnyPolicy',
};

/** v3, no repeated extension, no critical extension we do not process. */
export function structureCheck(cert: CertificateInfo, name: string): Failure | undefined {
  if (cert.version !== 3) {
    return { reason: 'unsupported-version', detail: `${name} is an X.509 v${cert.version} certificate; only v3 is accepted (earlier versions cannot state their usage or CA status)` };
  }
  const seen = new Set<string>();
  for (const { oid } of cert.extensions) {
    if (seen.has(oid)) return { reason: 'duplicate-extension', detail: `${name} has the extension ${KNOWN_EXTENSIONS[oid] ?? oid} more than once (RFC 5280 §4.2)` };
    seen.add(oid);
  }
  const unknown = cert.extensions.find((e) => e.critical && !KNOWN_EXTENSIONS[e.oid]);
  if (unknown) {
    const what = UNENFORCED[unknown.oid] ? `${UNENFORCED[unknown.oid]}, which this appliance does not enforce` : `${unknown.oid}, which this appliance does not process`;
    return { reason: 'unknown-critical-extension', detail: `${name} has a critical extension ${what} (RFC 5280 §4.2)` };
  }
  return undefined;
}

/** Key family and size; EC keys must name their curve (explicit parameters are how CVE-2020-0601 spoofed a CA). */
export function keyCheck(cert: CertificateInfo, name: string): Failure | undefined {
  if (cert.keyAlgorithm.oid === '1.2.840.10045.2.1' && !cert.keyAlgorithm.namedCurve) {
    return { reason: 'unsupported-key', detail: `${name} has an EC key with explicit curve parameters (only named curves are accepted)` };
  }
  const strength = keyStrength(cert.publicKey);
  if (!strength.ok) return { reason: strength.code ?? 'weak-key', detail: `${name} has ${strength.problem}` };
  return undefined;
}

export function datesCheck(cert: CertificateInfo, name: string, now: Date): Failure | undefined {
  const validity = validityAt(cert, now);
  if (validity === 'not-yet-valid') return { reason: 'not-yet-valid', detail: `${name} is valid from ${cert.notBefore.toISOString()}` };
  if (validity === 'expired') return { reason: 'expired', detail: `${name} expired ${cert.notAfter.toISOString()}` };
  return undefined;
}

/** Everything a certificate is judged on by itself: structure, signature algorithm, key, dates. */
export function ownChecks(cert: CertificateInfo, role: string, now: Date): Failure | undefined {
  const name = `${role} ${cert.subject.text}`;
  const structure = structureCheck(cert, name);
  if (structure) return structure;
  if (cert.signatureAlgorithm.weak) {
    return { reason: 'weak-signature-algorithm', detail: `${name} is signed with ${cert.signatureAlgorithm.name}` };
  }
  return keyCheck(cert, name) ?? datesCheck(cert, name, now);
}

/**
 * The trust anchor: its self-signature is not judged (it is trusted by configuration), but its structure
 * (an unknown critical extension constrains everything below it), key and dates are.
 */
export function anchorChecks(anchor: CertificateInfo, now: Date): Failure | undefined {
  const name = `trusted CA ${anchor.subject.text}`;
  return structureCheck(anchor, name) ?? keyCheck(anchor, name) ?? datesCheck(anchor, name, now);
}

/**
 * The leaf must be usable for TLS client authentication: an EKU, when present, names clientAuth, is not
 * critical and does not add anyExtendedKeyUsage (a device certificate good for every purpose is one a
 * stolen device key can impersonate servers with); keyUsage, when present, includes digitalSignature
 * (the client signs the handshake).
 */
export function usageCheck(leaf: CertificateInfo): Failure | undefined {
  if (leaf.extKeyUsage) {
    if (!leaf.extKeyUsage.includes(OID.clientAuth)) {
      return { reason: 'wrong-key-usage', detail: `extended key usage ${leaf.extKeyUsage.join(', ')} lacks clientAuth` };
    }
    if (leaf.extKeyUsage.includes(OID.anyExtendedKeyUsage)) {
      return { reason: 'wrong-key-usage', detail: 'extended key usage includes anyExtendedKeyUsage; a device certificate must name its purposes' };
    }
    if (leaf.extensions.some((e) => e.oid === OID.extKeyUsage && e.critical)) {
      return { reason: 'wrong-key-usage', detail: 'extended key usage is marked critical (the CA/Browser Forum profile we follow keeps it non-critical)' };
    }
  }
  if (leaf.keyUsage && !leaf.keyUsage.digitalSignature) {
    return { reason: 'wrong-key-usage', detail: 'key usage lacks digitalSignature' };
  }
  return undefined;
}

/** RFC 5280 §6.1.4 (l)/(m): a CA's pathLenConstraint bounds the non-self-issued intermediates below it. */
export function pathLengthCheck(path: CertificateInfo[]): Failure | undefined {
  for (let k = 1; k < path.length; k++) {
    const limit = path[k].pathLenConstraint;
    if (limit === undefined) continue;
    const below = path.slice(1, k).filter((c) => c.subject.key !== c.issuer.key).length;
    if (below > limit) {
      const role = k === path.length - 1 ? 'trusted CA' : 'intermediate';
      return { reason: 'path-length-exceeded', detail: `${role} ${path[k].subject.text} allows ${limit} intermediate CA(s) below it (pathLenConstraint), the chain has ${below}` };
    }
  }
  return undefined;
}
