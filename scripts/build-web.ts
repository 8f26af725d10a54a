// Builds the admin page: web/src (Preact + TSX + one CSS file) → web/dist/index.html and hashed assets.
// One esbuild pass (~0.1 s). The output is built into a fresh folder and renamed into place, so a server
// reading web/dist never sees half a build and two builds racing (parallel test files) both end complete.
//   tsx scripts/build-web.ts          build and print the sizes (raw, gzip, brotli)
//   import { buildWeb } from …        the same, programmatically (npm start / npm test call it)
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_SRC = join(repo, 'web/src');
export const WEB_DIST = join(repo, 'web/dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function page(js: string, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Instant-On Edge</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/${css}">
<script type="module" src="/${js}"></script>
</head>
<body><div id="app"><noscript>The admin page needs JavaScript.</noscript></div></body>
</html>
`;
}

export async function buildWeb(): Promise<void> {
  const tmp = `${WEB_DIST}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  try {
    const result = await build({
      entryPoints: [join(WEB_SRC, 'main.tsx')],
      outdir: tmp,
      entryNames: 'assets/[name]-[hash]',
      bundle: true,
      format: 'esm',
      target: ['chrome100', 'firefox100', 'safari15'],
      minify: true,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
      absWorkingDir: repo,
      nodePaths: [join(repo, 'node_modules')],
    });
    const outputs = Object.keys(result.metafile.outputs).map((o) => relative(tmp, join(repo, o)).replace(/\\/g, '/'));
    const js = outputs.find((o) => o.endsWith('.js'));
    const css = outputs.find((o) => o.endsWith('.css'));
    if (!js || !css) throw new Error(`web build produced ${outputs.join(', ')}`);
    const html = page(js, css);
    writeFileSync(join(tmp, 'index.html'), html);
    // The build is deterministic (hashed names): when web/dist already holds this very build, leave it in
    // place (a server may be reading it) and only mark it fresh.
    const current = join(WEB_DIST, 'index.html');
    if (existsSync(current) && readFileSync(current, 'utf8') === html && outputs.every((o) => existsSync(join(WEB_DIST, o)))) {
      const now = new Date();
      utimesSync(current, now, now);
      return;
    }
    rmSync(WEB_DIST, { recursive: true, force: true });
    try {
      renameSync(tmp, WEB_DIST);
    } catch (err: any) {
      // Another build won the race and its output is as good as ours.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Builds only when web/dist is missing or older than a source file (cheap enough to call from every test). */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(WEB_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(WEB_SRC)) return;
  await buildWeb();
}

export interface WebSize { file: string; raw: number; gzip: number; brotli: number }

/** What a first load transfers: every file in web/dist, raw and compressed. */
export function webSizes(): WebSize[] {
  const out: WebSize[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      const data = readFileSync(p);
      out.push({ file: relative(WEB_DIST, p), raw: data.length, gzip: gzipSync(data, { level: 9 }).length, brotli: brotliCompressSync(data).length });
    }
  };
  walk(WEB_DIST);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  mkdirSync(dirname(WEB_DIST), { recursive: true });
  await buildWeb();
  const ms = Math.round(performance.now() - t0);
  const sizes = webSizes();
  for (const s of sizes) console.log(`${s.file.padEnd(36)} ${String(s.raw).padStart(8)} B  gzip ${String(s.gzip).padStart(7)} B  br ${String(s.brotli).padStart(7)} B`);
  const sum = (k: 'raw' | 'gzip' | 'brotli') => sizes.reduce((a, s) => a + s[k], 0);
  console.log(`total ${sum('raw')} B raw, ${sum('gzip')} B gzip, ${sum('brotli')} B brotli; built in ${ms} ms`);
}
