// Stored policies. Validation is the catalog's (policy.ts); this file keeps them, seals secret values
// at rest (like SNMP credentials: AES-GCM under the data folder's key) and never hands a secret out
// except as the in-memory Policy the SNMP adapter needs for one run.
import { randomUUID } from 'node:crypto';
import type { Store, StoreOp } from '../store/index.ts';
import { isSecretSetting, RETIRED, type PolicyValue } from './catalog.ts';
import { isKeepSecret, type FieldError, type Policy, type PolicyDraft } from './policy.ts';

/** A secret at rest: the sealed blob only. */
export interface SealedSecret { sealed: string }
export const isSealed = (v: unknown): v is SealedSecret => !!v && typeof v === 'object' && typeof (v as SealedSecret).sealed === 'string';

export interface StoredPolicy {
  id: string;
  name: string;
  settings: Record<string, PolicyValue | SealedSecret>;
  createdAt: string;
  updatedAt: string;
}

/** What the API shows: a stored secret is `{ set: true }`, never its value or its sealed blob. */
export interface PolicyView extends Omit<StoredPolicy, 'settings'> { settings: Record<string, PolicyValue | { set: true }> }

/** The secret box of snmp/secret-box.ts, as this room needs it. */
export interface Sealer { seal(value: unknown): string; open(blob: string): unknown }

export class PolicyRepo {
  private cache = new Map<string, StoredPolicy>();
  private opened = new WeakMap<StoredPolicy, Policy>();

  constructor(private readonly store: Store, private readonly box?: Sealer, private readonly log?: { warn(o: object, m: string): void }) {}

  async load(): Promise<void> {
    const ops: StoreOp[] = [];
    for (const p of await this.store.values<StoredPolicy>('policies')) {
      const migrated = this.migrate(p);
      if (migrated !== p) ops.push({ type: 'put', sublevel: this.store.sub('policies'), key: p.id, value: migrated });
      this.cache.set(p.id, migrated);
    }
    if (ops.length) await this.store.commit(ops);
  }

  list(): StoredPolicy[] { return [...this.cache.values()].sort((a, b) => a.name.localeCompare(b.name)); }
  get(id: string): StoredPolicy | undefined { return this.cache.get(id); }

  /** The policy with its secrets opened, for one SNMP run; cached per stored version. */
  plain(p: StoredPolicy): Policy {
    let out = this.opened.get(p);
    if (!out) {
      const settings: Record<string, PolicyValue> = {};
      for (const [id, v] of Object.entries(p.settings)) settings[id] = isSealed(v) ? this.openSecret(v) : v;
      out = { name: p.name, settings };
      this.opened.set(p, out);
    }
    return out;
  }

  view(p: StoredPolicy): PolicyView {
    const settings: PolicyView['settings'] = {};
    for (const [id, v] of Object.entries(p.settings)) settings[id] = isSealed(v) ? { set: true } : v;
    return { ...p, settings };
  }

  /**
   * A validated draft in clear: `{ set: true }` takes the secret stored in policy `id`. Errors name the
   * field when there is nothing stored to keep.
   */
  resolve(id: string | undefined, draft: PolicyDraft): { ok: true; policy: Policy } | { ok: false; errors: FieldError[] } {
    const cur = id ? this.cache.get(id) : undefined;
    const errors: FieldError[] = [];
    const settings: Record<string, PolicyValue> = {};
    for (const [key, v] of Object.entries(draft.settings)) {
      if (!isKeepSecret(v)) { settings[key] = v; continue; }
      const stored = cur?.settings[key];
      if (isSealed(stored)) settings[key] = this.openSecret(stored);
      else errors.push({ field: `settings.${key}`, message: 'no stored secret to keep: type the value' });
    }
    return errors.length ? { ok: false, errors } : { ok: true, policy: { name: draft.name, settings } };
  }

  async create(policy: Policy): Promise<StoredPolicy> {
    const now = new Date().toISOString();
    const rec: StoredPolicy = { id: randomUUID(), name: policy.name, settings: this.sealAll(policy), createdAt: now, updatedAt: now };
    await this.put(rec);
    return rec;
  }

  async update(id: string, policy: Policy): Promise<StoredPolicy | undefined> {
    const cur = this.cache.get(id);
    if (!cur) return undefined;
    const rec: StoredPolicy = { ...cur, name: policy.name, settings: this.sealAll(policy), id, updatedAt: new Date().toISOString() };
    await this.put(rec);
    return rec;
  }

  async remove(id: string): Promise<boolean> {
    if (!this.cache.has(id)) return false;
    await this.store.commit([{ type: 'del', sublevel: this.store.sub('policies'), key: id }]);
    this.cache.delete(id);
    return true;
  }

  private sealAll(policy: Policy): StoredPolicy['settings'] {
    const out: StoredPolicy['settings'] = {};
    for (const [id, v] of Object.entries(policy.settings)) {
      if (!isSecretSetting(id)) { out[id] = v; continue; }
      // A repository without the key cannot keep a secret safely, so it refuses to keep one at all.
      if (!this.box) throw new Error(`policy setting ${id} is a secret and this policy store has no secret box`);
      out[id] = { sealed: this.box.seal(v) };
    }
    return out;
  }

  private openSecret(v: SealedSecret): string {
    if (!this.box) throw new Error('a stored policy holds a sealed secret and this policy store has no secret box');
    return String(this.box.open(v.sealed));
  }

  private migrate(p: StoredPolicy): StoredPolicy {
    const { settings, changes } = migrateSettings(p.settings);
    if (!changes.length) return p;
    this.log?.warn({ policy: p.name, id: p.id, changes }, 'stored policy migrated to the current settings catalog');
    return { ...p, settings };
  }

  private async put(rec: StoredPolicy) {
    await this.store.commit([{ type: 'put', sublevel: this.store.sub('policies'), key: rec.id, value: rec }]);
    this.cache.set(rec.id, rec);
  }
}

/**
 * Settings stored before the catalog was checked against HP's MIBs: "ftp-printing" becomes "ftp" (true meant
 * "FTP printing on", which the old row wrote as "printing and download on"; it becomes print-only), and rows
 * no MIB defines are dropped. Used when policies load and when a backup is restored.
 */
export function migrateSettings<V>(given: Readonly<Record<string, V | boolean | string>>): { settings: Record<string, V | boolean | string>; changes: string[] } {
  const settings = { ...given };
  const changes: string[] = [];
  if ('ftp-printing' in settings) {
    const was = settings['ftp-printing'];
    delete settings['ftp-printing'];
    if (!('ftp' in settings)) settings.ftp = was === true ? 'print-only' : 'off';
    changes.push(`ftp-printing=${String(was)} → ftp=${String(settings.ftp)}`);
  }
  for (const r of RETIRED) {
    if (r.id in settings) { delete settings[r.id]; changes.push(`${r.id} dropped (no public MIB defines it)`); }
  }
  return { settings, changes };
}
