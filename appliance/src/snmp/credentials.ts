// SNMP credentials as admins enter them. v3 is authPriv only: SHA or SHA-256 with AES-128 or AES-256.
// DES and MD5 are not offered: DES fails on current OpenSSL, and neither belongs in a security product.
import { z } from 'zod';
import { FACTORY_READ_COMMUNITIES, type CredentialFacts } from '../policy/index.ts';

const secret = z.string().min(1, 'must not be empty').max(255);

export const V2cCredentialSchema = z.object({
  version: z.literal('2c'),
  readCommunity: secret,
  writeCommunity: secret,
});

export const V3CredentialSchema = z.object({
  version: z.literal('3'),
  user: z.string().min(1, 'must not be empty').max(32),
  authProtocol: z.enum(['sha', 'sha256']),
  // RFC 3414 §11.2: passwords shorter than 8 characters are refused by agents anyway.
  authKey: z.string().min(8, 'must be at least 8 characters').max(255),
  privProtocol: z.enum(['aes', 'aes256']),
  privKey: z.string().min(8, 'must be at least 8 characters').max(255),
});

export const CredentialSchema = z.discriminatedUnion('version', [V2cCredentialSchema, V3CredentialSchema]);

export type V2cCredential = z.infer<typeof V2cCredentialSchema>;
export type V3Credential = z.infer<typeof V3CredentialSchema>;
export type Credential = z.infer<typeof CredentialSchema>;

/** What may be shown or logged about a credential: never a community or key. */
export function describeCredential(c: Credential): { version: '2c' } | { version: '3'; user: string; authProtocol: string; privProtocol: string } {
  return c.version === '2c'
    ? { version: '2c' }
    : { version: '3', user: c.user, authProtocol: c.authProtocol, privProtocol: c.privProtocol };
}

/** The candidates for one device, tried in order: device override, default, then the global list. */
export interface CredentialSet {
  device?: Credential;
  default?: Credential;
  global?: readonly Credential[];
  /** What worked last time for this device; tried first, then the usual order. */
  preferred?: CredentialRef;
}

/** Which candidate worked; safe to store and show (no secret). */
export type CredentialRef = { source: 'device' } | { source: 'default' } | { source: 'global'; index: number };

export function credentialLabel(ref: CredentialRef): string {
  return ref.source === 'global' ? `global[${ref.index}]` : ref.source;
}

export function candidates(set: CredentialSet): Array<{ ref: CredentialRef; credential: Credential }> {
  const out: Array<{ ref: CredentialRef; credential: Credential }> = [];
  if (set.device) out.push({ ref: { source: 'device' }, credential: set.device });
  if (set.default) out.push({ ref: { source: 'default' }, credential: set.default });
  (set.global ?? []).forEach((credential, index) => out.push({ ref: { source: 'global', index }, credential }));
  const want = set.preferred;
  if (!want) return out;
  const at = out.findIndex((c) => credentialLabel(c.ref) === credentialLabel(want));
  return at <= 0 ? out : [out[at], ...out.slice(0, at), ...out.slice(at + 1)];
}

/** What the policy guards may ask of a credential: its version and yes/no questions about its communities. */
export function credentialFacts(c: Credential): CredentialFacts {
  if (c.version === '3') return { version: '3' };
  return { version: '2c', readsWithFactoryCommunity: FACTORY_READ_COMMUNITIES.includes(c.readCommunity), writesWith: (community) => community === c.writeCommunity };
}
