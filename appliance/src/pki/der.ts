/**
 * Thin DER helpers over `forge.asn1` (parse and build) plus a raw TLV reader.
 *
 * Why a raw reader as well: a signature covers the exact bytes of the signed structure (TBSCertificate,
 * TBSCertList, CertificationRequestInfo). Re-encoding forge's parse tree would only reproduce them for
 * perfectly canonical DER, so signed parts are sliced out of the original buffer instead.
 */
import forge from 'node-forge';
import { PkiError } from './errors.ts';

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;
export const TagClass = asn1.Class;
export const Tag = asn1.Type;

export function toBytes(buffer: Buffer): string {
  return buffer.toString('binary');
}

export function toBuffer(bytes: string): Buffer {
  return Buffer.from(bytes, 'binary');
}

/**
 * Parses one DER element. Bit strings stay opaque (forge would otherwise try to read their contents as
 * nested ASN.1, which misreads signature values and key-usage bits).
 */
export function parseDer(der: Buffer, what = 'structure'): Asn1 {
  try {
    const options = { strict: true, parseAllBytes: true, decodeBitStrings: false };
    return asn1.fromDer(toBytes(der), options as unknown as boolean);
  } catch (error) {
    throw new PkiError('malformed', `${what} is not valid DER: ${(error as Error).message}`, { cause: error });
  }
}

export function encodeDer(node: Asn1): Buffer {
  return toBuffer(asn1.toDer(node).getBytes());
}

/** One raw tag-length-value element of a DER buffer. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

/** Reads the element starting at `offset`; definite lengths only (DER forbids the others). */
export function readTlv(buf: Buffer, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new PkiError('malformed', 'truncated DER element');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new PkiError('malformed', 'multi-byte DER tags are not used in X.509');
  let pos = offset + 1;
  let length = buf[pos++];
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || pos + count > buf.length) throw new PkiError('malformed', 'bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++];
  }
  const end = pos + length;
  if (end > buf.length) throw new PkiError('malformed', 'DER element runs past the end of its input');
  return { tag, start: offset, contentStart: pos, end };
}

/** The children of a constructed element, as raw elements. */
export function readChildren(buf: Buffer, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end; ) {
    const child = readTlv(buf, pos);
    children.push(child);
    pos = child.end;
  }
  return children;
}

/** The exact bytes of the first element inside a signed SEQUENCE { tbs, algorithm, signature }. */
export function signedPart(der: Buffer): Buffer {
  const outer = readTlv(der, 0);
  const first = readTlv(der, outer.contentStart);
  return der.subarray(first.start, first.end);
}

export function slice(buf: Buffer, tlv: Tlv): Buffer {
  return buf.subarray(tlv.start, tlv.end);
}

// ---- reading forge nodes -------------------------------------------------------------------------------

export function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new PkiError('malformed', `${what}: expected a constructed element`);
  return node.value;
}

/** Children of a node that must be a universal SEQUENCE (a mutated tag is malformed, not ignored). */
export function sequence(node: Asn1 | undefined, what: string): Asn1[] {
  if (!isUniversal(node, Tag.SEQUENCE)) throw new PkiError('malformed', `${what}: expected a SEQUENCE`);
  return children(node, what);
}

export function bytesOf(node: Asn1 | undefined, what: string): string {
  if (!node || typeof node.value !== 'string') throw new PkiError('malformed', `${what}: expected a primitive element`);
  return node.value;
}

export function isUniversal(node: Asn1 | undefined, type: number): boolean {
  return !!node && node.tagClass === TagClass.UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1 | undefined, tag: number): boolean {
  return !!node && node.tagClass === TagClass.CONTEXT_SPECIFIC && node.type === tag;
}

export function readOid(node: Asn1 | undefined, what: string): string {
  if (!isUniversal(node, Tag.OID)) throw new PkiError('malformed', `${what}: expected an OID`);
  return asn1.derToOid(bytesOf(node, what));
}

/** INTEGER as upper-case hex of whole octets, sign octet dropped (the form openssl and Node print serials in). */
export function readIntegerHex(node: Asn1 | undefined, what: string): string {
  if (!isUniversal(node, Tag.INTEGER)) throw new PkiError('malformed', `${what}: expected an INTEGER`);
  return normalizeSerial(forge.util.bytesToHex(bytesOf(node, what)));
}

/** Any hex spelling of a serial (`0x`, colons, odd length, leading zeros) → `0BE7…` whole-octet form. */
export function normalizeSerial(hex: string): string {
  let digits = hex.replace(/^0x/i, '').replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (digits.length % 2) digits = `0${digits}`;
  while (digits.length > 2 && digits.startsWith('00')) digits = digits.slice(2);
  return digits === '' ? '00' : digits;
}

export function readTime(node: Asn1 | undefined, what: string): Date {
  let date: Date | undefined;
  if (isUniversal(node, Tag.UTCTIME)) date = asn1.utcTimeToDate(bytesOf(node, what));
  if (isUniversal(node, Tag.GENERALIZEDTIME)) date = asn1.generalizedTimeToDate(bytesOf(node, what));
  // forge returns an Invalid Date for digits it cannot read instead of failing.
  if (!date || Number.isNaN(date.getTime())) throw new PkiError('malformed', `${what}: expected a valid time`);
  return date;
}

/**
 * BIT STRING content without its leading unused-bits octet. Signatures and keys are whole octets, so by
 * default a non-zero unused-bits count is malformed (otherwise that octet could be altered unnoticed
 * outside the signed bytes); named-bit lists such as keyUsage pass `allowUnusedBits`.
 */
export function readBitString(node: Asn1 | undefined, what: string, allowUnusedBits = false): Buffer {
  if (!isUniversal(node, Tag.BITSTRING)) throw new PkiError('malformed', `${what}: expected a BIT STRING`);
  const bytes = toBuffer(bytesOf(node, what));
  if (bytes.length === 0 || (!allowUnusedBits && bytes[0] !== 0)) throw new PkiError('malformed', `${what}: bad BIT STRING padding`);
  return bytes.subarray(1);
}

// ---- building forge nodes ------------------------------------------------------------------------------

export const build = {
  seq: (items: Asn1[]): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.SEQUENCE, true, items),
  set: (items: Asn1[]): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.SET, true, items),
  oid: (oid: string): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.OID, false, asn1.oidToDer(oid).getBytes()),
  null: (): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.NULL, false, ''),
  bool: (value: boolean): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.BOOLEAN, false, value ? '\xff' : '\x00'),
  octets: (data: Buffer): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.OCTETSTRING, false, toBytes(data)),
  utf8: (text: string): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.UTF8, false, forge.util.encodeUtf8(text)),
  printable: (text: string): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.PRINTABLESTRING, false, text),
  ia5: (text: string): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.IA5STRING, false, text),
  bits: (data: Buffer, unusedBits = 0): Asn1 =>
    asn1.create(TagClass.UNIVERSAL, Tag.BITSTRING, false, String.fromCharCode(unusedBits) + toBytes(data)),
  /** Non-negative INTEGER from hex, with the sign octet DER needs when the top bit is set. */
  intHex: (hex: string): Asn1 => {
    let digits = normalizeSerial(hex);
    if (parseInt(digits.slice(0, 2), 16) & 0x80) digits = `00${digits}`;
    return asn1.create(TagClass.UNIVERSAL, Tag.INTEGER, false, forge.util.hexToBytes(digits));
  },
  int: (value: number): Asn1 => asn1.create(TagClass.UNIVERSAL, Tag.INTEGER, false, asn1.integerToDer(value).getBytes()),
  /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
  time: (date: Date): Asn1 =>
    date.getUTCFullYear() < 2050
      ? asn1.create(TagClass.UNIVERSAL, Tag.UTCTIME, false, asn1.dateToUtcTime(date))
      : asn1.create(TagClass.UNIVERSAL, Tag.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date)),
  explicit: (tag: number, inner: Asn1): Asn1 => asn1.create(TagClass.CONTEXT_SPECIFIC, tag, true, [inner]),
  implicit: (tag: number, data: Buffer): Asn1 => asn1.create(TagClass.CONTEXT_SPECIFIC, tag, false, toBytes(data)),
  /** An already-encoded element, embedded byte for byte (names and keys copied from other structures). */
  raw: (der: Buffer): Asn1 => parseDer(der),
};
