// Credential secrets at rest: AES-256-GCM under a key that lives in the data folder (mode 0600), so a
// copied database alone does not give away communities and v3 keys. Sealed blobs are self-describing
// strings ("sb1.<iv>.<tag>.<ciphertext>", base64url) so the store can keep them in JSON.
import crypto from 'node:crypto';
import { chmod, mkdir, open as openFile, readFile } from 'node:fs/promises';
import path from 'node:path';

export const KEY_FILE = 'secret.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const PREFIX = 'sb1';

export class SecretBoxError extends Error {
  constructor(
    readonly code: 'SECRET_KEY_INVALID' | 'SECRET_BLOB_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Reads `<dataDir>/secret.key`, creating it (32 random bytes, mode 0600) when missing. Creation uses
 * O_EXCL, so two processes starting at once end up with the same key rather than two.
 */
export async function loadOrCreateKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  try {
    const handle = await openFile(file, 'wx', 0o600);
    try {
      await handle.writeFile(crypto.randomBytes(KEY_BYTES));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = await readFile(file);
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError('SECRET_KEY_INVALID', `${file} holds ${key.length} bytes, expected ${KEY_BYTES}`);
  }
  // Repair a key file someone made world-readable (umask, copy).
  await chmod(file, 0o600);
  return key;
}

/** Encrypts any JSON-serialisable value. */
export function seal(key: Buffer, value: unknown): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [PREFIX, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
}

/** Decrypts a sealed blob; throws SecretBoxError when it was tampered with or sealed under another key. */
export function open(key: Buffer, blob: string): unknown {
  const parts = typeof blob === 'string' ? blob.split('.') : [];
  if (parts.length !== 4 || parts[0] !== PREFIX) throw new SecretBoxError('SECRET_BLOB_INVALID', 'not a sealed secret');
  const [, iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    return JSON.parse(text);
  } catch {
    throw new SecretBoxError('SECRET_BLOB_INVALID', 'sealed secret does not open with this key (tampered or other key)');
  }
}

/** The key bound once, for callers that pass a box around instead of a key. */
export interface SecretBox {
  seal(value: unknown): string;
  open(blob: string): unknown;
}

export function secretBox(key: Buffer): SecretBox {
  return { seal: (v) => seal(key, v), open: (b) => open(key, b) };
}
