// The appliance's one database: LevelDB (classic-level via `level`) on disk, or memory-level in tests, with
// one JSON sublevel per kind of record. Both backends pass the same contract suite (test/unit/store).
// Writes that back an acknowledge go through commit(), which is group-committed and synced to disk.
import { mkdirSync } from 'node:fs';
import { Level } from 'level';
import { MemoryLevel } from 'memory-level';
import type { AbstractLevel, AbstractSublevel } from 'abstract-level';
import { GroupCommitter } from './group-commit.ts';

type Db = AbstractLevel<string | Buffer | Uint8Array, string, any>;
export type Sub<V> = AbstractSublevel<Db, string | Buffer | Uint8Array, string, V>;

/** One write in a batch: a put or a delete in one of the store's sublevels. */
export type StoreOp =
  | { type: 'put'; sublevel: Sub<any>; key: string; value: unknown }
  | { type: 'del'; sublevel: Sub<any>; key: string };

/** The sublevels the rooms use; adding one here is the whole schema migration for a new kind of record. */
export const SUBLEVELS = ['meta', 'settings', 'devices', 'history', 'users', 'captures', 'policies', 'credentials',
  'tasks', 'schedules', 'outbox', 'messages', 'audit', 'serials', 'pki', 'listeners', 'autogroups',
  'tokens', 'counters', 'assessments', 'sessions', 'alerts', 'alertmail'] as const;
export type SublevelName = (typeof SUBLEVELS)[number];

export interface StoreOptions {
  /** Folder for LevelDB; omit for an in-memory store. */
  dir?: string;
}

export class Store {
  private readonly subs = new Map<SublevelName, Sub<any>>();
  private readonly committer: GroupCommitter<StoreOp>;
  private readonly commitObservers = new Set<(seconds: number) => void>();
  readonly durable: boolean;

  private constructor(readonly db: Db) {
    this.durable = db instanceof Level;
    for (const name of SUBLEVELS) this.subs.set(name, db.sublevel<string, unknown>(name, { valueEncoding: 'json' }) as Sub<any>);
    // sync:true makes LevelDB fsync its log before the callback: an acknowledge never outruns the disk.
    this.committer = new GroupCommitter<StoreOp>((ops) => this.db.batch(ops as any, { sync: true } as any));
  }

  static async open(opts: StoreOptions = {}): Promise<Store> {
    let db: Db;
    if (opts.dir) {
      mkdirSync(opts.dir, { recursive: true });
      db = new Level<string, unknown>(opts.dir, { valueEncoding: 'json' }) as unknown as Db;
    } else {
      db = new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db;
    }
    await db.open();
    return new Store(db);
  }

  sub<V>(name: SublevelName): Sub<V> {
    return this.subs.get(name)! as Sub<V>;
  }

  /** Durable, group-committed batch. Resolves when the operations are on disk. */
  commit(ops: StoreOp[]): Promise<void> {
    if (!this.commitObservers.size || ops.length === 0) return this.committer.commit(ops);
    const started = performance.now();
    return this.committer.commit(ops).then(() => {
      const seconds = (performance.now() - started) / 1000;
      for (const fn of this.commitObservers) fn(seconds);
    });
  }

  /** Time from commit() to durable, per call (the metrics room's store write latency). */
  observeCommits(fn: (seconds: number) => void): () => void {
    this.commitObservers.add(fn);
    return () => this.commitObservers.delete(fn);
  }

  async get<V>(name: SublevelName, key: string): Promise<V | undefined> {
    return (await this.sub<V>(name).get(key)) ?? undefined;
  }

  async values<V>(name: SublevelName, range: { gte?: string; lt?: string; limit?: number; reverse?: boolean } = {}): Promise<V[]> {
    return this.sub<V>(name).values(range).all();
  }

  async entries<V>(name: SublevelName, range: { gte?: string; lt?: string; limit?: number; reverse?: boolean } = {}): Promise<[string, V][]> {
    return this.sub<V>(name).iterator(range).all();
  }

  commitStats() {
    return this.committer.stats();
  }

  async close(): Promise<void> {
    await this.committer.idle();
    await this.db.close();
  }
}
