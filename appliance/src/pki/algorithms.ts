/**
 * Signature algorithms and key strength: which OIDs we know, which are weak, and signing/verifying raw
 * signed parts with node:crypto (forge only signs with RSA; node handles RSA, RSA-PSS, ECDSA and EdDSA).
 */
import crypto, { type KeyObject } from 'node:crypto';
import { type Asn1, build, children, isContext, readOid, sequence } from './der.ts';
import { PkiError } from './errors.ts';

export type HashName = 'md2' | 'md4' | 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
type KeyFamily = 'rsa' | 'rsa-pss' | 'ec' | 'dsa' | 'eddsa' | 'unknown';

export interface SignatureAlgorithm {
  oid: string;
  /** Readable name, e.g. `sha256WithRSAEncryption`. */
  name: string;
  family: KeyFamily;
  /** Digest for node:crypto; null for EdDSA, which hashes internally. */
  hash: HashName | null;
  /** RSA-PSS salt length from the parameters. */
  saltLength?: number;
  /** Signed with MD2/MD4/MD5/SHA-1: forgeable collisions, refused as `weak-signature-algorithm`. */
  weak: boolean;
}

const KNOWN: Record<string, [string, KeyFamily, HashName | null]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'rsa', 'md2'],
  '1.2.840.113549.1.1.3': ['md4WithRSAEncryption', 'rsa', 'md4'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'rsa', 'md5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'rsa', 'sha1'],
  '1.3.14.3.2.29': ['sha1WithRSASignature', 'rsa', 'sha1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'rsa', 'sha224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'rsa', 'sha256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'rsa', 'sha384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'rsa', 'sha512'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'ec', 'sha1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'ec', 'sha224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'ec', 'sha256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'ec', 'sha384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'ec', 'sha512'],
  '1.2.840.10040.4.3': ['dsa-with-SHA1', 'dsa', 'sha1'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-SHA256', 'dsa', 'sha256'],
  '1.3.101.112': ['Ed25519', 'eddsa', null],
  '1.3.101.113': ['Ed448', 'eddsa', null],
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const HASH_OIDS: Record<string, HashName> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const WEAK_HASHES = new Set<HashName>(['md2', 'md4', 'md5', 'sha1']);

/** Reads an AlgorithmIdentifier that names a signature algorithm. */
export function parseSignatureAlgorithm(node: Asn1 | undefined): SignatureAlgorithm {
  const [oidNode, params] = sequence(node, 'signature algorithm');
  const oid = readOid(oidNode, 'signature algorithm');
  if (oid === RSASSA_PSS) {
    // RFC 4055 §3.1: RSASSA-PSS-params; an absent hashAlgorithm means SHA-1, salt defaults to 20.
    let hash: HashName = 'sha1';
    let saltLength = 20;
    const fields = params && Array.isArray(params.value) ? params.value : [];
    for (const field of fields) {
      if (isContext(field, 0)) {
        const hashOid = readOid(children(children(field, 'pss hash')[0], 'pss hash')[0], 'pss hash');
        const known = HASH_OIDS[hashOid];
        if (!known) throw new PkiError('unsupported-algorithm', `RSASSA-PSS with unknown hash ${hashOid}`);
        hash = known;
      } else if (isContext(field, 2)) {
        const int = children(field, 'pss salt')[0];
        saltLength = Buffer.from(String(int.value), 'binary').reduce((n, b) => n * 256 + b, 0);
      }
    }
    return { oid, name: `RSASSA-PSS(${hash})`, family: 'rsa-pss', hash, saltLength, weak: WEAK_HASHES.has(hash) };
  }
  const known = KNOWN[oid];
  if (!known) {
    return { oid, name: oid, family: 'unknown', hash: null, weak: false };
  }
  const [name, family, hash] = known;
  return { oid, name, family, hash, weak: hash !== null && WEAK_HASHES.has(hash) };
}

/** Verifies `signature` over the exact signed bytes `data` (used for CRLs and CSRs; certs use X509Certificate). */
export function verifySigned(alg: SignatureAlgorithm, data: Buffer, signature: Buffer, key: KeyObject): boolean {
  if (alg.family === 'unknown') {
    throw new PkiError('unsupported-algorithm', `unknown signature algorithm ${alg.oid}`);
  }
  try {
    if (alg.family === 'rsa-pss') {
      return crypto.verify(alg.hash, data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength }, signature);
    }
    return crypto.verify(alg.hash, data, key, signature);
  } catch {
    // A key of the wrong type for the algorithm, or a garbled signature: it does not verify.
    return false;
  }
}

/** The algorithm we sign with for a given private key, and its AlgorithmIdentifier. */
export function signingAlgorithm(key: KeyObject): { hash: HashName | null; identifier: Asn1 } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      // RFC 4055: sha256WithRSAEncryption carries an explicit NULL parameter.
      return { hash: 'sha256', identifier: build.seq([build.oid('1.2.840.113549.1.1.11'), build.null()]) };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const strong = curve === 'secp384r1' || curve === 'secp521r1';
      return strong
        ? { hash: 'sha384', identifier: build.seq([build.oid('1.2.840.10045.4.3.3')]) }
        : { hash: 'sha256', identifier: build.seq([build.oid('1.2.840.10045.4.3.2')]) };
    }
    case 'ed25519':
      return { hash: null, identifier: build.seq([build.oid('1.3.101.112')]) };
    default:
      throw new PkiError('unsupported-algorithm', `cannot sign with a ${key.asymmetricKeyType} key`);
  }
}

export function signData(key: KeyObject, data: Buffer): Buffer {
  return crypto.sign(signingAlgorithm(key).hash, data, key);
}

/** Curves at least as strong as P-256. */
const STRONG_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1', 'secp256k1', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1']);

export interface KeyStrength {
  ok: boolean;
  /** e.g. `RSA 2048`, `EC prime256v1`, `Ed25519`. */
  description: string;
  /** Why not ok: too small (`weak-key`) or a kind of key we do not accept at any size (`unsupported-key`). */
  code?: 'weak-key' | 'unsupported-key';
  /** For people: what is wrong, when not ok. */
  problem?: string;
}

/**
 * HDAP.md §2: at least RSA-2048 or EC P-256; EdDSA keys are at least that strong. DSA is refused at any size
 * (withdrawn for signatures by FIPS 186-5, and no device PKI needs it), and so is an RSA modulus that is not
 * a whole number of bytes: no sound key generator makes one.
 */
export function keyStrength(key: KeyObject): KeyStrength {
  const details = key.asymmetricKeyDetails ?? {};
  const weak = (description: string, problem: string): KeyStrength => ({ ok: false, description, code: 'weak-key', problem });
  const unsupported = (description: string, problem: string): KeyStrength => ({ ok: false, description, code: 'unsupported-key', problem });
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss': {
      const bits = details.modulusLength ?? 0;
      const description = `RSA ${bits}`;
      if (bits < 2048) return weak(description, `a weak key, ${description} (minimum RSA 2048 or EC P-256)`);
      if (bits % 8 !== 0) return unsupported(description, `an RSA modulus of ${bits} bits, not a multiple of 8`);
      return { ok: true, description };
    }
    case 'dsa':
      return unsupported(`DSA ${details.modulusLength ?? 0}`, 'a DSA key (DSA is not accepted; use RSA, EC or Ed25519)');
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown curve';
      const description = `EC ${curve}`;
      return STRONG_CURVES.has(curve) ? { ok: true, description } : weak(description, `a weak key, ${description} (minimum RSA 2048 or EC P-256)`);
    }
    case 'ed25519':
      return { ok: true, description: 'Ed25519' };
    case 'ed448':
      return { ok: true, description: 'Ed448' };
    default:
      return unsupported(String(key.asymmetricKeyType), `a ${String(key.asymmetricKeyType)} key, which we do not accept`);
  }
}
