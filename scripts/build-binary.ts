// npm run build:binary → dist/instant-on-edge-linux-x64 and dist/instant-on-edge-linux-arm64.
// Node single executable applications (https://nodejs.org/api/single-executable-applications.html):
// esbuild CJS bundle of the CLI + classic-level's prebuild for the target + web/dist as SEA assets,
// injected into the stripped Node binary of the pinned `node-linux-<arch>` npm package.
//
//   tsx scripts/build-binary.ts [--targets x64,arm64] [--entry appliance/src/cli.ts] [--out dist]
//                               [--cache build/binary-cache] [--work DIR] [--web web/dist] [--xz]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleCli } from './binary/bundle.ts';
import { buildWeb, WEB_DIST } from './build-web.ts';
import { type Arch, NODE_VERSION, nodeBinary } from './binary/node-dist.ts';
import { addonPrebuild, injectBlob, makeBlob, xzSize } from './binary/sea.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: 'x64,arm64' },
    entry: { type: 'string', default: join(repo, 'appliance/src/cli.ts') },
    out: { type: 'string', default: join(repo, 'dist') },
    cache: { type: 'string', default: join(repo, 'build/binary-cache') },
    web: { type: 'string', default: join(repo, 'web/dist') },
    work: { type: 'string' },
    xz: { type: 'boolean', default: false },
  },
});

const targets = values.targets.split(',').map((s) => s.trim()) as Arch[];
for (const t of targets) if (t !== 'x64' && t !== 'arm64') throw new Error(`unknown target: ${t}`);
const out = resolve(values.out);
const cache = resolve(values.cache);
// Bundle, blobs and SEA configs: one folder per build, so concurrent builds (test files) do not collide;
// the default one is removed after a successful build.
const work = resolve(values.work ?? join(cache, `work-${process.pid}`));
mkdirSync(out, { recursive: true });
mkdirSync(work, { recursive: true });

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

function gitVersion(): string {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
  try {
    const sha = execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']).toString().trim();
    return `${pkg.version}+${sha}`;
  } catch {
    return pkg.version;
  }
}

const version = gitVersion();
// The admin page is built fresh from web/src (≈ 0.1 s) so the binary never carries a stale web/dist.
if (resolve(values.web) === WEB_DIST) await buildWeb();
// The blob is written by the x64 build of the same Node version as both targets.
const hostNode = nodeBinary('x64', cache);
const bundle = await bundleCli(repo, resolve(values.entry), join(work, 'instant-on-edge.cjs'), version);
console.log(`bundle ${mb(bundle.bytes)} (${elapsed()}) node ${NODE_VERSION} version ${version}`);

for (const arch of targets) {
  const node = nodeBinary(arch, cache);
  const { blob, webFiles } = makeBlob({
    arch, bundle: bundle.file, addon: addonPrebuild(repo, arch), webRoot: resolve(values.web), workDir: work, hostNode,
  });
  const file = join(out, `instant-on-edge-linux-${arch}`);
  const size = injectBlob(arch, node, blob, file, repo);
  const xz = values.xz ? `, xz ${mb(xzSize(file))}` : '';
  console.log(`${file}: ${mb(size)}${xz}, ${webFiles} web files (${elapsed()})`);
}
if (!values.work) rmSync(work, { recursive: true, force: true });
