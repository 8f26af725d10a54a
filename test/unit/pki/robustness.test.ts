/**
 * Bad input never crashes the PKI code and never authenticates: mutated and truncated openssl-made
 * certificates, CRLs and CSRs give named failures or typed PkiErrors only.
 */
import test from 'ava';
import fc from 'fast-check';
import { parseCsr } from '../../../appliance/src/pki/csr.ts';
import { CrlList } from '../../../appliance/src/pki/crl-list.ts';
import { isPkiError } from '../../../appliance/src/pki/errors.ts';
import { decodeBlocks } from '../../../appliance/src/pki/pem.ts';
import { TrustStore } from '../../../appliance/src/pki/trust-store.ts';
import { verifyClientCertificate } from '../../../appliance/src/pki/verify-client.ts';
import { OpensslPki, type TestCert } from '../../fakes/openssl-certs.ts';

let pki: OpensslPki;
let leaf: TestCert;
let crlDer: Buffer;
let csrDer: Buffer;
const trust = new TrustStore();

test.before(async () => {
  pki = await OpensslPki.create();
  leaf = await pki.issue('fuzz', { issuer: 'root', key: 'ec-p256', ext: 'client' });
  trust.import(pki.root.certPem);
  crlDer = decodeBlocks(await pki.crl('root'))[0].der;
  const { stdout } = await pki.openssl(['req', '-config', pki.configPath, '-new', '-key', leaf.keyPath, '-subj', '/CN=fuzz']);
  csrDer = decodeBlocks(stdout)[0].der;
});

test.after.always(async () => {
  await pki?.cleanup();
});

/** A copy of `der` with one to three bytes changed, or cut short. */
function mutation(length: number) {
  return fc.oneof(
    fc.array(fc.tuple(fc.nat(length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }).map((edits) => ({ edits, cut: length })),
    fc.nat(length - 1).map((cut) => ({ edits: [] as [number, number][], cut })),
  );
}

function apply(der: Buffer, m: { edits: [number, number][]; cut: number }): Buffer {
  const copy = Buffer.from(der.subarray(0, m.cut));
  for (const [at, xor] of m.edits) if (at < copy.length) copy[at] ^= xor;
  return copy;
}

test('the unmodified certificate is accepted (so the property below is not vacuous)', (t) => {
  t.true(verifyClientCertificate([leaf.der], { trust, crls: [], now: new Date() }).ok);
});

test('a mutated or truncated client certificate is never accepted and never throws', (t) => {
  fc.assert(
    fc.property(mutation(leaf.der.length), (m) => {
      const result = verifyClientCertificate([apply(leaf.der, m)], { trust, crls: [], now: new Date() });
      return result.ok === false && result.detail.length > 0;
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('mutated CRLs, CSRs and CA uploads give typed errors or per-block rejections only', (t) => {
  const typed = (fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch (error) {
      return isPkiError(error);
    }
  };
  fc.assert(
    fc.property(mutation(crlDer.length), mutation(csrDer.length), mutation(pki.root.der.length), (mc, mr, mt) => {
      const crlOk = typed(() => {
        const result = new CrlList().import(apply(crlDer, mc), trust, new Date());
        // A changed CRL must never be taken as signed by the root.
        if (result.imported.length > 0) throw new Error('mutated CRL imported');
      });
      const csrOk = typed(() => {
        if (parseCsr(apply(csrDer, mr)).signatureValid && mr.edits.length > 0) throw new Error('mutated CSR verified');
      });
      const trustOk = typed(() => new TrustStore().import(apply(pki.root.der, mt)));
      return crlOk && csrOk && trustOk;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('random bytes and text never crash the importers', (t) => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), fc.string({ maxLength: 300 })), (input) => {
      for (const fn of [() => new TrustStore().import(input), () => new CrlList().import(input, trust, new Date()), () => parseCsr(input)]) {
        try {
          fn();
        } catch (error) {
          if (!isPkiError(error)) return false;
        }
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass();
});
