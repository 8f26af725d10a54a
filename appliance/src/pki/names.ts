/**
 * X.501 distinguished names: reading them for display and matching, building them for CSRs and
 * certificates.
 *
 * Matching uses a normalised key (attribute OID + case-folded, whitespace-collapsed value per RDN), close to
 * RFC 5280 §7.1 and to what OpenSSL does, so a CA whose subject was re-encoded by another tool (e.g.
 * PrintableString vs UTF8String) still matches the issuer names of the certificates it signed.
 */
import forge from 'node-forge';
import { build, children, readOid, Tag, type Asn1, isUniversal } from './der.ts';
import { PkiError } from './errors.ts';

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};
const OID_BY_SHORT = Object.fromEntries(Object.entries(SHORT_NAMES).map(([oid, s]) => [s, oid]));

export interface NameAttribute {
  oid: string;
  value: string;
}

/** A parsed name: attributes in encoded order (multi-valued RDNs flattened, they are vanishingly rare). */
export interface DistinguishedName {
  attributes: NameAttribute[];
  /** Display form, e.g. `C=DE, O=Acme, CN=Acme Root CA`. */
  text: string;
  /** Comparison key; equal keys mean the same name. */
  key: string;
}

function decodeString(node: Asn1): string {
  const bytes = typeof node.value === 'string' ? node.value : '';
  if (node.type === Tag.UTF8) return forge.util.decodeUtf8(bytes);
  if (node.type === Tag.BMPSTRING) {
    return Buffer.from(bytes, 'binary').swap16().toString('utf16le');
  }
  // PrintableString, IA5String, TeletexString, VisibleString: single-byte in practice.
  return bytes;
}

export function parseName(node: Asn1 | undefined): DistinguishedName {
  if (!isUniversal(node, Tag.SEQUENCE)) throw new PkiError('malformed', 'name: expected a SEQUENCE');
  const attributes: NameAttribute[] = [];
  for (const rdn of children(node, 'name')) {
    for (const pair of children(rdn, 'relative distinguished name')) {
      const [type, value] = children(pair, 'name attribute');
      attributes.push({ oid: readOid(type, 'name attribute type'), value: decodeString(value) });
    }
  }
  const text = attributes.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${a.value}`).join(', ');
  const key = attributes.map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, ' ').toLowerCase()}`).join('\u001f');
  return { attributes, text, key };
}

/** Subject fields we build names from; order follows the usual C, ST, L, O, OU, CN. */
export interface NameSpec {
  C?: string;
  ST?: string;
  L?: string;
  O?: string;
  OU?: string;
  CN: string;
  serialNumber?: string;
}

const BUILD_ORDER: (keyof NameSpec)[] = ['C', 'ST', 'L', 'O', 'OU', 'CN', 'serialNumber'];

export function buildName(spec: NameSpec): Asn1 {
  const rdns: Asn1[] = [];
  for (const field of BUILD_ORDER) {
    const value = spec[field];
    if (value === undefined || value === '') continue;
    // Country and serialNumber are PrintableString by definition (RFC 5280 Appendix A); the rest UTF8String.
    const encoded = field === 'C' || field === 'serialNumber' ? build.printable(value) : build.utf8(value);
    rdns.push(build.set([build.seq([build.oid(OID_BY_SHORT[field]), encoded])]));
  }
  return build.seq(rdns);
}
