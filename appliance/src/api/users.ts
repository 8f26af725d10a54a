// Admin accounts: scrypt-hashed passwords in the store. The first admin's password comes from
// INSTANT_ON_ADMIN_PASSWORD at first start, or is generated and shown once (the console and the sign-in
// page say where to find it).
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Store } from '../store/store.ts';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
// N=2^15 costs ~50 ms on a Pi 4: slow for a guesser, fine for a login.
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export interface UserRecord { username: string; salt: string; hash: string; params: typeof PARAMS; createdAt: string; passwordChangedAt: string }

export async function hashPassword(password: string): Promise<Pick<UserRecord, 'salt' | 'hash' | 'params'>> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), params: PARAMS };
}

export async function verifyPassword(user: UserRecord, password: string): Promise<boolean> {
  const hash = await scrypt(password, Buffer.from(user.salt, 'base64'), 32, user.params);
  return timingSafeEqual(hash, Buffer.from(user.hash, 'base64'));
}

export class Users {
  constructor(private readonly store: Store) {}

  get(username: string): Promise<UserRecord | undefined> {
    return this.store.get<UserRecord>('users', username);
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (password.length < 8) throw Object.assign(new Error('password must have at least 8 characters'), { status: 400, code: 'weak-password', expose: true });
    const prev = await this.get(username);
    const now = new Date().toISOString();
    const rec: UserRecord = { username, ...(await hashPassword(password)), createdAt: prev?.createdAt ?? now, passwordChangedAt: now };
    await this.store.commit([{ type: 'put', sublevel: this.store.sub('users'), key: username, value: rec }]);
  }

  /** Creates the admin account on first start. Returns the generated password when one had to be made up. */
  async ensureAdmin(envPassword: string | undefined): Promise<{ created: boolean; generated?: string }> {
    if (await this.get('admin')) return { created: false };
    const generated = envPassword ? undefined : randomBytes(12).toString('base64url');
    await this.setPassword('admin', envPassword ?? generated!);
    return { created: true, generated };
  }
}
