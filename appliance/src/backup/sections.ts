// What a restored record must look like, per section: the same checks the rooms apply when the record is
// made, so a restore can never plant a record the appliance would not have written itself. Sealed values
// (credentials, the appliance CA) are opened with the archive's key and sealed again with this appliance's.
import { z } from 'zod';
import { settingsSchema, type SettingKey } from '../config/index.ts';
import { fromStored, toStored } from '../config/index.ts';
import { isSealed, isSecretSetting, migrateSettings, validatePolicy } from '../policy/index.ts';
import { CredentialSchema } from '../snmp/index.ts';
import type { SecretBox } from '../snmp/index.ts';
import { TrustStore } from '../pki/index.ts';
import { CrlList } from '../pki/index.ts';
import { ApplianceCa } from '../pki/index.ts';
import { listenerInputSchema } from '../forward/index.ts';
import { GroupInputSchema } from '../autogroups/index.ts';
import { serialNumberSchema, unsafeCharacter } from '../protocol/index.ts';
import { META_KEYS, type SectionName } from './format.ts';

export interface Boxes { source: SecretBox; target: SecretBox }
export type Check = (key: string, value: unknown, boxes: Boxes) => unknown;

const obj = z.record(z.string(), z.unknown());
const sealedSchema = z.object({ sealed: z.string().max(1_000_000) });
const keyLike = (re: RegExp, what: string) => (key: string) => { if (!re.test(key)) throw new Error(`unexpected key "${key.slice(0, 80)}" (${what})`); };

const checks: Record<SectionName, Check> = {
  settings: (key, value, boxes) => {
    const def = settingsSchema[key as SettingKey];
    if (!def) throw new Error(`unknown setting "${key.slice(0, 80)}" (made by a newer version?)`);
    if (!def.storable) throw new Error(`setting ${key} cannot be stored`);
    // Secret settings are sealed under the archive's data-folder key (older archives: in clear); they are
    // checked like any other and sealed again under this appliance's key.
    const r = def.schema.safeParse(fromStored(key, value, boxes.source));
    if (!r.success) throw new Error(`setting ${key}: ${r.error.issues.map((i) => i.message).join('; ')}`);
    return toStored(key, r.data, boxes.target);
  },
  policies: (key, value, boxes) => {
    const rec = obj.parse(value);
    if (rec.id !== key) throw new Error('policy id does not match its key');
    const { id: _i, createdAt, updatedAt, ...policy } = rec;
    // Secret settings are sealed under the archive's key: opened to be checked like any value, then sealed
    // again under this appliance's. Rows renamed or retired since the archive was made are migrated as at start.
    const opened = Object.fromEntries(Object.entries(obj.parse(policy.settings)).map(([k, v]) => [k, isSealed(v) ? boxes.source.open(sealedSchema.parse(v).sealed) : v]));
    const v = validatePolicy({ ...policy, settings: migrateSettings(opened as Record<string, unknown>).settings });
    if (!v.ok) throw new Error(`policy ${String(rec.name).slice(0, 60)}: ${JSON.stringify(v.errors.map((e) => e.field)).slice(0, 300)}`);
    z.string().parse(createdAt); z.string().parse(updatedAt);
    const settings = Object.fromEntries(Object.entries(v.policy.settings).map(([k, x]) => [k, isSecretSetting(k) ? { sealed: boxes.target.seal(x) } : x]));
    return { ...rec, name: v.policy.name, settings };
  },
  credentials: (key, value, boxes) => {
    keyLike(/^(default|global|device![A-Za-z0-9-]{1,32})$/, 'default, global or device!<serial>')(key);
    const opened = boxes.source.open(sealedSchema.parse(value).sealed);
    const parsed = key === 'global' ? CredentialSchema.array().max(20).parse(opened) : CredentialSchema.parse(opened);
    return { sealed: boxes.target.seal(parsed) };
  },
  pki: (key, value, boxes) => {
    if (key === 'trust') { TrustStore.fromJSON(value); return value; }
    if (key === 'crls') { CrlList.fromJSON(value); return value; }
    if (key === 'ca') return { sealed: boxes.target.seal(ApplianceCa.fromJSON(boxes.source.open(sealedSchema.parse(value).sealed)).toJSON()) };
    throw new Error(`unexpected key "${key.slice(0, 80)}"`);
  },
  listeners: (key, value) => {
    const rec = obj.parse(value);
    if (rec.id !== key) throw new Error('listener id does not match its key');
    const { id: _i, createdAt, status: _s, ...input } = rec;
    listenerInputSchema.parse(input);
    z.string().parse(createdAt);
    return value;
  },
  schedules: (key, value) => { const rec = obj.parse(value); if (rec.id !== key) throw new Error('schedule id does not match its key'); return value; },
  serials: (key, value) => {
    keyLike(/^(listed|unlisted)![A-Za-z0-9-]{1,32}$/, 'listed!<serial> or unlisted!<serial>')(key);
    const rec = obj.parse(value);
    if (`${key.split('!')[0]}!${String(rec.serial)}` !== key) throw new Error('serial does not match its key');
    return value;
  },
  autogroups: (key, value) => {
    if (key.startsWith('g!')) {
      const rec = obj.parse(value);
      const { id, createdAt: _c, updatedAt: _u, ...input } = rec;
      if (`g!${String(id)}` !== key) throw new Error('group id does not match its key');
      GroupInputSchema.parse(input);
      return value;
    }
    if (key.startsWith('m!')) { serialNumberSchema.parse(key.slice(2)); obj.parse(value); return value; }
    throw new Error(`unexpected key "${key.slice(0, 80)}"`);
  },
  meta: (key, value) => {
    if (!META_KEYS.includes(key)) throw new Error(`unexpected key "${key.slice(0, 80)}"`);
    if (key === 'listenerId') z.string().max(128).regex(/^[A-Za-z0-9._-]+$/).parse(value);
    return value;
  },
  devices: (key, value) => {
    const rec = obj.parse(value);
    serialNumberSchema.parse(key);
    if (rec.serialNumber !== key) throw new Error('serialNumber does not match its key');
    z.object({ model: z.string(), firstSeen: z.string(), lastSeen: z.string(), historySeq: z.number() }).loose().parse(rec);
    // What printers say about themselves is refused on 3329 when it holds control or bidi characters; an
    // archive must not plant such a model or host name either (logs, syslog, the page, CSV).
    for (const [field, v] of Object.entries(rec)) {
      const why = typeof v === 'string' ? unsafeCharacter(v) : null;
      if (why) throw new Error(`${field}: ${why}`);
    }
    return value;
  },
  history: (key, value) => { keyLike(/^[A-Za-z0-9-]{1,32}!\d{10}$/, '<serial>!<sequence>')(key); obj.parse(value); return value; },
  assessments: (key, value) => { keyLike(/^[jl]!/, 'j!… or l!…')(key); obj.parse(value); return value; },
  counters: (key, value) => { keyLike(/^\d{4}-\d{2}-\d{2}T\d{2}$/, 'an hour')(key); obj.parse(value); return value; },
};

export function checkRecord(section: SectionName, key: unknown, value: unknown, boxes: Boxes): unknown {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) throw new Error('a record key must be a non-empty string');
  return checks[section](key, value, boxes);
}
