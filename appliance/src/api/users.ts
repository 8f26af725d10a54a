// Admin accounts: scrypt-hashed passwords in the store. The first admin's password comes from
// INSTANT_ON_ADMIN_PASSWORD at first start, or is generated and shown once (the console and the sign-in
// page say where to find it).
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Store } from '../store/index.ts';
import { ApiError } from './errors.ts';
import { PASSWORD_RULE, passwordProblem } from './password-rule.ts';

const scryptAsync = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
// N=2^15 costs ~50 ms on a Pi 4: slow for a guesser, fine for a login.
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

// Each hash holds 128·N·r = 32 MiB while it runs, on libuv's pool: four sign-ins at once were 128 MiB of a
// 1 GB Pi's RAM and every pool thread (LevelDB's writes wait for them). One at a time bounds both; a
// queued sign-in waits ~50 ms per sign-in ahead of it.
let hashing: Promise<unknown> = Promise.resolve();
function scrypt(pw: string, salt: Buffer, len: number, opts: object): Promise<Buffer> {
  const run = hashing.then(() => scryptAsync(pw, salt, len, opts));
  hashing = run.catch(() => undefined);
  return run;
}

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

  /** Refuses (400 `weak-password`, naming the rule and `field`) a password that breaks the rule. */
  async checkPassword(username: string, password: string, field = 'newPassword'): Promise<void> {
    const problem = await passwordProblem(password, username);
    if (problem) throw new ApiError(400, 'weak-password', `the password ${problem}; the rule: ${PASSWORD_RULE}`, [{ field, message: `This password ${problem}.` }]);
  }

  async setPassword(username: string, password: string, opts: { field?: string; generated?: boolean } = {}): Promise<void> {
    if (!opts.generated) await this.checkPassword(username, password, opts.field);
    const prev = await this.get(username);
    const now = new Date().toISOString();
    const rec: UserRecord = { username, ...(await hashPassword(password)), createdAt: prev?.createdAt ?? now, passwordChangedAt: now };
    await this.store.commit([{ type: 'put', sublevel: this.store.sub('users'), key: username, value: rec }]);
  }

  /** Creates the admin account on first start. Returns the generated password when one had to be made up. */
  async ensureAdmin(envPassword: string | undefined): Promise<{ created: boolean; generated?: string }> {
    if (await this.get('admin')) return { created: false };
    const generated = envPassword ? undefined : randomBytes(12).toString('base64url');
    // A weak INSTANT_ON_ADMIN_PASSWORD stops the first start with the rule, rather than guarding the fleet with it.
    try {
      await this.setPassword('admin', envPassword ?? generated!, { field: 'INSTANT_ON_ADMIN_PASSWORD', generated: !envPassword });
    } catch (err: any) {
      if (err?.code === 'weak-password') err.message = `INSTANT_ON_ADMIN_PASSWORD: ${err.message}`;
      throw err;
    }
    return { created: true, generated };
  }
}
