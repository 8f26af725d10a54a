// Request bodies, read per route (route-policy.ts says which kind and how many bytes each route takes) and
// only after the caller is signed in, so an anonymous client never makes the appliance buffer anything.
// A body over the route's limit is a 413 that names the limit; a declared Content-Length over it is refused
// before a byte is read. Bodies are read with raw-body (the reader co-body and @koa/bodyparser use).
import type Koa from 'koa';
import getRawBody from 'raw-body';
import { ApiError } from './errors.ts';

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}

/**
 * - `none`: the route takes no body (GET, DELETE…); one that is sent anyway is not read.
 * - `json`: application/json, parsed; top level must be an object or array.
 * - `text`: text/plain (and the PEM types), decoded as UTF-8.
 * - `pem`: text types as a string, binary types (DER: pkix-cert, pkix-crl, pkcs10, octet-stream) as a Buffer.
 * - `stream`: not read here; the handler streams `ctx.req` itself with `readLimited()` (the serial list).
 */
export type BodyKind = 'none' | 'json' | 'text' | 'pem' | 'stream';
export interface BodyRule {
  kind: BodyKind;
  limit: number;
  /** Media types accepted instead of the kind's own (a backup archive streams as application/gzip). */
  types?: string[];
}

const TEXT_TYPES = ['text/plain', 'text/csv', 'application/x-pem-file', 'application/pem-certificate-chain'];
const BINARY_TYPES = ['application/pkix-cert', 'application/pkix-crl', 'application/pkcs10', 'application/octet-stream'];

/** "64 KiB", "16 MiB": how limits are named in answers and docs. */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export function tooLarge(limit: number, what = 'the request body'): ApiError {
  return new ApiError(413, 'body-too-large', `${what} is larger than the ${formatBytes(limit)} this route accepts`, { limitBytes: limit });
}

function mediaType(ctx: Koa.Context): string {
  return (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
}

function accepted(kind: BodyKind): string[] {
  return kind === 'json' ? ['application/json'] : kind === 'pem' ? [...TEXT_TYPES, ...BINARY_TYPES] : TEXT_TYPES;
}

/** True when the request carries a body (declared length > 0, or chunked). */
export function hasBody(ctx: Koa.Context): boolean {
  const len = ctx.get('content-length');
  return len ? Number(len) > 0 : !!ctx.get('transfer-encoding');
}

/** Refuses what can be refused from the headers alone: a declared length over the limit, a wrong type, compression. */
export function checkBodyHeaders(ctx: Koa.Context, rule: BodyRule): void {
  const declared = Number(ctx.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > rule.limit) throw tooLarge(rule.limit);
  const encoding = ctx.get('content-encoding').toLowerCase();
  if (encoding && encoding !== 'identity') throw new ApiError(415, 'unsupported-encoding', `compressed request bodies (${encoding.slice(0, 20)}) are not accepted`);
  const type = mediaType(ctx);
  const ok = rule.types ?? accepted(rule.kind);
  if (!ok.includes(type)) throw new ApiError(415, 'unsupported-media-type', `send the body as ${ok.join(' or ')}${type ? `, not ${type.slice(0, 60)}` : ''}`, { accepted: ok });
}

/** Reads the whole body (up to the limit) for the non-stream kinds and sets ctx.request.body. */
export function readBody(rule: BodyRule): Koa.Middleware {
  return async (ctx, next) => {
    if (rule.kind === 'none' || !hasBody(ctx)) return next();
    checkBodyHeaders(ctx, rule);
    if (rule.kind === 'stream') return next();
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { limit: rule.limit, length: ctx.get('content-length') || undefined });
    } catch (err: any) {
      if (err?.status === 413) throw tooLarge(rule.limit);
      throw new ApiError(400, 'bad-body', `the request body could not be read: ${String(err?.message ?? err).slice(0, 200)}`);
    }
    const type = mediaType(ctx);
    if (rule.kind === 'json') ctx.request.body = parseJson(raw);
    else if (BINARY_TYPES.includes(type)) ctx.request.body = raw;
    else ctx.request.body = raw.toString('utf8');
    return next();
  };
}

function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (!/^\s*[[{]/.test(text)) throw new ApiError(400, 'bad-body', 'the JSON body must be an object or an array');
  try {
    return JSON.parse(text);
  } catch (err: any) {
    throw new ApiError(400, 'bad-body', `the request body is not valid JSON: ${String(err?.message).slice(0, 200)}`);
  }
}

/**
 * The chunks of a streamed body, throwing a 413 naming the limit as soon as more than `limit` bytes arrived
 * (what was read so far is dropped; the caller stores nothing from a refused body).
 */
export async function* readLimited(ctx: Koa.Context, limit: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw tooLarge(limit);
    yield chunk;
  }
}

/**
 * A request with a large (or unknown-length) body that was not read when the answer went out, e.g. a refused
 * upload: close the connection after the answer instead of reading and discarding the rest for the client,
 * and give a client that keeps sending a short grace to read the answer before the socket is cut. A small
 * unread body is left to Node, which discards it and keeps the connection.
 */
export function closeUnreadBodies(graceMs = 2000, smallBytes = 64 * 1024): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      const declared = Number(ctx.get('content-length') || NaN);
      const large = Number.isFinite(declared) ? declared > smallBytes : !!ctx.get('transfer-encoding');
      if (large && !ctx.req.readableEnded && ctx.respond !== false && !ctx.headerSent) {
        ctx.set('Connection', 'close');
        const socket = ctx.req.socket;
        ctx.res.once('finish', () => {
          if (ctx.req.readableEnded) return;
          const timer = setTimeout(() => socket.destroy(), graceMs);
          timer.unref();
          socket.once('close', () => clearTimeout(timer));
        });
      }
    }
  };
}
