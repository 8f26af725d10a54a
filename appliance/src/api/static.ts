// Serves the admin page (web/dist, or the SEA assets inside the single binary). Hashed assets are cached
// by browsers for a year (immutable); index.html is revalidated every time (ETag) so a new build shows at
// once. Compression happens on the first request for each file version (brotli, else gzip) and is kept in
// memory: the whole page is a few hundred KB raw, and this works the same for disk files and SEA assets.
// It runs on libuv's pool, not the event loop: brotli at quality 11 takes ~150 ms for the page's script on
// the bench machine (several times that on a Pi), which announcements would otherwise wait behind.
// Dev convenience: when web/dist is missing outside the binary, the first request builds it (esbuild).
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip as gzipCb } from 'node:zlib';
import type Koa from 'koa';
import { runningAsSea, webAssets, type WebAssets } from '../util/sea-addon.ts';
import type { Logger } from '../util/log.ts';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon', json: 'application/json', woff2: 'font/woff2', txt: 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['html', 'js', 'css', 'svg', 'json', 'txt']);
const HASHED = /-[A-Z0-9]{8,}\.[a-z0-9]+$/i;

/** The page's policy: only our own scripts and styles, nothing framed, nothing posted elsewhere. */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface Prepared { etag: string; raw: Buffer; br?: Buffer; gzip?: Buffer }

export interface StaticOptions {
  assets?: WebAssets;
  log?: Logger;
  /** Build web/dist when it is missing (default: outside the single binary). */
  buildWhenMissing?: boolean;
}

export function staticFiles(opts: StaticOptions = {}): Koa.Middleware {
  // Next to this source tree, not the working directory: `npm start` from elsewhere still finds the page.
  const assets = opts.assets ?? (runningAsSea() ? webAssets() : webAssets(fileURLToPath(new URL('../../../web/dist', import.meta.url))));
  // Promises, so requests that arrive while a file is being compressed share that one compression.
  const cache = new Map<string, Promise<Prepared>>();
  let building: Promise<void> | undefined;
  const mayBuild = opts.buildWhenMissing ?? !runningAsSea();

  const prepare = (name: string, raw: Buffer): Promise<Prepared> => {
    const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`;
    const key = `${name}|${etag}`;
    let p = cache.get(key);
    if (p) return p;
    const ext = name.split('.').pop() ?? '';
    p = COMPRESSIBLE.has(ext) && raw.length > 512
      ? Promise.all([
        brotliAsync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
        gzipAsync(raw, { level: 9 }),
      ]).then(([br, gzip]) => ({ etag, raw, br, gzip }), () => ({ etag, raw })) // compression failing: serve it raw
      : Promise.resolve({ etag, raw });
    for (const k of cache.keys()) if (k.startsWith(`${name}|`)) cache.delete(k); // old versions of this file
    cache.set(key, p);
    return p;
  };

  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/api/')) return next();
    const name = ctx.path === '/' ? 'index.html' : ctx.path.slice(1);
    let raw = assets.get(name);
    if (!raw && name === 'index.html' && mayBuild) {
      building ??= buildFromSource(opts.log).finally(() => { building = undefined; });
      await building;
      raw = assets.get(name);
    }
    if (!raw) return next();
    const ext = name.split('.').pop() ?? '';
    const p = await prepare(name, raw);
    ctx.set('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    ctx.set('ETag', p.etag);
    ctx.set('Vary', 'Accept-Encoding');
    ctx.set('Cache-Control', HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (ext === 'html') {
      ctx.set('Content-Security-Policy', PAGE_CSP);
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      ctx.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    }
    if (ctx.get('if-none-match') === p.etag) { ctx.status = 304; return; }
    const accept = ctx.get('accept-encoding');
    let body = p.raw;
    if (p.br && /\bbr\b/.test(accept)) { body = p.br; ctx.set('Content-Encoding', 'br'); }
    else if (p.gzip && /\bgzip\b/.test(accept)) { body = p.gzip; ctx.set('Content-Encoding', 'gzip'); }
    ctx.status = 200;
    ctx.body = body;
  };
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzipCb);

/**
 * Compresses API answers (JSON, CSV) over 1 KB: a device list of a thousand printers is ~1 MB of JSON and
 * ~60 KB compressed. Brotli at a low quality is fast (a few ms per MB) and off the event loop.
 */
export function compressApi(): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    if (!ctx.path.startsWith('/api/') || ctx.respond === false || ctx.method === 'HEAD' || ctx.response.get('Content-Encoding')) return;
    const body = ctx.body;
    if (body === null || body === undefined || typeof (body as any).pipe === 'function') return;
    const isJson = typeof body === 'object' && !Buffer.isBuffer(body);
    const text = isJson ? JSON.stringify(body) : typeof body === 'string' ? body : undefined;
    if (text === undefined || text.length < 1024) return;
    const accept = ctx.get('accept-encoding');
    ctx.vary('Accept-Encoding');
    if (isJson) ctx.type = 'application/json';
    if (/\bbr\b/.test(accept)) {
      ctx.body = await brotliAsync(Buffer.from(text), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } });
      ctx.set('Content-Encoding', 'br');
    } else if (/\bgzip\b/.test(accept)) {
      ctx.body = await gzipAsync(Buffer.from(text), { level: 6 });
      ctx.set('Content-Encoding', 'gzip');
    }
  };
}

async function buildFromSource(log?: Logger): Promise<void> {
  try {
    // A computed specifier keeps the binary's bundler from pulling esbuild in; this path never runs there.
    const url = new URL('../../../scripts/build-web.ts', import.meta.url).href;
    const mod = (await import(url)) as { ensureWebBuilt(): Promise<void> };
    const t0 = Date.now();
    await mod.ensureWebBuilt();
    log?.info({ ms: Date.now() - t0 }, 'built the admin page (web/dist was missing)');
  } catch (err) {
    log?.warn({ err }, 'web/dist is missing and could not be built: run `tsx scripts/build-web.ts`');
  }
}
