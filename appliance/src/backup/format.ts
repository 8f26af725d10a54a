// What a backup holds and how it is laid out (format 1). The manifest is plain so a refusal can say what an
// archive is (foreign, newer); everything else is encrypted under the passphrase (crypt.ts).
import { z } from 'zod';
import type { SublevelName } from '../store/index.ts';

export const FORMAT = 'instant-on-edge-backup';
export const FORMAT_VERSION = 1;

/** Configuration: always in a backup. `meta` is limited to META_KEYS (never the session secret). */
export const CONFIG_SECTIONS = ['settings', 'policies', 'schedules', 'serials', 'listeners', 'autogroups', 'pki', 'credentials', 'meta'] as const satisfies readonly SublevelName[];
/** The fleet and its history: only when asked for (`devices: true`). */
export const FLEET_SECTIONS = ['devices', 'history', 'assessments', 'counters'] as const satisfies readonly SublevelName[];
export type SectionName = (typeof CONFIG_SECTIONS)[number] | (typeof FLEET_SECTIONS)[number];
export const META_KEYS = ['listenerId', 'alert-subscriptions'];

/** The largest archive a restore takes (it is checked whole in memory); a backup that would be larger is refused. */
export const ARCHIVE_MAX_BYTES = 64 * 1024 * 1024;

export const MANIFEST = 'manifest.json';
export const IDENTITY = 'identity.enc';
export const sectionFile = (name: string) => `sections/${name}.jsonl.enc`;
/** What the key check decrypts to (the section list rides along, so none can be dropped unnoticed). */
export const CHECK_NAME = 'check';

const b64 = z.string().max(100_000).regex(/^[A-Za-z0-9+/=]*$/);
const sealed = z.object({ iv: b64, tag: b64 });

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.number().int().min(1),
  appVersion: z.string().max(64),
  createdAt: z.string().max(40),
  listenerId: z.string().max(128),
  devices: z.boolean(),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: b64 }),
  check: sealed.extend({ data: b64 }),
  identity: sealed,
  sections: z.array(sealed.extend({ name: z.enum([...CONFIG_SECTIONS, ...FLEET_SECTIONS]), entries: z.number().int().min(0) })).max(32),
});
export type Manifest = z.infer<typeof manifestSchema>;

export interface IdentityPart { keyPem: string; certPem: string; chainPem: string[]; secretKey: string }
export interface CheckPart { format: string; sections: { name: string; entries: number }[] }
