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
import { readExtensions } from './certificate.ts';
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
}

function readEntries(node: Asn1): Map<string, RevokedEntry> {
  const revoked = new Map<string, RevokedEntry>();
  for (const entry of children(node, 'revokedCertificates')) {
    const [serial, date, exts] = children(entry, 'revoked entry');
    const item: RevokedEntry = { serial: readIntegerHex(serial, 'userCertificate'), revokedAt: readTime(date, 'revocationDate') };
    const code = exts ? readExtensions(exts).get(REASON_CODE) : undefined;
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
  const revoked = isUniversal(fields[i], Tag.SEQUENCE) ? readEntries(fields[i++]) : new Map<string, RevokedEntry>();
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
  };
  if (extsNode) {
    const exts = readExtensions(children(extsNode, 'crlExtensions')[0]);
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

/**
 * True when `issuer` signed `crl`: its subject is the CRL's issuer name, it may sign CRLs (no keyUsage, or
 * keyUsage with cRLSign) and the signature verifies with its key.
 */
export function crlSignedBy(crl: Crl, issuer: CertificateInfo): boolean {
  if (issuer.subject.key !== crl.issuer.key || crl.signatureAlgorithm.family === 'unknown') return false;
  if (issuer.keyUsage && !issuer.keyUsage.cRLSign) return false;
  let memo = verified.get(crl);
  if (!memo) verified.set(crl, (memo = new Map()));
  let ok = memo.get(issuer.fingerprint);
  if (ok === undefined) {
    ok = verifySigned(crl.signatureAlgorithm, crl.tbs, crl.signature, issuer.publicKey);
    memo.set(issuer.fingerprint, ok);
  }
  return ok;
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
