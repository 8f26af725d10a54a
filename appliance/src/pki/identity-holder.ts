// The appliance's current TLS identity (key, certificate, chain). Installing a CA-signed certificate checks it
// against the key, writes it to the data folder, and tells every TLS server (3329, HTTPS) to use it from the
// next handshake on, without a restart.
import { installSignedIdentity, splitPem, type Identity } from './identity.ts';
import { checkSignedIdentity } from './csr.ts';

export type InstallResult = { ok: true } | { ok: false; code: string; detail: string };

export class IdentityHolder {
  private listeners = new Set<(identity: Identity) => void>();

  constructor(private readonly dataDir: string, private identity: Identity) {}

  current(): Identity { return this.identity; }

  /** Certificate and chain as one PEM, as TLS servers take them. */
  certChainPem(): string { return [this.identity.certPem, ...this.identity.chainPem].join(''); }

  onChange(fn: (identity: Identity) => void): void { this.listeners.add(fn); }

  install(pemText: string): InstallResult {
    const certs = splitPem(pemText);
    const r = checkSignedIdentity(certs[0] ?? '', certs.slice(1).join(''), this.identity.keyPem);
    if (!r.ok) return { ok: false, code: r.code, detail: r.detail };
    this.identity = installSignedIdentity(this.dataDir, this.identity, certs[0], r.chainPem);
    for (const fn of this.listeners) fn(this.identity);
    return { ok: true };
  }
}
