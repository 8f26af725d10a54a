// Helpers for store damage tests: a crash image of an open LevelDB folder, and the write-ahead log in it.
import { cpSync, mkdtempSync, readdirSync, statSync, truncateSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** Copies an open store's folder as a kill -9 would leave it (synced writes are in the files). */
export function crashImage(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'ioe-crash-image-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** The newest write-ahead log (NNNNNN.log) of a LevelDB folder. */
export function writeAheadLog(dir: string): string {
  const logs = readdirSync(dir).filter((n) => /^\d+\.log$/.test(n)).sort();
  if (!logs.length) throw new Error(`no write-ahead log in ${dir}`);
  return join(dir, logs[logs.length - 1]);
}

/** Cuts the log to `share` of its size, moved off any record boundary, as a power cut tears a write. */
export function tearLog(file: string, share = 0.5): { from: number; to: number } {
  const from = statSync(file).size;
  const to = Math.floor(from * share) + 3;
  truncateSync(file, to);
  return { from, to };
}

/** A tmpfs of `size` mounted on a fresh folder, or the reason it cannot be (not root, no mount permission). */
export function mountTmpfs(size: string): { dir: string; unmount: () => void } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'needs root to mount a small tmpfs (CI runs as root)' };
  const dir = mkdtempSync(join(tmpdir(), 'ioe-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `mounting a tmpfs is not permitted here: ${(err as Error).message.split('\n')[0]}` };
  }
  return { dir, unmount: () => { try { execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); } catch { /* already gone */ } rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * An ext4 file system on a loop device that can be made to fail like a dying SD card: `abort()` aborts its
 * journal (`mount -o remount,abort`), after which every write, even to files already open, fails EROFS.
 */
export function mountFailingExt4(sizeMb = 32): { dir: string; abort: () => void; unmount: () => void } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'needs root to mount a loop ext4 file system (CI runs as root)' };
  const base = mkdtempSync(join(tmpdir(), 'ioe-ext4-'));
  const img = join(base, 'disk.img');
  const dir = join(base, 'mnt');
  try {
    execFileSync('truncate', ['-s', `${sizeMb}M`, img]);
    execFileSync('mkfs.ext4', ['-q', '-F', img], { stdio: 'pipe' });
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('mount', ['-o', 'loop', img, dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(base, { recursive: true, force: true });
    return { skip: `a loop-mounted ext4 is not available here: ${(err as Error).message.split('\n')[0]}` };
  }
  return {
    dir,
    abort: () => execFileSync('mount', ['-o', 'remount,abort', dir], { stdio: 'pipe' }),
    unmount: () => { try { execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); } catch { /* already gone */ } rmSync(base, { recursive: true, force: true }); },
  };
}
