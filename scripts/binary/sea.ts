// Node SEA assembly: config → blob (made by the x64 Node of the pinned version, which the target binaries
// share) → copy of the target's node, stripped → postject. Stripping must happen before injection: strip
// rewrites the ELF and would drop the injected note.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADDON_ASSET, WEB_ASSET_PREFIX, WEB_MANIFEST_ASSET } from '../../appliance/src/util/sea-addon.ts';
import type { Arch } from './node-dist.ts';

const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const STRIP: Record<Arch, string> = { x64: 'strip', arm64: 'aarch64-linux-gnu-strip' };


export function addonPrebuild(repo: string, arch: Arch): string {
  const file = join(repo, 'node_modules/classic-level/prebuilds', `linux-${arch}`,
    arch === 'arm64' ? 'classic-level.armv8.node' : 'classic-level.node');
  if (!existsSync(file)) throw new Error(`classic-level prebuild missing: ${file}`);
  return file;
}

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}

export interface BlobInput {
  arch: Arch;
  bundle: string;
  addon: string;
  webRoot: string;
  workDir: string;
  /** x64 node of the pinned version: it writes the blob for either target. */
  hostNode: string;
}

/** Returns the blob path and how many web files went in. */
export function makeBlob(input: BlobInput): { blob: string; webFiles: number } {
  const web = filesUnder(input.webRoot);
  const manifest = join(input.workDir, `web-manifest-${input.arch}.json`);
  writeFileSync(manifest, JSON.stringify(web));
  const assets: Record<string, string> = { [ADDON_ASSET]: input.addon, [WEB_MANIFEST_ASSET]: manifest };
  for (const f of web) assets[WEB_ASSET_PREFIX + f] = join(input.webRoot, f);
  const blob = join(input.workDir, `sea-${input.arch}.blob`);
  const config = join(input.workDir, `sea-config-${input.arch}.json`);
  writeFileSync(config, JSON.stringify({
    main: input.bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    // Memory for a 1 GB Pi (docs/benchmarks.md, Memory): a 2 MB young generation and a 256 MB old-space
    // ceiling keep 10,000 devices near 110 MB RSS instead of ~160 MB with V8's defaults.
    execArgv: ['--max-semi-space-size=2', '--max-old-space-size=256'],
    // V8's code cache is only valid for the CPU architecture that made it.
    useCodeCache: input.arch === 'x64',
    assets,
  }, null, 2));
  execFileSync(input.hostNode, ['--experimental-sea-config', config], { stdio: 'pipe' });
  return { blob, webFiles: web.length };
}

/** Copies `node`, strips it, injects the blob; writes `out` atomically. Returns the size in bytes. */
export function injectBlob(arch: Arch, node: string, blob: string, out: string, repo: string): number {
  const temp = `${out}.${process.pid}.partial`;
  copyFileSync(node, temp);
  chmodSync(temp, 0o755);
  execFileSync(STRIP[arch], ['--strip-all', temp], { stdio: 'inherit' });
  // postject (LIEF) warns "Can't find string offset for section name '.note…'" on stripped ELF files; the
  // warning is harmless, so its output is shown only when it fails.
  execFileSync(join(repo, 'node_modules/.bin/postject'),
    [temp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SENTINEL_FUSE], { stdio: 'pipe' });
  renameSync(temp, out);
  return statSync(out).size;
}

/** Size after `xz -6`, the way a release would ship it. */
export function xzSize(file: string): number {
  const out = execFileSync('sh', ['-c', 'xz -6 -T2 --stdout "$1" | wc -c', 'xz-size', file]);
  return Number(out.toString().trim());
}
