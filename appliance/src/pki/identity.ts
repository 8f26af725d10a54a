// The appliance's own TLS identity: made once on first start (RSA-2048 key from node:crypto, which is fast,
// and an X.509 certificate built with node-forge), kept in <dataDir>/identity with mode 0600. The 3329
// listener and the web server both present it. Its SANs name hp-print-mgmt, so a device that validates the
// server's identity against the name it resolved can succeed once a CA signs it (issue 7).
import { generateKeyPairSync, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, chmodSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { writeFileAtomic } from '../util/atomic-file.ts';

export interface Identity {
  keyPem: string;
  certPem: string;
  /** Chain certificates after the leaf, when a CA-signed certificate has been installed. */
  chainPem: string[];
  fingerprint256: string;
  subject: string;
}

export const MGMT_NAME = 'hp-print-mgmt';

/** Non-loopback addresses of this machine, the default SANs and DNS answers. */
export function localAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80')) out.push(a.address);
  }
  return out;
}

export function certFingerprint256(certPem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem))).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export function createSelfSignedIdentity(opts: { names?: string[]; addresses?: string[]; days?: number } = {}): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // Positive 16-byte serial: a leading 0 nibble keeps the DER INTEGER from reading as negative.
  cert.serialNumber = '0' + randomBytes(16).toString('hex').slice(1);
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  cert.validity.notAfter = new Date(now.getTime() + (opts.days ?? 3650) * 86_400_000);
  const host = hostname();
  const attrs = [{ name: 'commonName', value: MGMT_NAME }, { name: 'organizationName', value: 'instant-on-edge' },
    { name: 'organizationalUnitName', value: host.slice(0, 64) }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const names = [...new Set([MGMT_NAME, host, 'localhost', ...(opts.names ?? [])])];
  const addresses = [...new Set(['127.0.0.1', '::1', ...(opts.addresses ?? localAddresses())])];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2, value })), ...addresses.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { keyPem, certPem, chainPem: [], fingerprint256: certFingerprint256(certPem), subject: `CN=${MGMT_NAME}` };
}

/** Loads <dataDir>/identity, creating a self-signed identity on first start. */
export function loadOrCreateIdentity(dataDir: string): { identity: Identity; created: boolean } {
  const dir = join(dataDir, 'identity');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const chainPath = join(dir, 'chain.pem');
  if (existsSync(keyPath) && existsSync(certPath)) {
    // Tighten modes in case someone copied the folder around with a permissive umask.
    chmodSync(keyPath, 0o600);
    const certPem = readFileSync(certPath, 'utf8');
    const chain = existsSync(chainPath) ? splitPem(readFileSync(chainPath, 'utf8')) : [];
    const subject = forge.pki.certificateFromPem(certPem).subject.attributes.map((a) => `${a.shortName}=${a.value}`).join(', ');
    return { identity: { keyPem: readFileSync(keyPath, 'utf8'), certPem, chainPem: chain, fingerprint256: certFingerprint256(certPem), subject }, created: false };
  }
  const identity = createSelfSignedIdentity();
  writeFileAtomic(keyPath, identity.keyPem, 0o600);
  writeFileAtomic(certPath, identity.certPem, 0o600);
  return { identity, created: true };
}

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((p) => p + '\n') ?? [];
}

/** Replaces the self-signed certificate with a CA-signed one for the same key (checked by the caller). */
export function installSignedIdentity(dataDir: string, current: Identity, certPem: string, chainPem: string[]): Identity {
  const dir = join(dataDir, 'identity');
  writeFileAtomic(join(dir, 'cert.pem'), certPem, 0o600);
  writeFileAtomic(join(dir, 'chain.pem'), chainPem.join(''), 0o600);
  const subject = forge.pki.certificateFromPem(certPem).subject.attributes.map((a) => `${a.shortName}=${a.value}`).join(', ');
  return { ...current, certPem, chainPem, fingerprint256: certFingerprint256(certPem), subject };
}
