/**
 * Turns what admins upload (PEM, PEM bundles, raw DER, concatenated DER, PKCS#7 `.p7b` bundles as Windows
 * CAs export them) into DER blocks, and writes PEM back.
 */
import { parseDer, readTlv, children, isContext, readOid, encodeDer, type Asn1 } from './der.ts';
import { parsing, PkiError } from './errors.ts';

export interface DerBlock {
  /** PEM label (`CERTIFICATE`, `X509 CRL`, …); `DER` for binary input. */
  label: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';

/** Upper bound for anything we parse from an upload; CA bundles of a few hundred certs stay far below. */
export const MAX_PKI_INPUT = 4 * 1024 * 1024;

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function looksLikePem(input: Buffer): boolean {
  return input.includes('-----BEGIN ');
}

/** Splits concatenated DER elements (a DER "bundle"). */
function splitDer(input: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0; pos < input.length; ) {
    const tlv = readTlv(input, pos);
    if (tlv.tag !== 0x30) throw new PkiError('malformed', 'DER input is not a sequence of SEQUENCEs');
    out.push(input.subarray(tlv.start, tlv.end));
    pos = tlv.end;
  }
  return out;
}

/** Certificates inside a PKCS#7 SignedData (RFC 2315 §9.1, `certificates [0] IMPLICIT`). */
function pkcs7Certificates(node: Asn1): Buffer[] {
  const [contentType, content] = children(node, 'PKCS#7');
  if (readOid(contentType, 'PKCS#7 content type') !== PKCS7_SIGNED_DATA) {
    throw new PkiError('malformed', 'PKCS#7 input is not SignedData');
  }
  const signedData = children(children(content, 'PKCS#7 content')[0], 'SignedData');
  const certs = signedData.find((n) => isContext(n, 0));
  return certs ? children(certs, 'PKCS#7 certificates').map(encodeDer) : [];
}

function isPkcs7(der: Buffer): Asn1 | undefined {
  try {
    const node = parseDer(der);
    const first = Array.isArray(node.value) ? node.value[0] : undefined;
    return first && readOid(first, 'content type') === PKCS7_SIGNED_DATA ? node : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes an upload into DER blocks. PKCS#7 bundles (PEM label `PKCS7` or binary) are expanded into
 * `CERTIFICATE` blocks. Throws `PkiError('empty')` when nothing is found.
 */
export function decodeBlocks(input: Buffer | string): DerBlock[] {
  return parsing('PEM/DER input', () => readBlocks(input));
}

function readBlocks(input: Buffer | string): DerBlock[] {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (buf.length > MAX_PKI_INPUT) throw new PkiError('malformed', `input larger than ${MAX_PKI_INPUT} bytes`);
  const blocks: DerBlock[] = [];
  const push = (label: string, der: Buffer): void => {
    const p7 = label === 'PKCS7' || label === 'DER' ? isPkcs7(der) : undefined;
    if (p7) {
      for (const cert of pkcs7Certificates(p7)) blocks.push({ label: 'CERTIFICATE', der: cert });
    } else {
      blocks.push({ label, der });
    }
  };
  if (looksLikePem(buf)) {
    for (const match of buf.toString('latin1').matchAll(PEM_BLOCK)) {
      const body = match[2].replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new PkiError('malformed', `PEM ${match[1]} block is not base64`);
      const der = Buffer.from(body, 'base64');
      if (match[1] === 'TRUSTED CERTIFICATE') {
        // OpenSSL's trusted form appends trust settings after the certificate; keep the certificate.
        push('CERTIFICATE', der.subarray(0, readTlv(der, 0).end));
      } else {
        push(match[1], der);
      }
    }
  } else if (buf.length > 0) {
    let ders: Buffer[];
    try {
      ders = splitDer(buf);
    } catch (error) {
      throw new PkiError('malformed', 'input is neither PEM nor DER', { cause: error });
    }
    for (const der of ders) push('DER', der);
  }
  if (blocks.length === 0) throw new PkiError('empty', 'no PEM or DER block found');
  return blocks;
}

export type BlockKind = 'certificate' | 'crl' | 'csr' | 'private-key' | 'unknown';

const KIND_BY_LABEL: Record<string, BlockKind> = {
  CERTIFICATE: 'certificate',
  'X509 CRL': 'crl',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'PRIVATE KEY': 'private-key',
  'ENCRYPTED PRIVATE KEY': 'private-key',
  'RSA PRIVATE KEY': 'private-key',
  'EC PRIVATE KEY': 'private-key',
  'DSA PRIVATE KEY': 'private-key',
};

/** Tag numbers of the first few children of a DER element (0x30 SEQUENCE, 0x02 INTEGER, 0xa0 [0], …). */
function childTags(der: Buffer, offset = 0): { tags: number[]; starts: number[] } {
  const parent = readTlv(der, offset);
  const tags: number[] = [];
  const starts: number[] = [];
  for (let pos = parent.contentStart; pos < parent.end && tags.length < 5; ) {
    const child = readTlv(der, pos);
    tags.push(child.tag);
    starts.push(child.start);
    pos = child.end;
  }
  return { tags, starts };
}

/**
 * What a block is, so a wrong upload can be named ("this is a CRL", "this is a private key"). Labels decide
 * for PEM; binary blocks are told apart by shape: signed structures are SEQUENCE { SEQUENCE tbs, … } whose
 * tbs starts with [0] version (certificate), an INTEGER then AlgorithmIdentifier (CRL v2, or a v1
 * certificate when a validity SEQUENCE follows the names), an AlgorithmIdentifier (CRL v1) or INTEGER 0 then
 * Name then key (CSR); private keys start with an INTEGER version.
 */
export function blockKind(block: DerBlock): BlockKind {
  if (block.label !== 'DER') return KIND_BY_LABEL[block.label] ?? 'unknown';
  try {
    const outer = childTags(block.der);
    if (outer.tags[0] === 0x02) return 'private-key';
    if (outer.tags[0] !== 0x30) return 'unknown';
    if (outer.tags.length === 2 && outer.tags[1] === 0x04) return 'private-key'; // EncryptedPrivateKeyInfo
    const tbs = childTags(block.der, outer.starts[0]).tags;
    if (tbs[0] === 0xa0) return 'certificate';
    if (tbs[0] === 0x30) return 'crl';
    if (tbs[0] !== 0x02) return 'unknown';
    if (tbs[1] === 0x30 && tbs[2] === 0x30 && tbs[3] === 0x30) return 'certificate';
    if (tbs[1] === 0x30 && tbs[2] === 0x30 && (tbs[3] === 0x17 || tbs[3] === 0x18)) return 'crl';
    if (tbs[1] === 0x30 && tbs[2] === 0x30) return 'csr';
    return 'unknown';
  } catch {
    return 'unknown';
  }
}

const KIND_NAMES: Record<BlockKind, string> = {
  certificate: 'a certificate',
  crl: 'a CRL',
  csr: 'a certificate request (CSR)',
  'private-key': 'a private key',
  unknown: 'a block of unknown kind',
};

/** `a CRL`, `a private key (PEM RSA PRIVATE KEY)`: for messages that tell the admin what they uploaded. */
export function describeBlock(block: DerBlock): string {
  const name = KIND_NAMES[blockKind(block)];
  return block.label === 'DER' ? name : `${name} (PEM ${block.label})`;
}

/** DER blocks with one of the given labels (binary input counts as any label). */
export function blocksWithLabel(input: Buffer | string, labels: string[]): Buffer[] {
  return decodeBlocks(input)
    .filter((b) => b.label === 'DER' || labels.includes(b.label))
    .map((b) => b.der);
}

/**
 * Decodes an admin upload, refusing it whole when it holds a private key: a key has no business leaving
 * the machine it belongs to, and quietly dropping it would hide from the admin that it was sent.
 */
export function decodeUpload(input: Buffer | string): DerBlock[] {
  const blocks = decodeBlocks(input);
  const key = blocks.findIndex((b) => blockKind(b) === 'private-key');
  if (key >= 0) {
    throw new PkiError('wrong-kind', `block ${key + 1} is ${describeBlock(blocks[key])}; private keys are never uploaded (it was not stored), send only certificates and CRLs`);
  }
  return blocks;
}

/** The certificates of an upload as one PEM text, refusing anything else by name (for the identity upload). */
export function certificatesAsPem(input: Buffer | string): string {
  return decodeUpload(input).map((block, i) => {
    const kind = blockKind(block);
    if (kind !== 'certificate') throw new PkiError('wrong-kind', `block ${i + 1} is ${describeBlock(block)}, not a certificate`);
    return toPem('CERTIFICATE', block.der);
  }).join('');
}
