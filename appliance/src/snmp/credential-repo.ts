// SNMP credentials at rest: the default, a global list to try, and per-device overrides, each sealed with the
// data folder's secret key (secret-box.ts). Only descriptions (version, user, protocols) ever leave here.
import type { Store } from '../store/index.ts';
import { CredentialSchema, describeCredential, type Credential, type CredentialRef, type CredentialSet } from './credentials.ts';
import type { SecretBox } from './secret-box.ts';

type Sealed = { sealed: string };

export class CredentialRepo {
  // Opened credentials by store key (null = none stored). Every assessment needs them, and a fleet assessed
  // at once would otherwise read and decrypt the same default credential a thousand times.
  private opened = new Map<string, Credential | Credential[] | null>();

  constructor(private readonly store: Store, private readonly box: SecretBox) {}

  private async read(key: string): Promise<Credential | undefined> {
    if (!this.opened.has(key)) {
      const rec = await this.store.get<Sealed>('credentials', key);
      this.opened.set(key, rec ? CredentialSchema.parse(this.box.open(rec.sealed)) : null);
    }
    return (this.opened.get(key) as Credential | null) ?? undefined;
  }

  private async write(key: string, c: Credential | undefined) {
    const sub = this.store.sub<Sealed>('credentials');
    await this.store.commit([c ? { type: 'put', sublevel: sub, key, value: { sealed: this.box.seal(c) } } : { type: 'del', sublevel: sub, key }]);
    this.opened.set(key, c ?? null);
  }

  setDefault(c: Credential) { return this.write('default', c); }
  setDevice(serial: string, c: Credential | undefined) { return this.write(`device!${serial}`, c); }
  async setGlobal(list: Credential[]) {
    const sub = this.store.sub<Sealed>('credentials');
    await this.store.commit([{ type: 'put', sublevel: sub, key: 'global', value: { sealed: this.box.seal(list) } }]);
    this.opened.set('global', list);
  }

  async global(): Promise<Credential[]> {
    if (!this.opened.has('global')) {
      const rec = await this.store.get<Sealed>('credentials', 'global');
      this.opened.set('global', rec ? CredentialSchema.array().parse(this.box.open(rec.sealed)) : []);
    }
    return this.opened.get('global') as Credential[];
  }

  /** What to try for one device, device override first; `preferred` is what worked last time. */
  async forDevice(serial: string, preferred?: CredentialRef): Promise<CredentialSet> {
    const [device, def, global] = await Promise.all([this.read(`device!${serial}`), this.read('default'), this.global()]);
    return { device, default: def, global, preferred };
  }

  /** What to try where no device is known yet (a discovery sweep): the default, then the global list. */
  async general(): Promise<CredentialSet> {
    const [def, global] = await Promise.all([this.read('default'), this.global()]);
    return { default: def, global };
  }

  /** Safe to return from the API: no communities, no keys. */
  async describe(serial?: string) {
    const d = await this.read('default');
    const out: Record<string, unknown> = { default: d ? describeCredential(d) : null, global: (await this.global()).map(describeCredential) };
    if (serial) { const c = await this.read(`device!${serial}`); out.device = c ? describeCredential(c) : null; }
    return out;
  }
}
