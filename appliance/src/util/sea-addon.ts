// Native addon and web assets for the single-executable build (scripts/build-binary.ts).
//
// A Node SEA can only require built-in modules, and a .node file must exist on disk to be dlopen()ed.
// So the build carries classic-level's prebuild for the target as the SEA asset `classic-level.node`;
// here it is written once to a cache folder (temp file + fsync + rename, named by content hash so two
// binary versions never load each other's addon, and a half-written file is never loaded) and opened with
// process.dlopen. The build replaces classic-level's `require('node-gyp-build')(__dirname)` with
// `nodeGypBuild` below (esbuild plugin), which returns a lazy binding: classic-level requires its binding
// when `level` is imported, i.e. before the CLI has read --data-dir, but calls it only when a database is
// opened. Outside a SEA (tsx, tests) none of this runs: classic-level loads its prebuild from node_modules.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync,
  writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, resolve } from 'node:path';
import * as sea from 'node:sea';

/** SEA asset names shared with scripts/build-binary.ts. */
export const ADDON_ASSET = 'classic-level.node';
export const WEB_MANIFEST_ASSET = 'web/manifest.json';
export const WEB_ASSET_PREFIX = 'web/';

export function runningAsSea(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

let dataDirHint: string | undefined;

/** Tells where `<dataDir>/.cache` is; call after reading settings, before opening the store. */
export function setAddonDataDir(dataDir: string): void {
  dataDirHint = resolve(dataDir);
}

/**
 * Where the addon goes: systemd's CacheDirectory= ($CACHE_DIRECTORY, possibly a colon list), else
 * $XDG_CACHE_HOME/instant-on-edge, else <dataDir>/.cache, else a per-user folder in the temp dir.
 */
export function addonCacheDir(env: NodeJS.ProcessEnv = process.env, dataDir = dataDirHint): string {
  const systemd = env.CACHE_DIRECTORY?.split(':')[0];
  if (systemd) return systemd;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'instant-on-edge');
  if (dataDir) return join(dataDir, '.cache');
  return join(tmpdir(), `instant-on-edge-${process.getuid?.() ?? 'user'}`);
}

/**
 * Writes `bytes` to `<dir>/<stem>-<sha256 prefix>.node` unless an identical file is already there.
 * Returns the path. Exported for tests; the write is atomic (temp file in the same folder + rename).
 */
export function materializeAddon(bytes: Uint8Array, dir: string, stem = 'classic-level'): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const target = join(dir, `${stem}-${hash}.node`);
  if (existsSync(target) && statSync(target).size === bytes.byteLength) return target;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temp, 'w', 0o500);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
  return target;
}

let loaded: Record<string, unknown> | undefined;

function loadAddonFromSea(): Record<string, unknown> {
  if (loaded) return loaded;
  if (!runningAsSea()) {
    throw new Error('sea-addon: the bundled LevelDB addon is only available inside the single binary');
  }
  const bytes = new Uint8Array(sea.getRawAsset(ADDON_ASSET) as ArrayBuffer);
  const dir = addonCacheDir();
  let file: string;
  try {
    file = materializeAddon(bytes, dir);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`sea-addon: cannot write the LevelDB addon to ${dir} (${reason}); ` +
      'set CACHE_DIRECTORY or XDG_CACHE_HOME to a writable folder');
  }
  const mod = { exports: {} as Record<string, unknown> };
  try {
    process.dlopen(mod, file);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`sea-addon: cannot load the LevelDB addon from ${file} (${reason}); ` +
      'a folder on a noexec mount cannot hold it: set CACHE_DIRECTORY or XDG_CACHE_HOME elsewhere');
  }
  loaded = mod.exports;
  return loaded;
}

/**
 * Drop-in for `require('node-gyp-build')` inside the bundle: ignores the package dir and returns a binding
 * whose properties load the addon on first use.
 */
export function nodeGypBuild(_dir?: string): Record<string, unknown> {
  return new Proxy({}, {
    get: (_target, key) => loadAddonFromSea()[key as string],
    has: (_target, key) => key in loadAddonFromSea(),
  });
}

/** Web front-end files: SEA assets in the binary, `web/dist/` on disk otherwise. */
export interface WebAssets {
  /** Paths relative to the web root, e.g. `index.html`, `assets/app.js`. */
  list(): string[];
  get(path: string): Buffer | undefined;
}

export function webAssets(diskRoot = resolve('web/dist')): WebAssets {
  if (runningAsSea()) {
    let names: string[] = [];
    try {
      names = JSON.parse(sea.getAsset(WEB_MANIFEST_ASSET, 'utf8')) as string[];
    } catch {
      names = []; // built without web/dist
    }
    const known = new Set(names);
    return {
      list: () => [...names],
      get: (path) => {
        const key = cleanPath(path);
        return key && known.has(key) ? Buffer.from(sea.getAsset(WEB_ASSET_PREFIX + key)) : undefined;
      },
    };
  }
  return {
    list: () => [],
    get: (path) => {
      const key = cleanPath(path);
      if (!key) return undefined;
      const file = join(diskRoot, key);
      try {
        return readFileSync(file);
      } catch {
        return undefined;
      }
    },
  };
}

/** Relative, normalised, and unable to climb out of the web root; undefined when it would. */
function cleanPath(path: string): string | undefined {
  const rel = normalize(path.replace(/^\/+/, '')).replace(/\\/g, '/');
  if (rel === '.' || rel === '' || rel.startsWith('..') || rel.includes('\0')) return undefined;
  return rel;
}
