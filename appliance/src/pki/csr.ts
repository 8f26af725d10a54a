/**
 * Certification requests: the appliance's own CSR (for a site CA to sign its identity), reading device
 * CSRs (for the appliance CA), and the check made when a signed identity is installed.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { keyStrength, parseSignatureAlgorithm, verifySigned } from './algorithms.ts';
import { buildCsr, ext } from './cert-builder.ts';
import { isSignedBy, OID, parseCertificate, readExtensions, validityAt, type CertificateInfo } from './certificate.ts';
import { children, sequence, isContext, parseDer, readBitString, readChildren, readOid, readTlv, signedPart, slice } from './der.ts';
import { isPkiError, parsing, PkiError, type PkiErrorCode } from './errors.ts';
import { buildName, parseName, type DistinguishedName, type NameSpec } from './names.ts';
import { blocksWithLabel, toPem } from './pem.ts';

/** The name devices resolve to find the server (HDAP.md §1); every identity CSR carries it as a SAN. */
export const MGMT_NAME = 'hp-print-mgmt';

export interface IdentityCsrOptions {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  country?: string;
  /** Extra DNS names (host name, FQDNs); hp-print-mgmt is always included. */
  names?: string[];
  /** IP addresses to include as iPAddress SANs. */
  addresses?: string[];
}

function loadPrivateKey(keyPem: string | KeyObject): KeyObject {
  if (typeof keyPem !== 'string') return keyPem;
  try {
    return crypto.createPrivateKey(keyPem);
  } catch (error) {
    throw new PkiError('malformed', `private key does not parse: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A PEM CSR for the appliance identity key: CN hp-print-mgmt (by default), SANs hp-print-mgmt + names +
 * addresses, EKU serverAuth + clientAuth (server to printers, client to upstream listeners).
 */
export function createIdentityCsr(keyPem: string | KeyObject, opts: IdentityCsrOptions = {}): string {
  return createCsr(keyPem, {
    subject: { C: opts.country, O: opts.organization ?? 'instant-on-edge', OU: opts.organizationalUnit, CN: opts.commonName ?? MGMT_NAME },
    dnsNames: [MGMT_NAME, ...(opts.names ?? [])],
    addresses: opts.addresses,
    extKeyUsage: [OID.serverAuth, OID.clientAuth],
  });
}

export interface CsrOptions {
  subject: NameSpec;
  dnsNames?: string[];
  addresses?: string[];
  /** EKU OIDs to request; default clientAuth (a device identity). */
  extKeyUsage?: string[];
}

/** A general PEM CSR (e.g. a simulated printer's identity request, CN = its serial number). */
export function createCsr(keyPem: string | KeyObject, opts: CsrOptions): string {
  const key = loadPrivateKey(keyPem);
  const dnsNames = [...new Set(opts.dnsNames ?? [])];
  const addresses = [...new Set(opts.addresses ?? [])];
  // keyEncipherment only makes sense for RSA keys (RSA key transport); EC keys sign.
  const usage = key.asymmetricKeyType === 'rsa' ? (['digitalSignature', 'keyEncipherment'] as const) : (['digitalSignature'] as const);
  const extensions = [ext.keyUsage([...usage]), ext.extKeyUsage(opts.extKeyUsage ?? [OID.clientAuth])];
  if (dnsNames.length + addresses.length > 0) extensions.push(ext.subjectAltName(dnsNames, addresses));
  return toPem('CERTIFICATE REQUEST', buildCsr(buildName(opts.subject), key, extensions));
}

export interface ParsedCsr {
  der: Buffer;
  subject: DistinguishedName;
  rawSubject: Buffer;
  rawSubjectPublicKeyInfo: Buffer;
  publicKey: KeyObject;
  /** DER of the subjectAltName value requested in the extensionRequest attribute, if any. */
  requestedSan?: Buffer;
  /** Proof of possession: the request is signed by the key it asks to certify. */
  signatureValid: boolean;
}

/** Reads one PEM/DER PKCS#10 request (RFC 2986). */
export function parseCsr(input: Buffer | string): ParsedCsr {
  return parsing('certification request', () => readCsr(input));
}

function readCsr(input: Buffer | string): ParsedCsr {
  const [der] = blocksWithLabel(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  if (!der) throw new PkiError('empty', 'no certificate request found');
  const [info, alg, sig] = sequence(parseDer(der, 'certification request'), 'CertificationRequest');
  const [, subject, , attrs] = sequence(info, 'CertificationRequestInfo');
  const rawInfo = readTlv(der, readTlv(der, 0).contentStart);
  const rawFields = readChildren(der, rawInfo);
  const rawSpki = slice(der, rawFields[2]);
  let publicKey: KeyObject;
  try {
    publicKey = crypto.createPublicKey({ key: rawSpki, format: 'der', type: 'spki' });
  } catch (error) {
    throw new PkiError('unsupported-algorithm', `CSR public key not usable: ${(error as Error).message}`, { cause: error });
  }
  let requestedSan: Buffer | undefined;
  if (isContext(attrs, 0)) {
    for (const attr of children(attrs, 'attributes')) {
      const [type, values] = children(attr, 'attribute');
      if (readOid(type, 'attribute type') !== '1.2.840.113549.1.9.14') continue;
      const san = readExtensions(children(values, 'extensionRequest')[0]).get(OID.subjectAltName);
      if (san) requestedSan = san.value;
    }
  }
  return {
    der,
    subject: parseName(subject),
    rawSubject: slice(der, rawFields[1]),
    rawSubjectPublicKeyInfo: rawSpki,
    publicKey,
    requestedSan,
    signatureValid: verifySigned(parseSignatureAlgorithm(alg), signedPart(der), readBitString(sig, 'CSR signature'), publicKey),
  };
}

export interface SignedIdentity {
  certificate: CertificateInfo;
  /** Chain after the leaf, ordered leaf-side first, as TLS wants it; a pasted copy of the leaf is dropped. */
  chain: CertificateInfo[];
  chainPem: string[];
}

export type IdentityCheck =
  | ({ ok: true } & SignedIdentity)
  | { ok: false; code: PkiErrorCode | 'expired' | 'not-yet-valid' | 'wrong-key-usage'; detail: string };

function spkiOf(key: KeyObject): Buffer {
  return (key.type === 'public' ? key : crypto.createPublicKey(key)).export({ type: 'spki', format: 'der' });
}

/**
 * Checks a signed identity before it is installed: the certificate is for this private key, it is
 * currently valid, it may serve TLS (EKU absent or with serverAuth), and every chain certificate signed the
 * one before it. The chain may be pasted in any order and may repeat the leaf; it is returned ordered.
 */
export function checkSignedIdentity(certPem: string, chainPem: string, keyPem: string, now: Date = new Date()): IdentityCheck {
  try {
    const [leafDer] = blocksWithLabel(certPem, ['CERTIFICATE']);
    if (!leafDer) return { ok: false, code: 'empty', detail: 'no certificate given' };
    const certificate = parseCertificate(leafDer);
    const key = loadPrivateKey(keyPem);
    if (!spkiOf(key).equals(spkiOf(certificate.publicKey))) {
      return { ok: false, code: 'key-mismatch', detail: `certificate ${certificate.subject.text} is not for the appliance key` };
    }
    const validity = validityAt(certificate, now);
    if (validity !== 'valid') return { ok: false, code: validity, detail: `certificate is ${validity} (${certificate.notBefore.toISOString()} – ${certificate.notAfter.toISOString()})` };
    if (certificate.extKeyUsage && !certificate.extKeyUsage.includes(OID.serverAuth)) {
      return { ok: false, code: 'wrong-key-usage', detail: 'certificate lacks the serverAuth extended key usage' };
    }
    if (!keyStrength(certificate.publicKey).ok) return { ok: false, code: 'weak-key', detail: 'certificate key is too weak' };

    const pool = chainPem.trim() === '' ? [] : blocksWithLabel(chainPem, ['CERTIFICATE']).map(parseCertificate);
    const remaining = pool.filter((c) => c.fingerprint !== certificate.fingerprint);
    const chain: CertificateInfo[] = [];
    for (let current = certificate; remaining.length > 0; ) {
      const index = remaining.findIndex((c) => c.subject.key === current.issuer.key);
      if (index === -1) {
        return { ok: false, code: 'chain-broken', detail: `no chain certificate is the issuer ${current.issuer.text} of ${current.subject.text}` };
      }
      const [issuer] = remaining.splice(index, 1);
      if (!issuer.isCa || !isSignedBy(current, issuer.publicKey)) {
        return { ok: false, code: 'chain-broken', detail: `${issuer.subject.text} did not sign ${current.subject.text}` };
      }
      chain.push(issuer);
      current = issuer;
    }
    return { ok: true, certificate, chain, chainPem: chain.map((c) => toPem('CERTIFICATE', c.der)) };
  } catch (error) {
    if (!isPkiError(error)) throw error;
    return { ok: false, code: error.code, detail: error.message };
  }
}

