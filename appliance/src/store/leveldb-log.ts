// LevelDB's write-ahead log, read without LevelDB (the format is leveldb's doc/log_format.md: 32 KiB blocks
// of records, each a 7-byte header — masked CRC32C, length, type — and a payload; a write batch may be split
// into FIRST/MIDDLE/LAST fragments). We read it because LevelDB, replaying it on open, silently drops a record
// cut short at the end of the file (it assumes the writer died mid-write) and skips zero-filled stretches:
// exactly what a power cut on an SD card leaves. Reading it before the open is the only way to know what the
// replay is about to drop, and which keys were in it.

const BLOCK = 32_768;
const HEADER = 7;
const FULL = 1, FIRST = 2, MIDDLE = 3, LAST = 4;
/** Keys named per damaged stretch; enough to say "these devices", bounded against a huge batch. */
const MAX_KEYS = 200;

export type LogProblemKind = 'torn-tail' | 'checksum-mismatch' | 'bad-length' | 'zeroed' | 'bad-type' | 'orphan-fragment';

export interface LogProblem {
  offset: number;
  /** Bytes LevelDB's replay will skip because of this problem. */
  bytes: number;
  kind: LogProblemKind;
  /** Keys found in what is skipped (as stored: `!sublevel!key`), where the bytes still say. */
  keys: string[];
  /** The appliance's commit number written in the skipped batch, when its bytes survived (see store.ts). */
  commitSeq?: number;
}

export interface LogScan {
  size: number;
  /** Whole write batches that will be replayed. */
  batches: number;
  problems: LogProblem[];
}

// CRC-32C (Castagnoli), the checksum LevelDB uses; Node's zlib.crc32 is the other polynomial.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** LevelDB stores CRCs masked, so a CRC of data that itself holds CRCs does not look valid by accident. */
export function maskedCrc(data: Uint8Array): number {
  const c = crc32c(data);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

function varint32(buf: Buffer, pos: number): [number, number] | null {
  let result = 0;
  for (let shift = 0; shift <= 28 && pos < buf.length; shift += 7) {
    const b = buf[pos++];
    result |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return [result >>> 0, pos];
  }
  return null;
}

/**
 * The keys of a write batch (8-byte sequence, 4-byte count, then tagged puts and deletes). Lenient: a batch
 * cut short yields the keys that are whole, which is what "what was lost, where knowable" needs.
 */
export function batchKeys(payload: Buffer, limit = MAX_KEYS): string[] {
  const keys: string[] = [];
  let pos = 12;
  while (pos < payload.length && keys.length < limit) {
    const tag = payload[pos++];
    if (tag !== 0 && tag !== 1) break;
    const k = varint32(payload, pos);
    if (!k || k[1] + k[0] > payload.length) break;
    keys.push(payload.subarray(k[1], k[1] + k[0]).toString('utf8'));
    pos = k[1] + k[0];
    if (tag === 1) {
      const v = varint32(payload, pos);
      if (!v) break;
      pos = v[1] + v[0];
    }
  }
  return keys;
}

/** The value of `key` in a (possibly partial) write batch, when the put is whole. */
export function batchValue(payload: Buffer, key: string): Buffer | undefined {
  let pos = 12;
  while (pos < payload.length) {
    const tag = payload[pos++];
    if (tag !== 0 && tag !== 1) return undefined;
    const k = varint32(payload, pos);
    if (!k || k[1] + k[0] > payload.length) return undefined;
    const name = payload.subarray(k[1], k[1] + k[0]).toString('utf8');
    pos = k[1] + k[0];
    if (tag === 0) continue;
    const v = varint32(payload, pos);
    if (!v || v[1] + v[0] > payload.length) return undefined;
    if (name === key) return payload.subarray(v[1], v[1] + v[0]);
    pos = v[1] + v[0];
  }
  return undefined;
}

const allZero = (b: Buffer) => b.every((x) => x === 0);

/**
 * Walks a log file as LevelDB's reader does and reports every stretch the reader would skip (it says
 * nothing itself about a torn tail or zeroes). `seqKey` names the put that carries the commit number.
 */
export function scanLog(data: Buffer, seqKey?: string): LogScan {
  const problems: LogProblem[] = [];
  const seqOf = (payload: Buffer) => {
    const v = seqKey ? batchValue(payload, seqKey) : undefined;
    const n = v ? Number(v.toString('utf8')) : NaN;
    return Number.isSafeInteger(n) ? n : undefined;
  };
  const damaged = (offset: number, bytes: number, kind: LogProblemKind, payload?: Buffer): LogProblem =>
    ({ offset, bytes, kind, keys: payload ? batchKeys(payload) : [], ...(payload && seqOf(payload) !== undefined ? { commitSeq: seqOf(payload) } : {}) });
  let batches = 0;
  let assembling: Buffer[] | null = null;
  let assemblingAt = 0;
  const dropAssembling = (kind: LogProblemKind, end: number) => {
    if (!assembling) return;
    problems.push(damaged(assemblingAt, end - assemblingAt, kind, Buffer.concat(assembling)));
    assembling = null;
  };
  let pos = 0;
  while (pos < data.length) {
    const blockEnd = Math.min((Math.floor(pos / BLOCK) + 1) * BLOCK, data.length);
    if (blockEnd - pos < HEADER) {
      // Fewer than 7 bytes left in a block: a zero trailer, unless this is the file's end mid-header.
      if (blockEnd === data.length && data.length % BLOCK !== 0 && !allZero(data.subarray(pos))) {
        dropAssembling('torn-tail', data.length);
        problems.push(damaged(pos, data.length - pos, 'torn-tail'));
      }
      pos = blockEnd;
      continue;
    }
    const length = data.readUInt16LE(pos + 4);
    const type = data[pos + 6];
    const end = pos + HEADER + length;
    if (type === 0 && length === 0 && data.readUInt32LE(pos) === 0) {
      // LevelDB skips the rest of the block without a word; zeroes up to the file's end are a torn tail.
      dropAssembling('zeroed', blockEnd);
      problems.push(damaged(pos, blockEnd - pos, 'zeroed'));
      pos = blockEnd;
      continue;
    }
    if (end > blockEnd) {
      const kind: LogProblemKind = end > data.length && blockEnd === data.length ? 'torn-tail' : 'bad-length';
      const partial = data.subarray(pos + HEADER, blockEnd);
      if (type === FULL || type === FIRST) {
        dropAssembling(kind, pos);
        problems.push(damaged(pos, blockEnd - pos, kind, partial));
      } else if (assembling) {
        assembling.push(partial);
        dropAssembling(kind, blockEnd);
      } else {
        problems.push(damaged(pos, blockEnd - pos, kind));
      }
      pos = blockEnd;
      continue;
    }
    const payload = data.subarray(pos + HEADER, end);
    if (data.readUInt32LE(pos) !== maskedCrc(data.subarray(pos + 6, end))) {
      dropAssembling('checksum-mismatch', pos);
      problems.push(damaged(pos, end - pos, 'checksum-mismatch', type === FULL || type === FIRST ? payload : undefined));
      pos = end;
      continue;
    }
    switch (type) {
      case FULL:
        dropAssembling('orphan-fragment', pos);
        batches++;
        break;
      case FIRST:
        dropAssembling('orphan-fragment', pos);
        assembling = [payload];
        assemblingAt = pos;
        break;
      case MIDDLE:
      case LAST:
        if (!assembling) { problems.push(damaged(pos, end - pos, 'orphan-fragment')); break; }
        assembling.push(payload);
        if (type === LAST) { assembling = null; batches++; }
        break;
      default:
        dropAssembling('bad-type', pos);
        problems.push(damaged(pos, end - pos, 'bad-type'));
    }
    pos = end;
  }
  // A batch whose LAST fragment never came: the file ended inside it.
  dropAssembling('torn-tail', data.length);
  return { size: data.length, batches, problems: mergeAdjacent(problems) };
}

/** One torn write shows as a header problem plus its fragments; report it as one stretch. */
function mergeAdjacent(problems: LogProblem[]): LogProblem[] {
  const sorted = [...problems].sort((a, b) => a.offset - b.offset);
  const out: LogProblem[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && last.kind === p.kind && last.offset + last.bytes >= p.offset) {
      last.bytes = Math.max(last.offset + last.bytes, p.offset + p.bytes) - last.offset;
      last.keys = [...new Set([...last.keys, ...p.keys])].slice(0, MAX_KEYS);
      last.commitSeq ??= p.commitSeq;
    } else out.push({ ...p, keys: [...p.keys] });
  }
  return out;
}
