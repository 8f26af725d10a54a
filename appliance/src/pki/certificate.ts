/**
 * One parsed X.509 certificate, whatever its key type.
 *
 * forge's own certificate reader refuses non-RSA keys, so the structure is read with forge.asn1 here, and
 * node:crypto's X509Certificate supplies what needs real crypto (public key object, fingerprint, signature
 * check). Both read the same DER, so they cannot disagree about which certificate this is.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { parseSignatureAlgorithm, type SignatureAlgorithm } from './algorithms.ts';
import {
  type Asn1, Tag, bytesOf, children, isContext, isUniversal, parseDer, readBitString, readChildren, readIntegerHex,
  readOid, readTime, readTlv, slice, toBuffer,
} from './der.ts';
import { parsing, PkiError } from './errors.ts';
import { parseName, type DistinguishedName } from './names.ts';
import { toPem } from './pem.ts';

export const OID = {
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** KeyUsage bits we look at (RFC 5280 §4.2.1.3). */
export interface KeyUsage {
  digitalSignature: boolean;
  keyEncipherment: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
}

export interface CertificateInfo {
  der: Buffer;
  x509: X509Certificate;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Upper-case hex of whole octets (as `openssl x509 -serial` prints it). */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, `AB:CD:…` (as `openssl x509 -fingerprint -sha256` prints it). */
  fingerprint: string;
  signatureAlgorithm: SignatureAlgorithm;
  publicKey: KeyObject;
  /** Absent when the certificate has no KeyUsage extension. */
  keyUsage?: KeyUsage;
  /** Absent when the certificate has no ExtendedKeyUsage extension. */
  extKeyUsage?: string[];
  isCa: boolean;
  /** basicConstraints pathLenConstraint, when present. */
  pathLenConstraint?: number;
  /** 1 for v1, 3 for v3 (the encoded INTEGER plus one). */
  version: number;
  /** Every extension in encoded order, duplicates included (the map-shaped fields above keep the last). */
  extensions: { oid: string; critical: boolean }[];
  /** SubjectPublicKeyInfo algorithm; an EC key with explicit curve parameters has `namedCurve` undefined. */
  keyAlgorithm: { oid: string; namedCurve?: string };
  subjectKeyId?: string;
  authorityKeyId?: string;
  /** dNSName and iPAddress entries of the SubjectAltName extension. */
  altNames: string[];
  /** Raw DER of the subject Name and SubjectPublicKeyInfo, for building certificates that copy them. */
  rawSubject: Buffer;
  rawSubjectPublicKeyInfo: Buffer;
}

export interface Extension {
  critical: boolean;
  /** DER inside the extnValue OCTET STRING. */
  value: Buffer;
}

/** Reads `Extensions ::= SEQUENCE OF Extension` in encoded order, duplicates kept (judging them is the caller's). */
export function readExtensionList(node: Asn1 | undefined): (Extension & { oid: string })[] {
  return children(node, 'extensions').map((ext) => {
    const fields = children(ext, 'extension');
    const oid = readOid(fields[0], 'extension id');
    const critical = isUniversal(fields[1], Tag.BOOLEAN) ? bytesOf(fields[1], 'critical') !== '\x00' : false;
    const valueNode = fields[fields.length - 1];
    if (!isUniversal(valueNode, Tag.OCTETSTRING)) throw new PkiError('malformed', `extension ${oid}: expected OCTET STRING`);
    return { oid, critical, value: toBuffer(bytesOf(valueNode, oid)) };
  });
}

/** Reads `Extensions ::= SEQUENCE OF Extension` into a map by OID (a repeated OID keeps its last value). */
export function readExtensions(node: Asn1 | undefined): Map<string, Extension> {
  return new Map(readExtensionList(node).map(({ oid, ...ext }) => [oid, ext]));
}

function readKeyUsage(ext: Extension): KeyUsage {
  const bits = readBitString(parseDer(ext.value, 'keyUsage'), 'keyUsage', true);
  const first = bits[0] ?? 0;
  return {
    digitalSignature: (first & 0x80) !== 0,
    keyEncipherment: (first & 0x20) !== 0,
    keyCertSign: (first & 0x04) !== 0,
    cRLSign: (first & 0x02) !== 0,
  };
}

function readBasicConstraints(ext: Extension): { isCa: boolean; pathLen?: number } {
  const fields = children(parseDer(ext.value, 'basicConstraints'), 'basicConstraints');
  const isCa = isUniversal(fields[0], Tag.BOOLEAN) && bytesOf(fields[0], 'cA') !== '\x00';
  const last = fields[fields.length - 1];
  if (!isUniversal(last, Tag.INTEGER)) return { isCa };
  const bytes = toBuffer(bytesOf(last, 'pathLenConstraint'));
  if ((bytes[0] ?? 0) & 0x80) throw new PkiError('malformed', 'basicConstraints: negative pathLenConstraint');
  // Beyond any chain we would follow, so "unlimited" is exact enough.
  return { isCa, pathLen: bytes.length > 6 ? Infinity : bytes.reduce((n, b) => n * 256 + b, 0) };
}

/** The key algorithm of a SubjectPublicKeyInfo; EC parameters other than a namedCurve OID leave the curve unnamed. */
function readKeyAlgorithm(spki: Buffer): { oid: string; namedCurve?: string } {
  const [algorithm] = children(parseDer(spki, 'subjectPublicKeyInfo'), 'subjectPublicKeyInfo');
  const [oidNode, params] = children(algorithm, 'subjectPublicKeyInfo algorithm');
  const oid = readOid(oidNode, 'key algorithm');
  if (oid !== EC_PUBLIC_KEY) return { oid };
  return isUniversal(params, Tag.OID) ? { oid, namedCurve: readOid(params, 'namedCurve') } : { oid };
}

function hex(bytes: string): string {
  return forge.util.bytesToHex(bytes).toUpperCase();
}

function readAltNames(ext: Extension): string[] {
  const names: string[] = [];
  for (const gn of children(parseDer(ext.value, 'subjectAltName'), 'subjectAltName')) {
    if (isContext(gn, 2)) names.push(bytesOf(gn, 'dNSName'));
    if (isContext(gn, 7)) {
      const ip = toBuffer(bytesOf(gn, 'iPAddress'));
      names.push(ip.length === 4 ? [...ip].join('.') : (ip.toString('hex').match(/.{4}/g) ?? []).join(':'));
    }
  }
  return names;
}

export function parseCertificate(der: Buffer): CertificateInfo {
  return parsing('certificate', () => readCertificate(der));
}

function readCertificate(der: Buffer): CertificateInfo {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (error) {
    throw new PkiError('malformed', `not an X.509 certificate: ${(error as Error).message}`, { cause: error });
  }
  const exact = x509.raw;
  const root = parseDer(exact, 'certificate');
  const [tbs, sigAlg] = children(root, 'certificate');
  const fields = children(tbs, 'TBSCertificate');
  const offset = isContext(fields[0], 0) ? 1 : 0; // version [0] is absent in v1 certificates
  const [serial, , issuer, validity, subject] = fields.slice(offset);
  const [notBefore, notAfter] = children(validity, 'validity');
  const extsNode = fields.find((f) => isContext(f, 3));
  const extList = extsNode ? readExtensionList(children(extsNode, 'extensions')[0]) : [];
  const exts = new Map<string, Extension>(extList.map(({ oid, ...ext }) => [oid, ext]));
  const version = offset ? toBuffer(bytesOf(children(fields[0], 'version')[0], 'version'))[0] + 1 : 1;

  const rawTbs = readTlv(exact, readTlv(exact, 0).contentStart);
  const rawFields = readChildren(exact, rawTbs).slice(offset);

  const ku = exts.get(OID.keyUsage);
  const eku = exts.get(OID.extKeyUsage);
  const bc = exts.get(OID.basicConstraints);
  const ski = exts.get(OID.subjectKeyId);
  const aki = exts.get(OID.authorityKeyId);
  const san = exts.get(OID.subjectAltName);
  const basic = bc ? readBasicConstraints(bc) : { isCa: false };
  const rawSpki = slice(exact, rawFields[5]);
  const akiKeyId = aki ? children(parseDer(aki.value, 'authorityKeyIdentifier'), 'aki').find((n) => isContext(n, 0)) : undefined;
  return {
    der: exact,
    x509,
    subject: parseName(subject),
    issuer: parseName(issuer),
    serial: readIntegerHex(serial, 'serialNumber'),
    notBefore: readTime(notBefore, 'notBefore'),
    notAfter: readTime(notAfter, 'notAfter'),
    fingerprint: x509.fingerprint256,
    signatureAlgorithm: parseSignatureAlgorithm(sigAlg),
    publicKey: x509.publicKey,
    keyUsage: ku ? readKeyUsage(ku) : undefined,
    extKeyUsage: eku ? children(parseDer(eku.value, 'extKeyUsage'), 'extKeyUsage').map((n) => readOid(n, 'EKU')) : undefined,
    isCa: basic.isCa,
    pathLenConstraint: basic.pathLen,
    version,
    extensions: extList.map(({ oid, critical }) => ({ oid, critical })),
    keyAlgorithm: readKeyAlgorithm(rawSpki),
    subjectKeyId: ski ? hex(bytesOf(parseDer(ski.value, 'subjectKeyIdentifier'), 'ski')) : undefined,
    authorityKeyId: akiKeyId ? hex(bytesOf(akiKeyId, 'aki keyIdentifier')) : undefined,
    altNames: san ? readAltNames(san) : [],
    rawSubject: slice(exact, rawFields[4]),
    rawSubjectPublicKeyInfo: rawSpki,
  };
}

export function certificateToPem(cert: CertificateInfo): string {
  return toPem('CERTIFICATE', cert.der);
}

/** True when `issuerKey` verifies `cert`'s signature; a key of an unusable type simply does not verify. */
export function isSignedBy(cert: CertificateInfo, issuerKey: KeyObject): boolean {
  try {
    return cert.x509.verify(issuerKey);
  } catch {
    return false;
  }
}

/**
 * Validity check relative to `now`, at the one-second resolution certificate times have (RFC 5280
 * §4.1.2.5: no fractional seconds): notAfter 12:00:00 covers all of that second, notBefore 12:00:01 none of
 * 12:00:00.999.
 */
export function validityAt(cert: CertificateInfo, now: Date): 'valid' | 'expired' | 'not-yet-valid' {
  const second = Math.floor(now.getTime() / 1000) * 1000;
  if (second < cert.notBefore.getTime()) return 'not-yet-valid';
  if (second > cert.notAfter.getTime()) return 'expired';
  return 'valid';
}
