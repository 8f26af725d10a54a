// The appliance's trust material, kept in the store: trusted CAs, CRLs, and the built-in appliance CA (whose
// JSON holds its private key, so it is sealed with the data folder's secret key). In memory for the hot path
// (every mutual-TLS announcement is judged against it), persisted after every change.
import type { Store } from '../store/index.ts';
import { TrustStore } from './trust-store.ts';
import { CrlList } from './crl-list.ts';
import { ApplianceCa } from './appliance-ca.ts';
import { verifyClientCertificate } from './verify-client.ts';

interface Box { seal(v: unknown): string; open(b: string): unknown }

export class TrustRepo {
  trust = new TrustStore();
  crls = new CrlList();
  private ca?: ApplianceCa;
  private listeners = new Set<() => void>();

  constructor(private readonly store: Store, private readonly box: Box) {}

  async load(): Promise<void> {
    const t = await this.store.get<unknown>('pki', 'trust');
    if (t) this.trust = TrustStore.fromJSON(t);
    const c = await this.store.get<unknown>('pki', 'crls');
    if (c) this.crls = CrlList.fromJSON(c);
    const ca = await this.store.get<{ sealed: string }>('pki', 'ca');
    if (ca) this.ca = ApplianceCa.fromJSON(this.box.open(ca.sealed));
  }

  /** Called when the set of trusted CAs changes (the listener refreshes its CertificateRequest CA list). */
  onChange(fn: () => void) { this.listeners.add(fn); }

  async save(): Promise<void> {
    const sub = this.store.sub('pki');
    await this.store.commit([
      { type: 'put', sublevel: sub, key: 'trust', value: this.trust.toJSON() },
      { type: 'put', sublevel: sub, key: 'crls', value: this.crls.toJSON() },
      ...(this.ca ? [{ type: 'put' as const, sublevel: sub, key: 'ca', value: { sealed: this.box.seal(this.ca.toJSON()) } }] : []),
    ]);
    for (const fn of this.listeners) fn();
  }

  /** The built-in appliance CA, created on first use and trusted for device certificates it issues. */
  async applianceCa(): Promise<ApplianceCa> {
    if (!this.ca) {
      this.ca = ApplianceCa.create({ commonName: 'instant-on-edge appliance CA', keyType: 'ec-p256' });
      this.trust.import(this.ca.certificatePem);
      await this.save();
    }
    return this.ca;
  }

  async revokeIssued(serial: string): Promise<void> {
    const ca = await this.applianceCa();
    ca.revoke(serial);
    this.crls.import(ca.crl(), this.trust, new Date());
    await this.save();
  }

  verify(chain: Buffer[]) {
    return verifyClientCertificate(chain, { trust: this.trust, crls: this.crls, now: new Date() });
  }

  caPems(): string[] {
    const pem = this.trust.toPem();
    return pem ? pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [] : [];
  }
}
