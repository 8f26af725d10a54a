// Is the store whole after an open? Three witnesses, because LevelDB alone stays silent about the commonest
// damage: (1) our own reading of the write-ahead logs before LevelDB replays them (leveldb-log.ts), (2) what
// LevelDB itself wrote to its LOG file while opening (it does report checksum mismatches and dropped bytes in
// the middle of a log, and missing or corrupt tables), (3) the commit mark (commit-mark.ts): the database
// must hold every commit that was acknowledged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanLog, type LogProblem } from './leveldb-log.ts';
import type { CommitMarkFile } from './commit-mark.ts';

export interface IntegrityFinding {
  /** Where the finding came from. */
  source: 'write-ahead-log' | 'leveldb' | 'commit-mark';
  /** lost: acknowledged data is gone; damaged: data was skipped that may have been acknowledged;
   *  unacknowledged: a write that was still in progress at the crash was dropped (nothing was promised). */
  severity: 'lost' | 'damaged' | 'unacknowledged';
  detail: string;
  file?: string;
  offset?: number;
  bytes?: number;
  /** Device serials (and other named records) the lost or damaged data held, where the bytes still say. */
  records?: string[];
}

export interface IntegrityReport {
  checkedAt: string;
  /** True only when nothing acknowledged can be missing. */
  clean: boolean;
  findings: IntegrityFinding[];
  /** Commits the commit mark expected and the database does not hold. */
  missingCommits: number;
  /** Device serials known to be in lost or damaged writes (bounded). */
  devicesLost: string[];
}

export interface LogFileScan { file: string; problems: LogProblem[]; size: number; batches: number }

/** Reads every write-ahead log (NNNNNN.log) in the folder; call before LevelDB opens it. */
export function scanWriteAheadLogs(dir: string, seqKey: string): LogFileScan[] {
  let names: string[];
  try { names = readdirSync(dir).filter((n) => /^\d+\.log$/.test(n)).sort(); } catch { return []; }
  return names.map((file) => {
    const scan = scanLog(readFileSync(join(dir, file)), seqKey);
    return { file, ...scan };
  });
}

/** Lines of LevelDB's own LOG (rewritten at every open) that report damage; bounded. */
export function levelDbComplaints(dir: string): string[] {
  let text = '';
  try { text = readFileSync(join(dir, 'LOG'), 'utf8'); } catch { return []; }
  return text.split('\n')
    // "Log #5: dropping 1234 bytes; Corruption: checksum mismatch", "Corruption: ...", "IO error: ...".
    .filter((l) => /corrupt|dropping \d+ bytes|checksum|missing|bad record|truncated|IO error|error/i.test(l))
    .map((l) => l.replace(/^\S+ \S+ /, '').slice(0, 300))
    .slice(0, 20);
}

const DEVICE_PREFIX = '!devices!';
const named = (keys: string[]) => keys.filter((k) => k.startsWith(DEVICE_PREFIX)).map((k) => k.slice(DEVICE_PREFIX.length));

/**
 * Weighs the witnesses. A problem at the very end of the newest log is a write cut off by the crash: it is
 * only "unacknowledged" when the database still holds every commit the mark saw and the cut batch's own
 * commit number (when readable) is past the mark. Everything else LevelDB skips may have been acknowledged.
 */
export function judgeIntegrity(input: { scans: LogFileScan[]; complaints: string[]; mark?: CommitMarkFile; markUnreadable?: string; found: number; now?: Date }): IntegrityReport {
  const findings: IntegrityFinding[] = [];
  const devices = new Set<string>();
  const expected = input.mark?.commitSeq;
  const allThere = expected !== undefined && input.found >= expected;
  const newest = input.scans[input.scans.length - 1];
  for (const s of input.scans) {
    for (const p of s.problems) {
      const atTail = s === newest && p.offset + p.bytes >= s.size;
      const inFlight = atTail && allThere && (p.commitSeq === undefined || p.commitSeq > expected!);
      const records = named(p.keys);
      if (!inFlight) records.forEach((d) => devices.add(d));
      findings.push({
        source: 'write-ahead-log', severity: inFlight ? 'unacknowledged' : p.commitSeq !== undefined && expected !== undefined && p.commitSeq <= expected ? 'lost' : 'damaged',
        file: s.file, offset: p.offset, bytes: p.bytes, records: records.length ? records.slice(0, 50) : undefined,
        detail: `${s.file}: ${p.bytes} bytes at offset ${p.offset} ${describe(p.kind)}${p.keys.length ? ` (a write of ${p.keys.length}${p.keys.length >= 200 ? '+' : ''} records)` : ''}`,
      });
    }
  }
  for (const line of input.complaints) findings.push({ source: 'leveldb', severity: 'damaged', detail: `LevelDB reported: ${line}` });
  if (input.markUnreadable) findings.push({ source: 'commit-mark', severity: 'damaged', detail: `the commit mark could not be read (${input.markUnreadable}); losses cannot be counted` });
  let missing = 0;
  if (expected !== undefined && input.found < expected) {
    missing = expected - input.found;
    const gone = (input.mark?.recent ?? []).filter((b) => b.seq > input.found);
    for (const b of gone) for (const d of b.named.devices ?? []) devices.add(d);
    const counts: Record<string, number> = {};
    for (const b of gone) for (const [k, n] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + n;
    findings.push({
      source: 'commit-mark', severity: 'lost',
      detail: `${missing} acknowledged commit${missing === 1 ? '' : 's'} missing: the store holds commit ${input.found}, ${expected} had been written`
        + (gone.length ? `; they wrote ${[...Object.entries(counts)].map(([k, n]) => `${n} ${k}`).join(', ') || 'only device records'}` : ''),
      records: gone.flatMap((b) => b.named.devices ?? []).slice(0, 200),
    });
  }
  return {
    checkedAt: (input.now ?? new Date()).toISOString(),
    clean: findings.every((f) => f.severity === 'unacknowledged'),
    findings, missingCommits: missing, devicesLost: [...devices].slice(0, 500),
  };
}

function describe(kind: LogProblem['kind']): string {
  switch (kind) {
    case 'torn-tail': return 'end inside a record (a torn write); LevelDB drops it without a word';
    case 'zeroed': return 'are zeros where a record should be; LevelDB skips them without a word';
    case 'checksum-mismatch': return 'fail their checksum';
    case 'bad-length': return 'hold a record longer than its block';
    case 'orphan-fragment': return 'are a fragment of a record whose start is missing';
    case 'bad-type': return 'hold a record of unknown type';
  }
}
