/**
 * Encoders for what the appliance signs: certificates, CRLs and certification requests.
 *
 * Built from forge.asn1 nodes and signed with node:crypto instead of forge.pki, because forge.pki only
 * handles RSA keys while devices send EC CSRs too. Names and public keys are copied as raw DER from the
 * CSR / CA certificate, so an issuer name is byte-identical to the CA's subject.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import forge from 'node-forge';
import { signData, signingAlgorithm } from './algorithms.ts';
import { OID } from './certificate.ts';
import { type Asn1, Tag, TagClass, build, children, encodeDer, parseDer, readBitString } from './der.ts';
import { PkiError } from './errors.ts';

// ---- extensions -----------------------------------------------------------------------------------------

export interface ExtensionSpec {
  oid: string;
  critical: boolean;
  /** DER of the extension value (what goes inside extnValue). */
  value: Asn1;
}

export type KeyUsageBit = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';
const KEY_USAGE_BITS: KeyUsageBit[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];

export const ext = {
  basicConstraints(ca: boolean, pathLen?: number): ExtensionSpec {
    const fields = ca ? [build.bool(true), ...(pathLen === undefined ? [] : [build.int(pathLen)])] : [];
    return { oid: OID.basicConstraints, critical: true, value: build.seq(fields) };
  },
  keyUsage(bits: KeyUsageBit[]): ExtensionSpec {
    let byte = 0;
    for (const bit of bits) byte |= 0x80 >> KEY_USAGE_BITS.indexOf(bit);
    // DER: trailing zero bits are dropped and counted as unused.
    let unused = 0;
    while (unused < 7 && !(byte & (1 << unused))) unused++;
    return { oid: OID.keyUsage, critical: true, value: build.bits(Buffer.from([byte]), unused) };
  },
  extKeyUsage(oids: string[]): ExtensionSpec {
    return { oid: OID.extKeyUsage, critical: false, value: build.seq(oids.map(build.oid)) };
  },
  subjectKeyId(spki: Buffer): ExtensionSpec {
    return { oid: OID.subjectKeyId, critical: false, value: build.octets(keyIdentifier(spki)) };
  },
  authorityKeyId(keyIdHex: string): ExtensionSpec {
    return { oid: OID.authorityKeyId, critical: false, value: build.seq([build.implicit(0, Buffer.from(keyIdHex, 'hex'))]) };
  },
  subjectAltName(dnsNames: string[], addresses: string[]): ExtensionSpec {
    const names = [
      ...dnsNames.map((n) => asn1Context(2, Buffer.from(n, 'ascii'))),
      ...addresses.map((a) => asn1Context(7, ipBytes(a))),
    ];
    return { oid: OID.subjectAltName, critical: false, value: build.seq(names) };
  },
};

function asn1Context(tag: number, data: Buffer): Asn1 {
  return build.implicit(tag, data);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(spki: Buffer): Buffer {
  const [, bits] = children(parseDer(spki, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  return crypto.createHash('sha1').update(readBitString(bits, 'subjectPublicKey')).digest();
}

/** IPv4/IPv6 text → 4 or 16 octets for an iPAddress GeneralName. */
export function ipBytes(address: string): Buffer {
  const ip = address.replace(/%.*$/, ''); // drop an IPv6 zone id: it has no meaning in a certificate
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) throw new PkiError('malformed', `not an IP address: ${address}`);
  const out = Buffer.alloc(16);
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) text = `${text.slice(0, -v4[1].length)}0:0`;
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  if (v4) out.set(v4[1].split('.').map(Number), 12);
  return out;
}

function extensionsNode(specs: ExtensionSpec[]): Asn1 {
  return build.seq(
    specs.map((e) => build.seq([build.oid(e.oid), ...(e.critical ? [build.bool(true)] : []), build.octets(encodeDer(e.value))])),
  );
}

// ---- signed structures -----------------------------------------------------------------------------------

function signed(tbs: Asn1, key: KeyObject): Buffer {
  const tbsDer = encodeDer(tbs);
  const { identifier } = signingAlgorithm(key);
  return encodeDer(build.seq([tbs, identifier, build.bits(signData(key, tbsDer))]));
}

export interface CertificateSpec {
  serialHex: string;
  /** Raw DER Name of the issuer (the CA certificate's subject, byte for byte). */
  issuer: Buffer;
  /** Raw DER Name, or a node from buildName(). */
  subject: Buffer | Asn1;
  /** Raw DER SubjectPublicKeyInfo of the certified key. */
  subjectPublicKeyInfo: Buffer;
  notBefore: Date;
  notAfter: Date;
  extensions: ExtensionSpec[];
  /** The issuer's private key. */
  signingKey: KeyObject;
}

/** Encodes and signs an X.509 v3 certificate (RFC 5280 §4.1). Returns DER. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const subject = Buffer.isBuffer(spec.subject) ? build.raw(spec.subject) : spec.subject;
  const tbs = build.seq([
    build.explicit(0, build.int(2)), // v3
    build.intHex(spec.serialHex),
    signingAlgorithm(spec.signingKey).identifier,
    build.raw(spec.issuer),
    build.seq([build.time(spec.notBefore), build.time(spec.notAfter)]),
    subject,
    build.raw(spec.subjectPublicKeyInfo),
    build.explicit(3, extensionsNode(spec.extensions)),
  ]);
  return signed(tbs, spec.signingKey);
}

/** RFC 5280 §5.3.1 reason codes we issue. */
export const CRL_REASONS = { unspecified: 0, keyCompromise: 1, cACompromise: 2, affiliationChanged: 3, superseded: 4, cessationOfOperation: 5 } as const;
export type CrlReasonName = keyof typeof CRL_REASONS;

export interface CrlSpec {
  issuer: Buffer;
  issuerKeyIdHex?: string;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  revoked: { serialHex: string; revokedAt: Date; reason?: CrlReasonName }[];
  signingKey: KeyObject;
}

/** Encodes and signs a v2 CRL (RFC 5280 §5.1) with cRLNumber and authorityKeyIdentifier. Returns DER. */
export function buildCrl(spec: CrlSpec): Buffer {
  const entries = spec.revoked.map((r) => {
    const fields = [build.intHex(r.serialHex), build.time(r.revokedAt)];
    if (r.reason && r.reason !== 'unspecified') {
      const reason = forge.asn1.create(TagClass.UNIVERSAL, Tag.ENUMERATED, false, String.fromCharCode(CRL_REASONS[r.reason]));
      fields.push(build.seq([build.seq([build.oid('2.5.29.21'), build.octets(encodeDer(reason))])]));
    }
    return build.seq(fields);
  });
  const crlExts: ExtensionSpec[] = [{ oid: '2.5.29.20', critical: false, value: build.int(spec.crlNumber) }];
  if (spec.issuerKeyIdHex) crlExts.unshift(ext.authorityKeyId(spec.issuerKeyIdHex));
  const tbs = build.seq([
    build.int(1), // v2
    signingAlgorithm(spec.signingKey).identifier,
    build.raw(spec.issuer),
    build.time(spec.thisUpdate),
    build.time(spec.nextUpdate),
    // RFC 5280: revokedCertificates is absent, not empty, when nothing is revoked.
    ...(entries.length ? [build.seq(entries)] : []),
    build.explicit(0, extensionsNode(crlExts)),
  ]);
  return signed(tbs, spec.signingKey);
}

/** Encodes and signs a PKCS#10 certification request (RFC 2986) with an extensionRequest. Returns DER. */
export function buildCsr(subject: Asn1, key: KeyObject, extensions: ExtensionSpec[]): Buffer {
  const spki = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
  const extensionRequest = build.seq([build.oid('1.2.840.113549.1.9.14'), build.set([extensionsNode(extensions)])]);
  const info = build.seq([
    build.int(0),
    subject,
    build.raw(spki),
    forge.asn1.create(TagClass.CONTEXT_SPECIFIC, 0, true, [extensionRequest]),
  ]);
  return signed(info, key);
}

/** A positive random serial of 16 octets (RFC 5280 allows up to 20; CAB forum asks for ≥64 random bits). */
export function randomSerialHex(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, and no leading zero octet to normalise away
  return bytes.toString('hex').toUpperCase();
}
