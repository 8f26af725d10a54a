// What the database should hold, kept outside it. Every batch the store commits carries a commit number
// (meta!commitSeq); after LevelDB has synced a batch, its number and the devices it wrote are noted here, in
// a small file beside the database. On the next open the database must hold at least that number: if it holds
// less, acknowledged writes are gone (a torn or truncated log, a card that lied about a flush), and the notes
// say which devices they touched. The file is written after the fact and without its own fsync: it may lag
// the database by a moment (so a loss in that moment goes unnamed), never run ahead of it (so it never
// reports a loss that did not happen).
import { readFileSync, writeFile, rename, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const COMMIT_MARK_FILE = 'instant-on-commits.json';
/** Batches remembered by name; older losses are counted, not named. */
const RECENT_BATCHES = 200;
const RECENT_KEYS = 1000;
/** At most one write of the mark per this many ms: under a flood it is a few small writes a second. */
const MIN_GAP_MS = 200;

export interface RecentBatch {
  seq: number;
  /** Keys of sublevels whose keys are names, not secrets (device serials, task ids). */
  named: Record<string, string[]>;
  /** How many writes went to each other sublevel. */
  counts: Record<string, number>;
}

export interface CommitMarkFile {
  version: 1;
  commitSeq: number;
  at: string;
  recent: RecentBatch[];
}

export function readCommitMark(dir: string): CommitMarkFile | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, COMMIT_MARK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const v = JSON.parse(text) as CommitMarkFile;
    if (v?.version === 1 && Number.isSafeInteger(v.commitSeq) && Array.isArray(v.recent)) return v;
  } catch { /* fall through: a mark we cannot read is reported as such by the caller */ }
  throw new Error(`${COMMIT_MARK_FILE} is not readable JSON`);
}

export class CommitMark {
  private seq: number;
  private recent: RecentBatch[];
  private writing = false;
  private dirty = false;
  private failures = 0;

  constructor(private readonly dir: string, start: CommitMarkFile | undefined, private readonly onError: (err: Error) => void) {
    this.seq = start?.commitSeq ?? 0;
    this.recent = start?.recent ?? [];
  }

  get durableSeq(): number { return this.seq; }
  get writeFailures(): number { return this.failures; }

  /** A batch is on disk: remember it, and write the mark soon (one write in flight, the newest wins). */
  note(batch: RecentBatch): void {
    this.seq = Math.max(this.seq, batch.seq);
    this.recent.push(batch);
    let keys = this.recent.reduce((n, b) => n + Object.values(b.named).reduce((m, k) => m + k.length, 0), 0);
    while (this.recent.length > RECENT_BATCHES || (keys > RECENT_KEYS && this.recent.length > 1)) {
      const old = this.recent.shift()!;
      keys -= Object.values(old.named).reduce((m, k) => m + k.length, 0);
    }
    this.dirty = true;
    if (!this.writing) this.flush();
  }

  /** Restarts the mark from what the database holds now (after a damage report, the old notes are spent). */
  reset(seq: number): void {
    this.seq = seq;
    this.recent = [];
    this.writeNow();
  }

  /** Synchronous final write (close). */
  writeNow(): void {
    const path = join(this.dir, COMMIT_MARK_FILE);
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(this.snapshot()));
      renameSync(`${path}.tmp`, path);
      this.dirty = false;
    } catch (err) {
      this.failures++;
      this.onError(err as Error);
    }
  }

  private snapshot(): CommitMarkFile {
    return { version: 1, commitSeq: this.seq, at: new Date().toISOString(), recent: this.recent };
  }

  private flush(): void {
    this.writing = true;
    this.dirty = false;
    const path = join(this.dir, COMMIT_MARK_FILE);
    writeFile(`${path}.tmp`, JSON.stringify(this.snapshot()), (err) => {
      const done = (e: Error | null) => {
        if (e) { this.failures++; this.onError(e); }
        setTimeout(() => {
          this.writing = false;
          if (this.dirty) this.flush();
        }, MIN_GAP_MS).unref();
      };
      if (err) return done(err);
      rename(`${path}.tmp`, path, done);
    });
  }

  /** Resolves once no write of the mark is in flight. */
  async idle(): Promise<void> {
    while (this.writing) await new Promise((r) => setTimeout(r, 5));
  }
}
