// SNMPv3 key localization (RFC 3414 A.2) is two steps: Ku = H(1 MB of the repeated password), which
// depends only on the password, then Kul = H(Ku | engineID | Ku) per agent. net-snmp 3.29 caches only
// the final Kul per engineID, so every new printer costs two 1 MB hashes (~2 ms each, auth and priv key):
// seconds of CPU for a fleet on v3. This keeps Ku per password and does only the cheap second step per
// agent. It replaces net-snmp's exported `Authentication.passwordToKey` (pinned version; the unit test
// checks the result is byte-identical to the original).
import crypto from 'node:crypto';
import snmp from 'net-snmp';

type PasswordToKey = (authProtocol: number, password: string | Buffer, engineID: Buffer) => Buffer;

interface AuthenticationInternals {
  HMAC_BUFFER_SIZE: number;
  algorithms: Record<number, { CRYPTO_ALGORITHM: string }>;
  authToKeyCache: Record<string, Buffer>;
  computeCacheKey(authProtocol: number, password: string | Buffer, engineID: Buffer): string;
  passwordToKey: PasswordToKey & { fastKu?: true };
}

/** Ku per (protocol, password); bounded because passwords come from admins (a handful in practice). */
const KU_LIMIT = 64;
const kuCache = new Map<string, Buffer>();

function ku(auth: AuthenticationInternals, authProtocol: number, password: string | Buffer): Buffer {
  const id = `${authProtocol}:${typeof password === 'string' ? `s:${password}` : `b:${password.toString('hex')}`}`;
  let key = kuCache.get(id);
  if (!key) {
    const algorithm = auth.algorithms[authProtocol].CRYPTO_ALGORITHM;
    key = crypto.createHash(algorithm).update(Buffer.alloc(auth.HMAC_BUFFER_SIZE, password)).digest();
    if (kuCache.size >= KU_LIMIT) kuCache.delete(kuCache.keys().next().value as string);
    kuCache.set(id, key);
  }
  return key;
}

const auth = (snmp as unknown as { Authentication: AuthenticationInternals }).Authentication;
const original: PasswordToKey = auth.passwordToKey;

/** net-snmp's own implementation, for the equivalence test. */
export function originalPasswordToKey(): PasswordToKey {
  return original;
}

/** Idempotent; called when the SNMP adapter loads. */
export function installKeyCache(): void {
  if (auth.passwordToKey.fastKu) return;
  const fast = ((authProtocol: number, password: string | Buffer, engineID: Buffer): Buffer => {
    const cacheKey = auth.computeCacheKey(authProtocol, password, engineID);
    const cached = auth.authToKeyCache[cacheKey];
    if (cached !== undefined) return cached;
    const k = ku(auth, authProtocol, password);
    const localized = crypto.createHash(auth.algorithms[authProtocol].CRYPTO_ALGORITHM).update(k).update(engineID).update(k).digest();
    auth.authToKeyCache[cacheKey] = localized;
    return localized;
  }) as AuthenticationInternals['passwordToKey'];
  fast.fastKu = true;
  auth.passwordToKey = fast;
}
