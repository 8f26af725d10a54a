/**
 * Certificate revocation lists (RFC 5280 §5): parse, check the signature against an issuer, freshness, and
 * revoked-serial lookup.
 *
 * Neither forge (no CRL reader) nor node:crypto (no CRL API) parses CRLs, so the structure is read here
 * with forge.asn1 — only the fields revocation checking needs — and the signature is checked with
 * node:crypto over the exact TBSCertList bytes sliced from the input.
 */
import crypto from 'node:crypto';
import { parseSignatureAlgorithm, verifySigned, type SignatureAlgorithm } from './algorithms.ts';
import type { CertificateInfo } from './certificate.ts';
import { readExtensionList } from './certificate.ts';
import {
  Tag, bytesOf, children, encodeDer, sequence, isContext, isUniversal, normalizeSerial, parseDer, readBitString, readIntegerHex, readTime,
  signedPart, toBuffer, type Asn1,
} from './der.ts';
import { parsing, PkiError } from './errors.ts';
import { parseName, type DistinguishedName } from './names.ts';

const CRL_NUMBER = '2.5.29.20';
const DELTA_CRL_INDICATOR = '2.5.29.27';
const AUTHORITY_KEY_ID = '2.5.29.35';
const REASON_CODE = '2.5.29.21';
const ISSUING_DISTRIBUTION_POINT = '2.5.29.28';

/** CRL extensions we process or that cannot change which certificates the list covers (RFC 5280 §5.2). */
const KNOWN_CRL_EXTENSIONS = new Set([CRL_NUMBER, AUTHORITY_KEY_ID, ISSUING_DISTRIBUTION_POINT, '2.5.29.18', '2.5.29.46', '1.3.6.1.5.5.7.1.1']);
/** Entry extensions likewise (§5.3); certificateIssuer (indirect CRLs) is deliberately not among them. */
const KNOWN_ENTRY_EXTENSIONS = new Set([REASON_CODE, '2.5.29.24', '2.5.29.23']);

/** RFC 5280 §5.3.1 CRLReason names, by ENUMERATED value. */
const REASONS = [
  'unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation',
  'certificateHold', 'unused', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise',
];

export interface RevokedEntry {
  serial: string;
  revokedAt: Date;
  reason?: string;
}

export interface Crl {
  der: Buffer;
  issuer: DistinguishedName;
  thisUpdate: Date;
  /** RFC 5280 requires it; a CRL without one never goes stale by our reckoning. */
  nextUpdate?: Date;
  /** cRLNumber as upper-case hex, when present. */
  crlNumber?: string;
  authorityKeyId?: string;
  signatureAlgorithm: SignatureAlgorithm;
  /** Revoked serials, keyed by normalizeSerial form. */
  revoked: Map<string, RevokedEntry>;
  /** SHA-256 of the DER, `AB:CD:…`. */
  fingerprint: string;
  /** Exact signed bytes and signature value. */
  tbs: Buffer;
  signature: Buffer;
  /** Issuing distribution point scope: the list covers only end-entity (`user`) or only CA certificates. */
  scope?: 'user' | 'ca';
  /**
   * Why this list cannot be relied on (critical extensions we do not process, repeated extensions, a scope
   * we do not implement); empty when usable. Kept rather than thrown so a stored list still loads and the
   * certificates it covers are refused as revocation-unknown instead of passing unchecked.
   */
  problems: string[];
}

/** Judges an extension list: repeated OIDs and critical extensions outside `known` are problems. */
function extensionProblems(exts: { oid: string; critical: boolean }[], known: Set<string>, where: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { oid, critical } of exts) {
    if (seen.has(oid)) problems.push(`${where} has the extension ${oid} more than once`);
    seen.add(oid);
    if (critical && !known.has(oid)) problems.push(`${where} has a critical extension ${oid} that this appliance does not process`);
  }
  return problems;
}

/** IssuingDistributionPoint (§5.2.5): a distribution point name and a user-only/CA-only scope are understood. */
function readScope(value: Buffer, problems: string[]): Crl['scope'] {
  let scope: Crl['scope'];
  for (const field of children(parseDer(value, 'issuingDistributionPoint'), 'issuingDistributionPoint')) {
    if (isContext(field, 0)) continue;
    const on = typeof field.value === 'string' && field.value !== '\x00';
    if (isContext(field, 1) && on) scope = 'user';
    else if (isContext(field, 2) && on) scope = 'ca';
    else if (on) problems.push(`the CRL's issuing distribution point limits it in a way this appliance does not implement (field [${field.type}])`);
  }
  return scope;
}

function readEntries(node: Asn1, problems: string[]): Map<string, RevokedEntry> {
  const revoked = new Map<string, RevokedEntry>();
  for (const entry of children(node, 'revokedCertificates')) {
    const [serial, date, exts] = children(entry, 'revoked entry');
    const item: RevokedEntry = { serial: readIntegerHex(serial, 'userCertificate'), revokedAt: readTime(date, 'revocationDate') };
    const list = exts ? readExtensionList(exts) : [];
    if (problems.length < 10) problems.push(...extensionProblems(list, KNOWN_ENTRY_EXTENSIONS, `the entry for serial ${item.serial}`));
    const code = list.find((e) => e.oid === REASON_CODE);
    if (code) {
      const value = toBuffer(bytesOf(parseDer(code.value, 'reasonCode'), 'reasonCode'))[0];
      item.reason = REASONS[value] ?? `reason-${value}`;
    }
    revoked.set(item.serial, item);
  }
  return revoked;
}

/** Parses one DER CRL. Delta CRLs are refused: we only apply complete lists. */
export function parseCrl(der: Buffer): Crl {
  return parsing('CRL', () => readCrl(der));
}

function readCrl(der: Buffer): Crl {
  const root = parseDer(der, 'CRL');
  const [tbsNode, outerAlg, sigValue] = sequence(root, 'CertificateList');
  const fields = sequence(tbsNode, 'TBSCertList');
  let i = 0;
  // version is OPTIONAL (v1 CRLs omit it); v2 is INTEGER 1.
  if (isUniversal(fields[i], Tag.INTEGER)) i++;
  const innerAlg = fields[i++];
  const issuer = parseName(fields[i++]);
  const thisUpdate = readTime(fields[i++], 'thisUpdate');
  let nextUpdate: Date | undefined;
  if (isUniversal(fields[i], Tag.UTCTIME) || isUniversal(fields[i], Tag.GENERALIZEDTIME)) nextUpdate = readTime(fields[i++], 'nextUpdate');
  // revokedCertificates is omitted entirely (not an empty SEQUENCE) when nothing is revoked.
  const problems: string[] = [];
  const revoked = isUniversal(fields[i], Tag.SEQUENCE) ? readEntries(fields[i++], problems) : new Map<string, RevokedEntry>();
  const extsNode = isContext(fields[i], 0) ? fields[i++] : undefined;
  if (i !== fields.length) throw new PkiError('malformed', 'TBSCertList has unexpected trailing fields');

  // RFC 5280 §5.1.1.2: the inner and outer algorithm identifiers must be identical.
  if (!encodeDer(innerAlg).equals(encodeDer(outerAlg))) throw new PkiError('malformed', 'CRL signature algorithms disagree');

  const crl: Crl = {
    der,
    issuer,
    thisUpdate,
    nextUpdate,
    signatureAlgorithm: parseSignatureAlgorithm(outerAlg),
    revoked,
    fingerprint: (crypto.createHash('sha256').update(der).digest('hex').toUpperCase().match(/.{2}/g) ?? []).join(':'),
    tbs: signedPart(der),
    signature: readBitString(sigValue, 'CRL signature'),
    problems,
  };
  if (extsNode) {
    const list = readExtensionList(children(extsNode, 'crlExtensions')[0]);
    problems.unshift(...extensionProblems(list, KNOWN_CRL_EXTENSIONS, 'the CRL'));
    const exts = new Map(list.map(({ oid, ...ext }) => [oid, ext]));
    const idp = exts.get(ISSUING_DISTRIBUTION_POINT);
    if (idp) crl.scope = readScope(idp.value, problems);
    if (exts.has(DELTA_CRL_INDICATOR)) throw new PkiError('unsupported-algorithm', 'delta CRLs are not supported; import the full CRL');
    const number = exts.get(CRL_NUMBER);
    if (number) crl.crlNumber = readIntegerHex(parseDer(number.value, 'cRLNumber'), 'cRLNumber');
    const aki = exts.get(AUTHORITY_KEY_ID);
    const keyId = aki ? children(parseDer(aki.value, 'authorityKeyIdentifier'), 'aki').find((n) => isContext(n, 0)) : undefined;
    if (keyId) crl.authorityKeyId = toBuffer(bytesOf(keyId, 'aki keyIdentifier')).toString('hex').toUpperCase();
  }
  return crl;
}

/** Signature checks are memoised per (CRL, issuer) because large CRLs are re-checked on every handshake. */
const verified = new WeakMap<Crl, Map<string, boolean>>();

function signatureVerifies(crl: Crl, issuer: CertificateInfo): boolean {
  let memo = verified.get(crl);
  if (!memo) verified.set(crl, (memo = new Map()));
  let ok = memo.get(issuer.fingerprint);
  if (ok === undefined) {
    ok = verifySigned(crl.signatureAlgorithm, crl.tbs, crl.signature, issuer.publicKey);
    memo.set(issuer.fingerprint, ok);
  }
  return ok;
}

export type CrlSignerProblem = 'not-crl-signer' | 'bad-signature' | 'unsupported-algorithm';

/**
 * Why `issuer` cannot vouch for `crl`, or undefined when it can: its subject is the CRL's issuer name (the
 * caller matches names), the signature verifies with its key, and it may sign CRLs (no keyUsage, or keyUsage
 * with cRLSign). A verifying signature from a CA without cRLSign is told apart, so the admin learns that
 * the CA certificate, not the list, is what needs fixing.
 */
export function crlSignerProblem(crl: Crl, issuer: CertificateInfo): CrlSignerProblem | undefined {
  if (crl.signatureAlgorithm.family === 'unknown') return 'unsupported-algorithm';
  if (!signatureVerifies(crl, issuer)) return 'bad-signature';
  if (issuer.keyUsage && !issuer.keyUsage.cRLSign) return 'not-crl-signer';
  return undefined;
}

/** True when `issuer` signed `crl` and may sign CRLs. */
export function crlSignedBy(crl: Crl, issuer: CertificateInfo): boolean {
  return issuer.subject.key === crl.issuer.key && crlSignerProblem(crl, issuer) === undefined;
}

/**
 * Whether `crl` is the kind of list that speaks for `cert` issued by `issuer`: same issuer name, the same
 * issuer key when both name one (a re-keyed CA's old list does not cover the new key's certificates), and
 * a distribution-point scope that includes the certificate.
 */
export function crlCovers(crl: Crl, cert: CertificateInfo, issuer: CertificateInfo): boolean {
  if (crl.issuer.key !== issuer.subject.key) return false;
  if (crl.authorityKeyId && issuer.subjectKeyId && crl.authorityKeyId !== issuer.subjectKeyId) return false;
  if (crl.scope === 'user' && cert.isCa) return false;
  if (crl.scope === 'ca' && !cert.isCa) return false;
  return true;
}

/** `stale` once nextUpdate has passed: the CA should have published a newer list by now. */
export function crlFreshness(crl: Crl, now: Date): 'fresh' | 'stale' {
  return crl.nextUpdate && crl.nextUpdate.getTime() < now.getTime() ? 'stale' : 'fresh';
}

/** The revocation entry for `serial` (any hex form), or undefined. */
export function revocationOf(crl: Crl, serial: string): RevokedEntry | undefined {
  return crl.revoked.get(normalizeSerial(serial));
}

export interface CrlSummary {
  issuer: string;
  thisUpdate: string;
  nextUpdate?: string;
  crlNumber?: string;
  revokedCount: number;
  fingerprint: string;
  stale: boolean;
}

export function summarizeCrl(crl: Crl, now: Date): CrlSummary {
  return {
    issuer: crl.issuer.text,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString(),
    crlNumber: crl.crlNumber,
    revokedCount: crl.revoked.size,
    fingerprint: crl.fingerprint,
    stale: crlFreshness(crl, now) === 'stale',
  };
}
