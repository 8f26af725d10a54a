/**
 * The loaded CRLs: import (signature checked against the trust store), one current list per issuer,
 * listing with staleness, persistence as JSON. Pure and in-memory like TrustStore.
 */
import { z } from 'zod';
import { isSignedBy, parseCertificate, type CertificateInfo } from './certificate.ts';
import { crlSignerProblem, parseCrl, summarizeCrl, type Crl, type CrlSummary } from './crl.ts';
import { isPkiError, PkiError } from './errors.ts';
import { blockKind, decodeBlocks, describeBlock, toPem } from './pem.ts';
import type { RejectedBlock, TrustStore } from './trust-store.ts';

export interface CrlImportResult {
  /**
   * Imported lists (stale ones included, flagged `stale`: a stale list still names revoked serials). Empty
   * whenever anything was rejected: an upload is applied whole or not at all.
   */
  imported: (CrlSummary & { signedBy: string; replaced: boolean })[];
  /** Lists older than the one already loaded for the same issuer. */
  olderIgnored: CrlSummary[];
  rejected: RejectedBlock[];
}

export const crlListJsonSchema = z.object({
  version: z.literal(1),
  crls: z.array(z.string().max(16 * 1024 * 1024)).max(1000),
});
export type CrlListJson = z.infer<typeof crlListJsonSchema>;

function slotOf(crl: Crl): string {
  return `${crl.issuer.key}|${crl.authorityKeyId ?? ''}`;
}

/** True when `a` supersedes `b`: higher cRLNumber when both have one, else later thisUpdate. */
function newer(a: Crl, b: Crl): boolean {
  if (a.crlNumber && b.crlNumber && a.crlNumber !== b.crlNumber) {
    return BigInt(`0x${a.crlNumber}`) > BigInt(`0x${b.crlNumber}`);
  }
  return a.thisUpdate.getTime() > b.thisUpdate.getTime();
}

/**
 * Intermediates uploaded along with a CRL: usable as CRL signers only when a trusted CA issued them and
 * they are CAs themselves.
 */
function vettedIntermediates(certs: CertificateInfo[], trust: TrustStore): CertificateInfo[] {
  return certs.filter((c) => c.isCa && trust.issuersOf(c).some((ca) => isSignedBy(c, ca.publicKey)));
}

export class CrlList implements Iterable<Crl> {
  private readonly slots = new Map<string, Crl>();

  /**
   * Imports PEM/DER CRLs. Each must be signed by a trusted CA, or by an intermediate CA certificate included
   * in the same upload that a trusted CA issued. All or nothing: if any block is rejected, no list changes
   * (the lists already loaded stay in force) and every rejection is reported — a list the admin believes
   * loaded but is not would silently leave revoked devices accepted. Throws only for input that holds no
   * block (`empty`) or is not PEM/DER (`malformed`).
   */
  import(input: Buffer | string, trust: TrustStore, now: Date): CrlImportResult {
    const result: CrlImportResult = { imported: [], olderIgnored: [], rejected: [] };
    const blocks = decodeBlocks(input);
    const uploadedCerts: CertificateInfo[] = [];
    for (const block of blocks) {
      if (block.label !== 'CERTIFICATE') continue;
      try {
        uploadedCerts.push(parseCertificate(block.der));
      } catch {
        // A certificate that does not parse cannot vouch for anything; the CRL it was for gets rejected.
      }
    }
    const signers = [...trust.all(), ...vettedIntermediates(uploadedCerts, trust)];
    const accepted: { crl: Crl; signer: CertificateInfo }[] = [];
    blocks.forEach((block, i) => {
      if (block.label === 'CERTIFICATE') return;
      try {
        accepted.push(this.check(block, signers));
      } catch (error) {
        if (!isPkiError(error)) throw error;
        result.rejected.push({ index: i + 1, code: error.code, reason: error.message });
      }
    });
    if (result.rejected.length > 0) return result;
    if (accepted.length === 0) {
      result.rejected.push({ index: 1, code: 'wrong-kind', reason: 'the upload holds certificates but no CRL' });
      return result;
    }
    for (const { crl, signer } of accepted) {
      const outcome = this.add(crl);
      const summary = summarizeCrl(crl, now);
      if (outcome === 'older-ignored') result.olderIgnored.push(summary);
      else result.imported.push({ ...summary, signedBy: signer.fingerprint, replaced: outcome === 'replaced' });
    }
    return result;
  }

  /** One uploaded block: a CRL we can use, signed by one of `signers`, or a PkiError naming why not. */
  private check(block: { label: string; der: Buffer }, signers: CertificateInfo[]): { crl: Crl; signer: CertificateInfo } {
    const kind = blockKind(block);
    if (kind !== 'crl' && (block.label !== 'DER' || kind !== 'unknown')) throw new PkiError('wrong-kind', `${describeBlock(block)} is not a CRL`);
    const crl = parseCrl(block.der);
    if (crl.signatureAlgorithm.family === 'unknown') {
      throw new PkiError('unsupported-algorithm', `CRL signature algorithm ${crl.signatureAlgorithm.oid} is not supported`);
    }
    if (crl.problems.length > 0) {
      const code = crl.problems[0].includes('more than once') ? 'duplicate-extension' : 'unknown-critical-extension';
      throw new PkiError(code, `CRL of ${crl.issuer.text} cannot be used: ${crl.problems.join('; ')}`);
    }
    const named = signers.filter((s) => s.subject.key === crl.issuer.key);
    if (named.length === 0) throw new PkiError('untrusted-issuer', `CRL issuer ${crl.issuer.text} is not a trusted CA`);
    const problems = named.map((s) => crlSignerProblem(crl, s));
    const index = problems.indexOf(undefined);
    if (index >= 0) return { crl, signer: named[index] };
    if (problems.includes('not-crl-signer')) {
      throw new PkiError('not-crl-signer', `CA ${crl.issuer.text} signed this CRL but its keyUsage lacks cRLSign, so it may not sign CRLs (RFC 5280 §4.2.1.3); reissue the CA certificate with cRLSign`);
    }
    throw new PkiError('bad-signature', `CRL signature does not verify with the key of ${crl.issuer.text}`);
  }

  /** Adds an already-verified CRL, keeping only the newest per issuer. */
  add(crl: Crl): 'added' | 'replaced' | 'older-ignored' {
    const slot = slotOf(crl);
    const current = this.slots.get(slot);
    if (current && !newer(crl, current)) return current.fingerprint === crl.fingerprint ? 'replaced' : 'older-ignored';
    this.slots.set(slot, crl);
    return current ? 'replaced' : 'added';
  }

  list(now: Date): CrlSummary[] {
    return [...this.slots.values()].map((crl) => summarizeCrl(crl, now));
  }

  remove(fingerprint: string): boolean {
    const wanted = fingerprint.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
    for (const [slot, crl] of this.slots) {
      if (crl.fingerprint.replace(/:/g, '') === wanted) return this.slots.delete(slot);
    }
    return false;
  }

  [Symbol.iterator](): Iterator<Crl> {
    return this.slots.values();
  }

  get size(): number {
    return this.slots.size;
  }

  toJSON(): CrlListJson {
    return { version: 1, crls: [...this.slots.values()].map((crl) => toPem('X509 CRL', crl.der)) };
  }

  /** Restores stored CRLs. They were verified on import; verification against the path repeats at use. */
  static fromJSON(json: unknown): CrlList {
    const data = crlListJsonSchema.parse(json);
    const list = new CrlList();
    for (const pem of data.crls) for (const block of decodeBlocks(pem)) list.add(parseCrl(block.der));
    return list;
  }
}
