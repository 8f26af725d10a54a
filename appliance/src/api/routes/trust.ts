// Trust (issue 7): trusted CAs, CRLs, the appliance identity (CSR out, signed certificate in), device
// certificates from the built-in CA, and the serial-number list. PEM and list files arrive as text/plain.
import type Router from '@koa/router';
import { ApiError } from '../errors.ts';
import { parseBody } from './core.ts';
import type { AppServices } from '../services.ts';
import { serialNumberSchema } from '../../protocol/messages.ts';
import { createIdentityCsr } from '../../pki/csr.ts';
import { localAddresses } from '../../pki/identity.ts';
import { hasBody, readLimited } from '../body.ts';
import { SERIAL_LIST_LIMIT } from '../route-policy.ts';
import { MAX_LISTED_SERIALS } from '../../devices/serial-filter.ts';

function textBody(ctx: any, what: string): string {
  const body = ctx.request.body;
  if (typeof body !== 'string' || body.trim() === '') throw new ApiError(400, 'empty-body', `send the ${what} as a text/plain body`);
  return body;
}

export function trustRoutes(router: Router, s: AppServices) {
  const pki = s.pki;

  router.get('/api/v1/pki/trusted-cas', (ctx) => { ctx.body = { cas: pki.repo.trust.list() }; });
  router.post('/api/v1/pki/trusted-cas', async (ctx) => {
    const r = pki.repo.trust.import(textBody(ctx, 'CA certificate (PEM or DER)'));
    if (r.added.length === 0 && r.alreadyTrusted.length === 0) throw new ApiError(400, 'no-ca-imported', 'nothing was imported', r.rejected);
    await pki.repo.save();
    ctx.status = 201;
    ctx.body = r;
  });
  router.delete('/api/v1/pki/trusted-cas/:fingerprint', async (ctx) => {
    if (!pki.repo.trust.remove(ctx.params.fingerprint)) throw new ApiError(404, 'ca-not-found', `no trusted CA ${ctx.params.fingerprint}`);
    await pki.repo.save();
    ctx.status = 204;
  });

  router.get('/api/v1/pki/crls', (ctx) => { ctx.body = { crls: pki.repo.crls.list(new Date()) }; });
  router.post('/api/v1/pki/crls', async (ctx) => {
    const r = pki.repo.crls.import(textBody(ctx, 'CRL (PEM or DER)'), pki.repo.trust, new Date());
    if (r.imported.length === 0 && r.olderIgnored.length === 0) throw new ApiError(400, 'no-crl-imported', 'nothing was imported', r.rejected);
    await pki.repo.save();
    ctx.status = 201;
    ctx.body = { ...r, stale: r.imported.filter((c: any) => c.stale).length };
  });

  router.get('/api/v1/pki/identity', (ctx) => {
    const id = pki.identity();
    ctx.body = { subject: id.subject, fingerprint256: id.fingerprint256, certificate: id.certPem, chain: id.chainPem };
  });
  router.get('/api/v1/pki/csr', (ctx) => {
    ctx.type = 'application/pkcs10';
    ctx.body = createIdentityCsr(pki.identity().keyPem, { addresses: localAddresses() });
  });
  router.put('/api/v1/pki/identity', async (ctx) => {
    const text = textBody(ctx, 'signed certificate followed by its chain (PEM)');
    const r = await pki.installIdentity(text);
    if (!r.ok) throw new ApiError(400, r.code, r.detail);
    ctx.body = { installed: true, fingerprint256: pki.identity().fingerprint256 };
  });

  router.get('/api/v1/pki/ca', async (ctx) => {
    ctx.type = 'application/x-pem-file';
    ctx.body = (await pki.repo.applianceCa()).certificatePem;
  });
  router.get('/api/v1/pki/device-certificates', async (ctx) => { ctx.body = { issued: (await pki.repo.applianceCa()).list() }; });
  router.post('/api/v1/pki/device-certificates', async (ctx) => {
    const ca = await pki.repo.applianceCa();
    let out;
    try { out = ca.signCsr(textBody(ctx, 'device CSR (PEM)')); } catch (err: any) { throw new ApiError(400, err.code ?? 'bad-csr', err.message); }
    await pki.repo.save();
    ctx.status = 201;
    ctx.body = { certificate: out.certPem, caCertificate: ca.certificatePem, record: out.record };
  });
  router.delete('/api/v1/pki/device-certificates/:serial', async (ctx) => {
    // Only "not issued here" is the caller's 404; a failed store write stays a server error (logged, counted).
    try { await pki.repo.revokeIssued(ctx.params.serial); } catch (err: any) { if (err?.code === 'not-issued-here') throw new ApiError(404, err.code, err.message); throw err; }
    ctx.status = 204;
  });

  router.get('/api/v1/serial-list', (ctx) => { ctx.body = s.serials.view(); });
  // Streamed line by line (route-policy.ts: kind `stream`, 16 MiB): the answer has counts and the first 100
  // problems, and nothing is stored from an upload that was cut off or too large.
  router.post('/api/v1/serial-list', async (ctx) => {
    if (!hasBody(ctx)) throw new ApiError(400, 'empty-body', 'send the serial-number list (one serial a line) as a text/plain body');
    ctx.body = await s.serials.importStream(readLimited(ctx, SERIAL_LIST_LIMIT));
  });
  router.post('/api/v1/serial-list/:serial', async (ctx) => {
    const serial = parseBody(serialNumberSchema, ctx.params.serial);
    if (!s.serials.has(serial) && s.serials.size >= MAX_LISTED_SERIALS) {
      throw new ApiError(409, 'serial-list-full', `the serial-number list holds its maximum of ${MAX_LISTED_SERIALS} serials; remove some first`);
    }
    await s.serials.add([serial]);
    ctx.status = 201;
    ctx.body = { added: serial };
  });
  router.delete('/api/v1/serial-list/:serial', async (ctx) => {
    if (!(await s.serials.remove(ctx.params.serial))) throw new ApiError(404, 'serial-not-listed', `${ctx.params.serial} is not on the list`);
    ctx.status = 204;
  });
}
