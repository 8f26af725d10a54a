// The appliance's one database: LevelDB (classic-level via `level`) on disk, or memory-level in tests, with
// one JSON sublevel per kind of record. Both backends pass the same contract suite (test/unit/store).
// Writes that back an acknowledge go through commit(), which is group-committed and synced to disk.
//
// A damaged store is never opened silently (integrity.ts says what was lost), a write failure is never
// swallowed: every one is logged and counted here; a full disk refuses writes until space is freed and the
// database reopens by itself (LevelDB refuses all writes after one failed, until it is reopened); any other
// failure of the database itself emits `failed`, and the owner ends the process (systemd restarts it).
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { Level } from 'level';
import { MemoryLevel } from 'memory-level';
import type { AbstractLevel, AbstractSublevel } from 'abstract-level';
import type { Logger } from '../util/log.ts';
import { GroupCommitter } from './group-commit.ts';
import { CommitMark, readCommitMark, type CommitMarkFile } from './commit-mark.ts';
import { judgeIntegrity, levelDbComplaints, scanWriteAheadLogs, type IntegrityReport } from './integrity.ts';
import { StoreOpenError, StoreUnavailableError, isDiskFull, rootCause } from './errors.ts';
import { DiskWatch } from './disk-watch.ts';
import { DamageRecord, type StoredDamage } from './damage-record.ts';

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

/** The commit number rides in every batch under this key (`!meta!commitSeq` as LevelDB sees it). */
const SEQ_KEY = 'commitSeq';
/** Sublevels whose keys are names safe to write beside the database (serials), for "what was lost". */
const NAMED: SublevelName[] = ['devices'];

export interface StoreOptions {
  /** Folder for LevelDB; omit for an in-memory store. */
  dir?: string;
  log?: Logger;
  /** Below this much free space the store reports degraded (and a refused store does not retry yet). */
  minFreeBytes?: () => number;
  /** How often a store refusing writes for a full disk checks whether space came back. */
  recoveryCheckMs?: number;
}

export type StoreState = 'ok' | 'disk-full' | 'failed' | 'closed';
export interface StoreEvents { failed: [Error]; recovered: [] }

export class Store extends EventEmitter<StoreEvents> {
  private readonly subs = new Map<SublevelName, Sub<any>>();
  private readonly names = new Map<Sub<any>, SublevelName>();
  private readonly committer: GroupCommitter<StoreOp>;
  private readonly commitObservers = new Set<(seconds: number) => void>();
  readonly durable: boolean;
  private seq = 0;
  private state: StoreState = 'ok';
  private writes = { failedBatches: 0, failedOps: 0, refused: 0, lastError: undefined as undefined | { at: string; message: string } };
  private mark?: CommitMark;
  private disk?: DiskWatch;
  private damage!: DamageRecord;
  /** This open's integrity check (clean for a new or in-memory store). */
  integrity: IntegrityReport = { checkedAt: new Date().toISOString(), clean: true, findings: [], missingCommits: 0, devicesLost: [] };

  private constructor(readonly db: Db, private readonly opts: StoreOptions) {
    super();
    this.durable = db instanceof Level;
    for (const name of SUBLEVELS) {
      const sub = db.sublevel<string, unknown>(name, { valueEncoding: 'json' }) as Sub<any>;
      this.subs.set(name, sub);
      this.names.set(sub, name);
    }
    this.committer = new GroupCommitter<StoreOp>((ops) => this.write(ops));
  }

  static async open(opts: StoreOptions = {}): Promise<Store> {
    if (!opts.dir) {
      const store = new Store(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }) as unknown as Db, opts);
      await store.db.open();
      store.damage = new DamageRecord(store.sub('meta'), undefined);
      return store;
    }
    const dir = opts.dir;
    try { mkdirSync(dir, { recursive: true }); } catch (err) { throw new StoreOpenError(dir, err); }
    // Read the logs before LevelDB replays (and deletes) them, and the mark of what they should hold.
    const scans = scanWriteAheadLogs(dir, `!meta!${SEQ_KEY}`);
    let mark: CommitMarkFile | undefined;
    let markUnreadable: string | undefined;
    try { mark = readCommitMark(dir); } catch (err) { markUnreadable = (err as Error).message; }
    const store = new Store(new Level<string, unknown>(dir, { valueEncoding: 'json' }) as unknown as Db, opts);
    try {
      await store.db.open();
    } catch (err) {
      throw new StoreOpenError(dir, err);
    }
    const found = Number((await store.sub('meta').get(SEQ_KEY)) ?? 0);
    store.seq = Math.max(found, mark?.commitSeq ?? 0);
    store.mark = new CommitMark(dir, mark && { ...mark, commitSeq: store.seq }, (e) => store.noteFailure(e, 0, 'commit mark'));
    store.integrity = judgeIntegrity({ scans, complaints: levelDbComplaints(dir), mark, markUnreadable, found });
    store.damage = new DamageRecord(store.sub('meta'), await store.sub('meta').get('damage') as StoredDamage | undefined);
    store.disk = new DiskWatch(dir, opts.minFreeBytes ?? (() => 8 * 1024 * 1024));
    store.report(store.integrity, 'opened');
    // If even this write fails (a full disk), it is logged and counted, and the report stays in memory.
    if (!store.integrity.clean) await store.commit(store.damage.add(store.integrity)).catch(() => undefined);
    return store;
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

  /** ok, or degraded with the reasons (a full or nearly full disk, unacknowledged damage), or failed. */
  health(): { status: 'ok' | 'degraded' | 'failed'; reasons: string[] } {
    if (this.state === 'failed') return { status: 'failed', reasons: [`the store failed: ${this.writes.lastError?.message ?? 'unknown'}`] };
    const reasons: string[] = [];
    if (this.state === 'disk-full') reasons.push('the disk is full: writes are refused until space is freed');
    else if (this.disk?.low()) reasons.push(`free disk space is below ${Math.round(this.disk.minFree / 1048576)} MiB`);
    const damage = this.damage?.open();
    if (damage) reasons.push(`the store was found damaged on ${damage.reports[0].checkedAt} and an admin has not acknowledged it yet`);
    return { status: reasons.length ? 'degraded' : 'ok', reasons };
  }

  /** For GET /api/v1/status. */
  status() {
    return {
      ...this.committer.stats(), state: this.state, health: this.health(), commitSeq: this.seq,
      writes: { ...this.writes, commitMarkFailures: this.mark?.writeFailures ?? 0 },
      disk: this.disk?.view(), integrity: this.integrity, damage: this.damage?.view(),
    };
  }

  /** An admin has read the damage report (the devices it names were checked or re-announced). */
  async acknowledgeDamage(by: string): Promise<boolean> {
    const ops = this.damage.acknowledge(by);
    if (!ops.length) return false;
    await this.commit(ops);
    this.damage.applied();
    this.opts.log?.warn({ by }, 'store damage report acknowledged');
    return true;
  }

  async close(): Promise<void> {
    this.disk?.stopRecovery();
    await this.committer.idle();
    if (this.state !== 'failed') this.state = 'closed';
    await this.mark?.idle();
    this.mark?.writeNow();
    await this.db.close();
  }

  private async write(ops: StoreOp[]): Promise<void> {
    if (this.state !== 'ok') {
      this.writes.refused += ops.length;
      throw new StoreUnavailableError(this.state === 'disk-full' ? 'the disk is full: the write was refused (it is retried by the caller once space is freed)'
        : `the store is ${this.state}: the write was refused`);
    }
    const seq = ++this.seq;
    const meta = this.sub('meta');
    try {
      // The commit number goes first: a torn batch most likely still names it (integrity.ts).
      await this.db.batch([{ type: 'put', sublevel: meta, key: SEQ_KEY, value: seq }, ...ops] as any, { sync: true } as any);
    } catch (err) {
      this.onWriteFailed(err as Error, ops.length);
      throw err;
    }
    this.mark?.note(this.summary(seq, ops));
  }

  private summary(seq: number, ops: StoreOp[]) {
    const named: Record<string, string[]> = {};
    const counts: Record<string, number> = {};
    for (const op of ops) {
      const name = this.names.get(op.sublevel) ?? 'other';
      if (NAMED.includes(name as SublevelName)) (named[name] ??= []).push(op.key);
      else counts[name] = (counts[name] ?? 0) + 1;
    }
    return { seq, named, counts };
  }

  private onWriteFailed(err: Error, ops: number) {
    this.noteFailure(err, ops, 'batch');
    const root = rootCause(err) as Error & { code?: string };
    if (isDiskFull(err)) return this.enterDiskFull(err);
    // Invalid keys or values are the caller's bug; only the database's own failures end the process.
    const own = /^LEVEL_(IO_ERROR|CORRUPTION|DATABASE_NOT_OPEN)$/.test((err as any).code ?? root.code ?? '') || /^(IO error|Corruption)/.test(root.message);
    if (own && this.state === 'ok') this.fail(err);
  }

  private noteFailure(err: Error, ops: number, what: string) {
    this.writes.failedBatches += what === 'batch' ? 1 : 0;
    this.writes.failedOps += ops;
    this.writes.lastError = { at: new Date().toISOString(), message: `${what}: ${rootCause(err).message}` };
    if (this.state === 'ok') this.opts.log?.error({ err: rootCause(err).message, ops, what }, 'a durable write failed');
  }

  private enterDiskFull(err: Error) {
    if (this.state !== 'ok') return;
    this.state = 'disk-full';
    this.opts.log?.error({ err: rootCause(err).message, dir: this.opts.dir }, 'the disk is full: writes are refused (devices are told busy) until space is freed; the store reopens by itself');
    this.disk?.startRecovery(this.opts.recoveryCheckMs ?? 2000, () => this.reopen(), (refusedFor) =>
      this.opts.log?.error({ refused: this.writes.refused, minutes: refusedFor }, 'the disk is still full; writes are refused'));
  }

  /** LevelDB keeps failing every write after one failed: closing and opening it again is the way back.
   *  Never rejects: false = still full, try later; any other failure fails the store. */
  private async reopen(): Promise<boolean> {
    try {
      return await this.tryReopen();
    } catch (err) {
      if (isDiskFull(err)) return false;
      this.fail(err as Error);
      return false;
    }
  }

  private async tryReopen(): Promise<boolean> {
    const dir = this.opts.dir!;
    await this.committer.idle();
    await this.db.close();
    const scans = scanWriteAheadLogs(dir, `!meta!${SEQ_KEY}`);
    try {
      await this.db.open();
      // Sublevels close with their parent but do not reopen with it; the rooms hold these very objects.
      await Promise.all([...this.subs.values()].map((sub) => sub.open()));
    } catch (err) {
      if (isDiskFull(err)) return false;
      this.fail(new StoreOpenError(dir, err));
      return false;
    }
    const found = Number((await this.sub('meta').get(SEQ_KEY)) ?? 0);
    const report = judgeIntegrity({ scans, complaints: levelDbComplaints(dir), mark: { version: 1, commitSeq: this.mark!.durableSeq, at: '', recent: [] }, found });
    this.state = 'ok';
    this.report(report, 'reopened');
    if (!report.clean) { this.integrity = report; await this.commit(this.damage.add(report)); }
    this.opts.log?.warn({ refused: this.writes.refused }, 'disk space is back: the store is writable again');
    this.emit('recovered');
    return true;
  }

  private fail(err: Error) {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.disk?.stopRecovery();
    this.opts.log?.fatal({ err: rootCause(err).message, dir: this.opts.dir }, 'the store is failing');
    this.emit('failed', err);
  }

  private report(r: IntegrityReport, when: string) {
    const log = this.opts.log;
    if (!log) return;
    if (!r.clean) {
      log.error({ findings: r.findings, missingCommits: r.missingCommits, devicesLost: r.devicesLost, dir: this.opts.dir },
        `the store was damaged (found when it was ${when}): ${r.findings.filter((f) => f.severity !== 'unacknowledged').map((f) => f.detail).join('; ')}`
        + (r.devicesLost.length ? `; devices whose last writes are lost: ${r.devicesLost.slice(0, 20).join(', ')}${r.devicesLost.length > 20 ? ', …' : ''}` : ''));
    } else if (r.findings.length) {
      log.warn({ findings: r.findings }, 'a write in progress when the appliance last stopped was dropped on open (it had not been acknowledged)');
    }
  }
}
