// Trust (issue 7): trusted CAs, CRLs, the appliance identity (CSR out, signed certificate in), device
// certificates from the built-in CA, and the serial-number list. PEM and list files arrive as text/plain;
// CA, CRL and identity uploads also take binary DER/PKCS#7 (issue 12). Every upload mistake — garbage, a
// CRL sent as a CA, a private key, nothing at all — is a 4xx naming what was wrong, never a 500.
import type Router from '@koa/router';
import { ApiError } from '../errors.ts';
import { parseBody } from './core.ts';
import type { AppServices } from '../services.ts';
import { serialNumberSchema } from '../../protocol/messages.ts';
import { createIdentityCsr } from '../../pki/csr.ts';
import { isPkiError } from '../../pki/errors.ts';
import { localAddresses } from '../../pki/identity.ts';
import { certificatesAsPem, decodeUpload } from '../../pki/pem.ts';
import { hasBody, readLimited } from '../body.ts';
import { SERIAL_LIST_LIMIT } from '../route-policy.ts';
import { MAX_LISTED_SERIALS } from '../../devices/serial-filter.ts';

const ACCEPTED = 'text/plain (PEM), application/pkix-cert, application/pkix-crl or application/octet-stream (DER or PEM)';

/**
 * The upload as bytes. body.ts has already read it after sign-in, bounded by route-policy.ts and refusing
 * other media types with a 415: text types arrive as a string (PEM), binary types as a Buffer (DER, PKCS#7).
 */
function uploadBody(ctx: any, what: string): Buffer {
  const body: unknown = ctx.request.body;
  if (Buffer.isBuffer(body) && body.length > 0) return body;
  if (typeof body === 'string' && body.trim() !== '') return Buffer.from(body, 'utf8');
  throw new ApiError(400, 'empty-body', `the ${what} upload is empty; send it as ${ACCEPTED}`);
}

/** Where a misplaced upload belongs, for the message. */
function hint(reason: string): string {
  if (/^(block \d+ is )?a CRL/.test(reason)) return ' (CRLs go to POST /api/v1/pki/crls)';
  if (/^(block \d+ is )?a certificate request/.test(reason)) return ' (device CSRs go to POST /api/v1/pki/device-certificates)';
  if (/neither PEM nor DER/.test(reason)) return `; binary files must be sent as application/pkix-cert, application/pkix-crl or application/octet-stream, not text/plain`;
  return '';
}

/** Runs a pki step; its typed errors (malformed, empty, wrong-kind…) become 400s naming what was wrong. */
function pkiStep<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (isPkiError(err)) throw new ApiError(400, err.code, `${err.message}${hint(err.message)}`);
    throw err;
  }
}

function rejectedError(code: string, rejected: { index: number; code: string; reason: string }[]): ApiError {
  const first = rejected[0];
  const more = rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : '';
  const message = first ? `block ${first.index}: ${first.reason}${hint(first.reason)}${more}` : 'nothing was imported';
  return new ApiError(400, code, message, rejected);
}

export function trustRoutes(router: Router, s: AppServices) {
  const pki = s.pki;

  router.get('/api/v1/pki/trusted-cas', (ctx) => { ctx.body = { cas: pki.repo.trust.list() }; });
  router.post('/api/v1/pki/trusted-cas', async (ctx) => {
    const body = uploadBody(ctx, 'CA certificate (PEM, DER or PKCS#7)');
    pkiStep(() => decodeUpload(body));
    const r = pkiStep(() => pki.repo.trust.import(body));
    if (r.added.length === 0 && r.alreadyTrusted.length === 0) throw rejectedError('no-ca-imported', r.rejected);
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
    const body = uploadBody(ctx, 'CRL (PEM or DER)');
    pkiStep(() => decodeUpload(body));
    const r = pkiStep(() => pki.repo.crls.import(body, pki.repo.trust, new Date()));
    // All or nothing (crl-list.ts): any rejected block means no list changed.
    if (r.rejected.length > 0 || (r.imported.length === 0 && r.olderIgnored.length === 0)) throw rejectedError('no-crl-imported', r.rejected);
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
    const body = uploadBody(ctx, 'signed certificate followed by its chain (PEM or DER)');
    const text = pkiStep(() => certificatesAsPem(body));
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
    const body = uploadBody(ctx, 'device CSR (PEM, or DER as application/pkcs10)');
    pkiStep(() => decodeUpload(body));
    try { out = ca.signCsr(body); } catch (err: any) { throw new ApiError(400, err.code ?? 'bad-csr', err.message); }
    await pki.repo.save();
    ctx.status = 201;
    ctx.body = { certificate: out.certPem, caCertificate: ca.certificatePem, record: out.record };
  });
  router.delete('/api/v1/pki/device-certificates/:serial', async (ctx) => {
    // Only "not issued here" is the caller's 404; a failed store write stays a server error (logged, counted).
    try { await pki.repo.revokeIssued(ctx.params.serial); } catch (err: any) { if (err?.code === 'not-issued-here') throw new ApiError(404, err.code, err.message); throw err; }
    ctx.status = 204;
  });

  router.get('/api/v1/serial-list', (ctx) => { ctx.body = serialListView(s); });
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

/** Most off-list devices named in the answer (the count is always exact). */
const OFF_LIST_SHOWN = 200;

/**
 * The list as the page shows it (issue 17 §3): each serial says whether the device is already in the device
 * table; "pending" is only what is neither seen nor known; `offList` are the managed devices the filter
 * would refuse once it is on (their Stay Secure announcements would stop being processed).
 */
export function serialListView(s: AppServices) {
  const v = s.serials.view();
  const known = (serial: string) => !!s.registry.get(serial);
  const off: { serial: string; model: string; lastSeen: string }[] = [];
  let offCount = 0;
  for (const d of s.registry.list()) {
    if (d.retired || s.serials.has(d.serialNumber)) continue;
    offCount++;
    if (off.length < OFF_LIST_SHOWN) off.push({ serial: d.serialNumber, model: d.model, lastSeen: d.lastSeen });
  }
  return { ...v, serials: v.serials.map((x) => ({ ...x, inDeviceTable: known(x.serial) })), pending: v.pending.filter((x) => !known(x)),
    offList: { count: offCount, devices: off.sort((a, b) => a.serial.localeCompare(b.serial)) } };
}
