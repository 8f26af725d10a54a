// The archive container: a gzipped tar (tar-stream + node:zlib) of named files, read back with hard bounds —
// compressed size (the caller), file count, each file's size and the total unpacked — so a crafted or
// truncated upload fails with a reason and never fills memory.
import { createGunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export interface ArchiveLimits {
  maxFiles: number; maxFileBytes: number; maxTotalBytes: number;
  /**
   * Unpacked bytes allowed per compressed byte (plus `slackBytes`). Every part of a backup but the small
   * manifest is AES-GCM ciphertext, which does not compress: a real archive unpacks to about its own size.
   * Without this bound a few hundred KB of gzip (a "zip bomb") unpacked to 256 MiB held in memory.
   */
  maxExpansion: number; slackBytes: number;
}
export const ARCHIVE_LIMITS: ArchiveLimits = { maxFiles: 64, maxFileBytes: 128 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024, maxExpansion: 2, slackBytes: 1024 * 1024 };

export class ArchiveError extends Error {
  constructor(readonly code: 'truncated' | 'foreign' | 'too-large', message: string) { super(message); }
}

const gzipAsync = promisify(gzip);

/**
 * Packs files (in this order) into a .tar.gz. Compressed on libuv's pool, not the event loop: a backup with
 * 10,000 devices is tens of MB, and gzip of it held the loop ~340 ms here (seconds on a Pi). Level 1: every
 * part but the small manifest is ciphertext, which no level compresses, and level 1 gets there fastest.
 */
export async function packArchive(files: { name: string; data: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => { pack.on('data', (c) => chunks.push(c as Buffer)); pack.on('end', resolve); pack.on('error', reject); });
  const mtime = new Date();
  for (const f of files) {
    await new Promise<void>((resolve, reject) => pack.entry({ name: f.name, size: f.data.length, mode: 0o600, mtime }, f.data, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
  return gzipAsync(Buffer.concat(chunks), { level: 1 });
}

/** Unpacks a .tar.gz into name → bytes; regular files only, bounded. */
export async function unpackArchive(gz: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<Map<string, Buffer>> {
  if (gz.length < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) throw new ArchiveError('foreign', 'not a backup archive of this appliance (not gzip data)');
  const files = new Map<string, Buffer>();
  let total = 0;
  const budget = Math.min(limits.maxTotalBytes, gz.length * limits.maxExpansion + limits.slackBytes);
  const extract = tar.extract();
  const gunzip = createGunzip();
  const failed = new Promise<never>((_, reject) => {
    gunzip.on('error', (err) => reject(new ArchiveError('truncated', `the archive is damaged or truncated (${err.message})`)));
    extract.on('error', (err) => reject(err instanceof ArchiveError ? err : new ArchiveError('truncated', `the archive is damaged or truncated (${err.message})`)));
  });
  const read = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      if (h.type !== 'file') throw new ArchiveError('foreign', `unexpected ${h.type} entry "${h.name}" in the archive`);
      if (files.has(h.name)) throw new ArchiveError('foreign', `the archive holds "${h.name}" twice`);
      if (files.size >= limits.maxFiles) throw new ArchiveError('too-large', `more than ${limits.maxFiles} files in the archive`);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of entry as AsyncIterable<Buffer>) {
        size += c.length;
        total += c.length;
        if (size > limits.maxFileBytes) throw new ArchiveError('too-large', `"${h.name}" is larger than ${limits.maxFileBytes} bytes`);
        if (total > limits.maxTotalBytes) throw new ArchiveError('too-large', `the archive unpacks to more than ${limits.maxTotalBytes} bytes`);
        if (total > budget) throw new ArchiveError('too-large', `the archive unpacks to more than ${limits.maxExpansion} times its ${gz.length} bytes: not a backup of this appliance, whose parts are encrypted and do not compress`);
        chunks.push(c);
      }
      files.set(h.name, Buffer.concat(chunks));
    }
  })();
  Readable.from([gz]).pipe(gunzip).pipe(extract);
  await Promise.race([read, failed]);
  return files;
}
