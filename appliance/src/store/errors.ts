// Store failures, named for what an operator must do. abstract-level wraps every open failure in
// "Database failed to open"; the cause (a held lock, a corrupt manifest, a full disk) is one level down.

/** The store could not be opened; the message names the cause and the folder. */
export class StoreOpenError extends Error {
  readonly code: string;
  constructor(readonly dir: string, cause: unknown) {
    const root = rootCause(cause);
    const code = (root as { code?: string }).code ?? (cause as { code?: string })?.code ?? 'unknown';
    super(`the store in ${dir} could not be opened: ${root.message}${hint(root)}`, { cause });
    this.code = `store-open-failed:${code}`;
  }
}

/** Writes are refused while the disk is full (the store reopens by itself once space is freed). */
export class StoreUnavailableError extends Error {
  readonly code = 'store-refusing-writes';
  // Koa's convention: the API answers 503 with this message instead of a bare 500.
  readonly status = 503;
  readonly expose = true;
  constructor(message: string, options?: { cause?: unknown }) { super(message, options); }
}

/** The innermost error of a `cause` chain (abstract-level → classic-level → LevelDB's status). */
export function rootCause(err: unknown): Error {
  let e = err as Error & { cause?: unknown };
  for (let i = 0; i < 5 && e?.cause instanceof Error; i++) e = e.cause as Error & { cause?: unknown };
  return e instanceof Error ? e : new Error(String(err));
}

/** A write failed because the file system is full (or over quota): wait for space, then reopen. */
export function isDiskFull(err: unknown): boolean {
  const e = rootCause(err) as NodeJS.ErrnoException;
  return e.code === 'ENOSPC' || e.code === 'EDQUOT' || /No space left on device|Disk quota exceeded/i.test(e.message);
}

function hint(e: Error & { code?: string }): string {
  const m = e.message;
  if (e.code === 'LEVEL_LOCKED' || /lock .*(temporarily unavailable|already held)/i.test(m)) return ' (another instant-on-edge process is using this data folder)';
  if (e.code === 'LEVEL_CORRUPTION' || /Corruption/i.test(m)) return ' (the database files are damaged: restore the data folder from a backup, or move it aside to start empty)';
  if (/Permission denied|EACCES|EPERM/i.test(m)) return ' (the service user cannot write this folder)';
  if (isDiskFull(e)) return ' (the disk is full: free some space)';
  if (/Read-only file system|EROFS/i.test(m)) return ' (the file system is read-only: the SD card may be failing)';
  return '';
}
