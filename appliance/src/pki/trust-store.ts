/**
 * The set of trusted CA certificates (trust anchors for device client certificates and CRL issuers).
 * Pure and in-memory: the caller persists `toJSON()` and restores with `TrustStore.fromJSON()`.
 */
import { z } from 'zod';
import { parseCertificate, type CertificateInfo } from './certificate.ts';
import { isPkiError, PkiError, type PkiErrorCode } from './errors.ts';
import { anchorChecks } from './path-rules.ts';
import { blockKind, decodeBlocks, describeBlock, toPem } from './pem.ts';

export interface TrustedCaSummary {
  subject: string;
  issuer: string;
  serial: string;
  /** SHA-256 fingerprint, `AB:CD:…`. */
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  selfSigned: boolean;
}

export interface RejectedBlock {
  /** 1-based position of the block in the upload. */
  index: number;
  code: PkiErrorCode;
  reason: string;
}

export interface TrustImportResult {
  added: TrustedCaSummary[];
  alreadyTrusted: TrustedCaSummary[];
  rejected: RejectedBlock[];
}

export const trustStoreJsonSchema = z.object({
  version: z.literal(1),
  certificates: z.array(z.string().max(64 * 1024)).max(10_000),
});
export type TrustStoreJson = z.infer<typeof trustStoreJsonSchema>;

export function summarize(cert: CertificateInfo): TrustedCaSummary {
  return {
    subject: cert.subject.text,
    issuer: cert.issuer.text,
    serial: cert.serial,
    fingerprint: cert.fingerprint,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    selfSigned: cert.subject.key === cert.issuer.key,
  };
}

/** Accepts `AB:CD…`, `abcd…` or with spaces; returns the `AB:CD:…` form. */
export function normalizeFingerprint(value: string): string {
  const digits = value.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return (digits.match(/.{2}/g) ?? []).join(':');
}

function assertCa(cert: CertificateInfo): void {
  if (!cert.isCa) throw new PkiError('not-a-ca', `${cert.subject.text} is not a CA certificate (no basicConstraints cA=TRUE)`);
  if (cert.keyUsage && !cert.keyUsage.keyCertSign) {
    throw new PkiError('not-a-ca', `${cert.subject.text} has a keyUsage without keyCertSign`);
  }
}

export class TrustStore {
  private readonly certs = new Map<string, CertificateInfo>();

  /**
   * Imports PEM (one or a bundle), DER (one or concatenated) or PKCS#7. Blocks that are not CA
   * certificates are rejected one by one and reported; the rest are added. Throws only when the input
   * holds no block at all (`empty`) or is not PEM/DER (`malformed`).
   */
  import(input: Buffer | string): TrustImportResult {
    const result: TrustImportResult = { added: [], alreadyTrusted: [], rejected: [] };
    decodeBlocks(input).forEach((block, i) => {
      const index = i + 1;
      const kind = blockKind(block);
      if (kind !== 'certificate' && (block.label !== 'DER' || kind !== 'unknown')) {
        // Never keep private keys or anything else that was pasted along; say what it was.
        result.rejected.push({ index, code: 'wrong-kind', reason: `${describeBlock(block)} is not a CA certificate` });
        return;
      }
      try {
        const cert = parseCertificate(block.der);
        if (this.certs.has(cert.fingerprint)) {
          result.alreadyTrusted.push(summarize(cert));
          return;
        }
        assertCa(cert);
        // New anchors meet today's rules; stored ones are judged where they are used (path-rules.ts). Dates
        // are not held against an upload: a CA valid from tomorrow may be prepared today.
        const failure = anchorChecks(cert, cert.notBefore);
        if (failure) throw new PkiError(failure.reason as PkiErrorCode, failure.detail);
        this.add(cert);
        result.added.push(summarize(cert));
      } catch (error) {
        if (!isPkiError(error)) throw error;
        result.rejected.push({ index, code: error.code, reason: error.message });
      }
    });
    return result;
  }

  /** Adds one parsed certificate; it must be a CA (basicConstraints cA=TRUE). */
  add(cert: CertificateInfo): void {
    assertCa(cert);
    this.certs.set(cert.fingerprint, cert);
  }

  list(): TrustedCaSummary[] {
    return [...this.certs.values()].map(summarize);
  }

  get(fingerprint: string): CertificateInfo | undefined {
    return this.certs.get(normalizeFingerprint(fingerprint));
  }

  has(fingerprint: string): boolean {
    return this.certs.has(normalizeFingerprint(fingerprint));
  }

  remove(fingerprint: string): boolean {
    return this.certs.delete(normalizeFingerprint(fingerprint));
  }

  /** Trusted certificates whose subject is `cert`'s issuer name. */
  issuersOf(cert: CertificateInfo): CertificateInfo[] {
    return [...this.certs.values()].filter((ca) => ca.subject.key === cert.issuer.key);
  }

  all(): CertificateInfo[] {
    return [...this.certs.values()];
  }

  get size(): number {
    return this.certs.size;
  }

  /** All trusted certificates as one PEM bundle (e.g. for a TLS `ca` option). */
  toPem(): string {
    return this.all().map((c) => toPem('CERTIFICATE', c.der)).join('');
  }

  toJSON(): TrustStoreJson {
    return { version: 1, certificates: this.all().map((c) => toPem('CERTIFICATE', c.der)) };
  }

  /** Restores a stored set; throws ZodError / PkiError on a damaged record rather than trusting less silently. */
  static fromJSON(json: unknown): TrustStore {
    const data = trustStoreJsonSchema.parse(json);
    const store = new TrustStore();
    for (const pem of data.certificates) {
      const blocks = decodeBlocks(pem);
      for (const block of blocks) store.add(parseCertificate(block.der));
    }
    return store;
  }
}
