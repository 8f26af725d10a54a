/**
 * The built-in appliance CA, for sites without a CA of their own: made once, signs device CSRs for
 * client authentication, revokes what it issued and publishes a signed CRL of those revocations.
 *
 * Pure and in-memory: the caller persists `toJSON()` after every change. That JSON holds the CA private
 * key, so it deserves the same care as the identity key (0600 file or an encrypted store entry).
 */
import crypto, { type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyStrength } from './algorithms.ts';
import { buildCertificate, buildCrl, CRL_REASONS, ext, keyIdentifier, randomSerialHex, type CrlReasonName, type ExtensionSpec } from './cert-builder.ts';
import { OID, parseCertificate, type CertificateInfo } from './certificate.ts';
import { parseCsr } from './csr.ts';
import { build, encodeDer, normalizeSerial } from './der.ts';
import { PkiError } from './errors.ts';
import { buildName } from './names.ts';
import { blocksWithLabel, toPem } from './pem.ts';

const DAY = 86_400_000;
/** Backdating absorbs clock skew between the appliance and devices that just booted. */
const BACKDATE_MS = 5 * 60_000;

const issuedRecordSchema = z.object({
  serial: z.string(),
  subject: z.string(),
  fingerprint: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  issuedAt: z.string(),
  revokedAt: z.string().optional(),
  reason: z.enum(Object.keys(CRL_REASONS) as [CrlReasonName, ...CrlReasonName[]]).optional(),
});
export type IssuedRecord = z.infer<typeof issuedRecordSchema>;

export const applianceCaJsonSchema = z.object({
  version: z.literal(1),
  keyPem: z.string(),
  certPem: z.string(),
  crlNumber: z.number().int().nonnegative(),
  issued: z.array(issuedRecordSchema),
});
export type ApplianceCaJson = z.infer<typeof applianceCaJsonSchema>;

export interface ApplianceCaOptions {
  commonName?: string;
  organization?: string;
  /** CA lifetime; default 20 years (device certificates never outlive it). */
  days?: number;
  /** RSA-2048 by default: every printer generation can validate it. */
  keyType?: 'rsa-2048' | 'ec-p256';
  now?: Date;
}

export interface SignCsrOptions {
  /** Device certificate lifetime; default 3 years, capped at the CA's own expiry. */
  days?: number;
  /** Also allow the certificate as a TLS server identity (a printer's web server). */
  serverAuth?: boolean;
  now?: Date;
}

export class ApplianceCa {
  private constructor(
    private readonly key: KeyObject,
    readonly certificate: CertificateInfo,
    private readonly issued: Map<string, IssuedRecord>,
    private crlNumber: number,
  ) {}

  static create(opts: ApplianceCaOptions = {}): ApplianceCa {
    const now = opts.now ?? new Date();
    const { privateKey } = opts.keyType === 'ec-p256'
      ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const name = buildName({ O: opts.organization ?? 'instant-on-edge', CN: opts.commonName ?? 'instant-on-edge appliance CA' });
    const keyId = keyIdentifier(spki).toString('hex');
    const der = buildCertificate({
      serialHex: randomSerialHex(),
      issuer: encodeDer(name),
      subject: name,
      subjectPublicKeyInfo: spki,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + (opts.days ?? 20 * 365) * DAY),
      // pathLen 0: this CA signs devices only, never another CA.
      extensions: [ext.basicConstraints(true, 0), ext.keyUsage(['keyCertSign', 'cRLSign']), ext.subjectKeyId(spki), ext.authorityKeyId(keyId)],
      signingKey: privateKey,
    });
    return new ApplianceCa(privateKey, parseCertificate(der), new Map(), 0);
  }

  /** Restores a stored CA; refuses a record whose key does not belong to its certificate. */
  static fromJSON(json: unknown): ApplianceCa {
    const data = applianceCaJsonSchema.parse(json);
    const key = crypto.createPrivateKey(data.keyPem);
    const [certDer] = blocksWithLabel(data.certPem, ['CERTIFICATE']);
    const cert = parseCertificate(certDer);
    const mine = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
    if (!mine.equals(cert.rawSubjectPublicKeyInfo)) throw new PkiError('key-mismatch', 'stored appliance CA key does not match its certificate');
    return new ApplianceCa(key, cert, new Map(data.issued.map((r) => [r.serial, r])), data.crlNumber);
  }

  toJSON(): ApplianceCaJson {
    return {
      version: 1,
      keyPem: this.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      certPem: this.certificatePem,
      crlNumber: this.crlNumber,
      issued: [...this.issued.values()],
    };
  }

  get certificatePem(): string {
    return toPem('CERTIFICATE', this.certificate.der);
  }

  /**
   * Issues a client-authentication certificate for a device CSR (PEM or DER). The CSR must be signed by
   * its own key (proof of possession) and the key must be at least RSA-2048 / EC P-256.
   */
  signCsr(csrInput: string | Buffer, opts: SignCsrOptions = {}): { certPem: string; record: IssuedRecord } {
    const now = opts.now ?? new Date();
    const csr = parseCsr(csrInput);
    if (!csr.signatureValid) throw new PkiError('bad-signature', 'CSR is not signed by the key it requests a certificate for');
    const strength = keyStrength(csr.publicKey);
    if (!strength.ok) throw new PkiError(strength.code ?? 'weak-key', `CSR has ${strength.problem}`);
    if (csr.subject.attributes.length === 0 && !csr.requestedSan) throw new PkiError('malformed', 'CSR has neither a subject nor a subjectAltName');

    const notBefore = new Date(now.getTime() - BACKDATE_MS);
    const wanted = now.getTime() + (opts.days ?? 3 * 365) * DAY;
    const notAfter = new Date(Math.min(wanted, this.certificate.notAfter.getTime()));
    const usage = csr.publicKey.asymmetricKeyType === 'rsa' ? (['digitalSignature', 'keyEncipherment'] as const) : (['digitalSignature'] as const);
    const extensions: ExtensionSpec[] = [
      ext.basicConstraints(false),
      ext.keyUsage([...usage]),
      ext.extKeyUsage(opts.serverAuth ? [OID.clientAuth, OID.serverAuth] : [OID.clientAuth]),
      ext.subjectKeyId(csr.rawSubjectPublicKeyInfo),
      ext.authorityKeyId(this.certificate.subjectKeyId ?? keyIdentifier(this.certificate.rawSubjectPublicKeyInfo).toString('hex')),
    ];
    if (csr.requestedSan) extensions.push({ oid: OID.subjectAltName, critical: false, value: build.raw(csr.requestedSan) });
    let serialHex = randomSerialHex();
    while (this.issued.has(serialHex)) serialHex = randomSerialHex();
    const der = buildCertificate({
      serialHex,
      issuer: this.certificate.rawSubject,
      subject: csr.rawSubject,
      subjectPublicKeyInfo: csr.rawSubjectPublicKeyInfo,
      notBefore,
      notAfter,
      extensions,
      signingKey: this.key,
    });
    const cert = parseCertificate(der);
    const record: IssuedRecord = {
      serial: cert.serial,
      subject: cert.subject.text,
      fingerprint: cert.fingerprint,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      issuedAt: now.toISOString(),
    };
    this.issued.set(record.serial, record);
    return { certPem: toPem('CERTIFICATE', der), record };
  }

  /** Revokes a certificate this CA issued. Revoking twice keeps the first date and reason. */
  revoke(serial: string, opts: { reason?: CrlReasonName; now?: Date } = {}): IssuedRecord {
    const record = this.issued.get(normalizeSerial(serial));
    if (!record) throw new PkiError('not-issued-here', `serial ${serial} was not issued by the appliance CA`);
    if (!record.revokedAt) {
      record.revokedAt = (opts.now ?? new Date()).toISOString();
      record.reason = opts.reason ?? 'unspecified';
    }
    return record;
  }

  list(): IssuedRecord[] {
    return [...this.issued.values()];
  }

  /** A freshly signed CRL of every revocation (PEM); each call takes the next cRLNumber. */
  crl(opts: { now?: Date; validHours?: number } = {}): string {
    const now = opts.now ?? new Date();
    this.crlNumber += 1;
    const der = buildCrl({
      issuer: this.certificate.rawSubject,
      issuerKeyIdHex: this.certificate.subjectKeyId,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + (opts.validHours ?? 7 * 24) * 3_600_000),
      crlNumber: this.crlNumber,
      revoked: this.list()
        .filter((r) => r.revokedAt)
        .map((r) => ({ serialHex: r.serial, revokedAt: new Date(r.revokedAt!), reason: r.reason })),
      signingKey: this.key,
    });
    return toPem('X509 CRL', der);
  }
}

