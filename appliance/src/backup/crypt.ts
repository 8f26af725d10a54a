// The archive's encryption (Teleporter-like backups, issue 16 §5): a key from the admin's passphrase with
// scrypt, and AES-256-GCM per part with its own IV and the part's name as associated data, so a part cannot
// be swapped for another, altered, or opened without the passphrase. node:crypto only.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

export const PASSPHRASE_MIN = 12;
export const PASSPHRASE_MAX = 1024;
// ~32 MiB and ~100 ms on a Pi 4: slow for a guesser holding a stolen archive, fine for a backup.
export const KDF = { name: 'scrypt' as const, N: 32768, r: 8, p: 1 };

export interface KdfParams { name: 'scrypt'; N: number; r: number; p: number; salt: string }
export interface Sealed { iv: string; tag: string }

export class PassphraseError extends Error {
  readonly code = 'weak-passphrase';
  constructor(message: string) { super(message); }
}

export function checkPassphrase(p: unknown): string {
  if (typeof p !== 'string' || p.length < PASSPHRASE_MIN) throw new PassphraseError(`the passphrase must have at least ${PASSPHRASE_MIN} characters`);
  if (p.length > PASSPHRASE_MAX) throw new PassphraseError(`the passphrase may have at most ${PASSPHRASE_MAX} characters`);
  return p;
}

export function newKdf(): KdfParams {
  return { ...KDF, salt: randomBytes(16).toString('base64') };
}

/**
 * The most an archive's key derivation may cost: scrypt needs 128·N·r bytes. Twice what we write ourselves,
 * so a later version may raise N once; the bounds used to allow N = 2^20 with r = 16 (2 GiB on a 1 GB Pi,
 * from a crafted manifest) and p = 4.
 */
export const KDF_MAX_MEMORY = 128 * 2 * KDF.N * KDF.r;
const KDF_MAX_P = 2;

export async function deriveKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  // Parameters come from the archive: bound them so a crafted manifest cannot ask for gigabytes.
  if (kdf.name !== 'scrypt' || !Number.isInteger(kdf.N) || kdf.N < 1024 || (kdf.N & (kdf.N - 1)) !== 0
    || !Number.isInteger(kdf.r) || kdf.r < 1 || kdf.r > 16 || !Number.isInteger(kdf.p) || kdf.p < 1 || kdf.p > KDF_MAX_P) throw new Error('unsupported key derivation parameters');
  const memory = 128 * kdf.N * kdf.r;
  if (memory > KDF_MAX_MEMORY) throw new Error(`the key derivation would need ${memory / 2 ** 20} MiB (at most ${KDF_MAX_MEMORY / 2 ** 20} MiB)`);
  return scrypt(passphrase, Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: memory + 1024 * 1024 });
}

export function encrypt(key: Buffer, name: string, plain: Buffer): { sealed: Sealed; data: Buffer } {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(name));
  const data = Buffer.concat([c.update(plain), c.final()]);
  return { sealed: { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64') }, data };
}

/** Throws when the key is wrong or the part was altered (GCM authentication). */
export function decrypt(key: Buffer, name: string, sealed: Sealed, data: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  d.setAAD(Buffer.from(name));
  d.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([d.update(data), d.final()]);
}
