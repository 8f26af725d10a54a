// A cheap, allocation-light walk over a raw DNS message (RFC 1035 §4.1), done before anything trusts it.
// dns2 believes the header's section counts and decodes bit by bit; this walk only steps over names and
// RDLENGTHs, so a hostile packet costs O(its length) here and is rejected before dns2 ever sees it.
// The same walk tells the forwarder's cache where every TTL sits, so cached answers can be aged in place.

export type WalkFailure =
  | 'short-header'
  | 'counts-exceed-length'
  | 'truncated-section'
  | 'bad-label'
  | 'bad-pointer'
  | 'name-too-long'
  | 'bad-opt'
  | 'trailing-bytes';

export interface RecordPosition {
  section: 'answer' | 'authority' | 'additional';
  type: number;
  ttlOffset: number;
  rdataOffset: number;
  rdLength: number;
}

export interface MessageSummary {
  id: number;
  qr: boolean;
  opcode: number;
  rd: boolean;
  tc: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  /** First question (a query has exactly one); name as sent, without the trailing dot. */
  question?: { name: string; type: number; class: number; nameEnd: number };
  /** OPT pseudo-record (RFC 6891), when present. */
  opt?: { udpSize: number; version: number; doFlag: boolean };
  records: RecordPosition[];
}

export type WalkResult = { ok: true; summary: MessageSummary } | { ok: false; reason: WalkFailure };

const HEADER = 12;
const MIN_QUESTION = 5; // root name + type + class
const MIN_RECORD = 11; // root name + type + class + ttl + rdlength
const TYPE_OPT = 41;
const MAX_NAME = 255;

/** Walk the whole message; the first question's name is decoded because every caller needs it. */
export function walkMessage(buf: Buffer): WalkResult {
  if (buf.length < HEADER) return { ok: false, reason: 'short-header' };
  const flags = buf.readUInt16BE(2);
  const qdcount = buf.readUInt16BE(4);
  const ancount = buf.readUInt16BE(6);
  const nscount = buf.readUInt16BE(8);
  const arcount = buf.readUInt16BE(10);
  // The one check that defeats the all-0xFFFF header: every entry needs a minimum size.
  if (HEADER + qdcount * MIN_QUESTION + (ancount + nscount + arcount) * MIN_RECORD > buf.length) {
    return { ok: false, reason: 'counts-exceed-length' };
  }
  const summary: MessageSummary = {
    id: buf.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    rcode: flags & 0xf,
    qdcount,
    ancount,
    nscount,
    arcount,
    records: [],
  };
  let offset = HEADER;
  for (let i = 0; i < qdcount; i++) {
    const nameStart = offset;
    const end = skipName(buf, offset);
    if (end < 0) return { ok: false, reason: nameFailure(end) };
    if (end + 4 > buf.length) return { ok: false, reason: 'truncated-section' };
    if (i === 0) {
      const name = readLiteralName(buf, nameStart);
      // The first name of a message cannot be compressed: there is nothing earlier to point at.
      if (name === null) return { ok: false, reason: 'bad-pointer' };
      summary.question = { name, type: buf.readUInt16BE(end), class: buf.readUInt16BE(end + 2), nameEnd: end };
    }
    offset = end + 4;
  }
  const sections: Array<[RecordPosition['section'], number]> = [
    ['answer', ancount],
    ['authority', nscount],
    ['additional', arcount],
  ];
  for (const [section, count] of sections) {
    for (let i = 0; i < count; i++) {
      const nameStart = offset;
      const end = skipName(buf, offset);
      if (end < 0) return { ok: false, reason: nameFailure(end) };
      if (end + 10 > buf.length) return { ok: false, reason: 'truncated-section' };
      const type = buf.readUInt16BE(end);
      const rdLength = buf.readUInt16BE(end + 8);
      const rdataOffset = end + 10;
      if (rdataOffset + rdLength > buf.length) return { ok: false, reason: 'truncated-section' };
      if (type === TYPE_OPT) {
        // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root name.
        if (section !== 'additional' || summary.opt || end !== nameStart + 1) return { ok: false, reason: 'bad-opt' };
        summary.opt = {
          udpSize: buf.readUInt16BE(end + 2),
          version: buf[end + 5],
          doFlag: (buf[end + 6] & 0x80) !== 0,
        };
      }
      summary.records.push({ section, type, ttlOffset: end + 4, rdataOffset, rdLength });
      offset = rdataOffset + rdLength;
    }
  }
  if (offset !== buf.length) return { ok: false, reason: 'trailing-bytes' };
  return { ok: true, summary };
}

const ERR_TRUNCATED = -1;
const ERR_LABEL = -2;
const ERR_POINTER = -3;
const ERR_LONG = -4;

function nameFailure(code: number): WalkFailure {
  if (code === ERR_LABEL) return 'bad-label';
  if (code === ERR_POINTER) return 'bad-pointer';
  if (code === ERR_LONG) return 'name-too-long';
  return 'truncated-section';
}

/** Offset just past the name at `offset`, or a negative error code. Pointers must point backwards. */
function skipName(buf: Buffer, offset: number): number {
  let total = 1;
  let pos = offset;
  for (;;) {
    if (pos >= buf.length) return ERR_TRUNCATED;
    const len = buf[pos];
    if (len === 0) return pos + 1;
    const tag = len & 0xc0;
    if (tag === 0xc0) {
      if (pos + 1 >= buf.length) return ERR_TRUNCATED;
      const target = ((len & 0x3f) << 8) | buf[pos + 1];
      // Only a prior occurrence may be referenced (RFC 1035 §4.1.4); forward or self pointers are how loops start.
      if (target < HEADER || target >= offset) return ERR_POINTER;
      return pos + 2;
    }
    if (tag !== 0) return ERR_LABEL;
    total += len + 1;
    if (total > MAX_NAME) return ERR_LONG;
    pos += len + 1;
  }
}

/** Dotted text of an uncompressed name (null when it contains a pointer). Call only after skipName accepted it. */
function readLiteralName(buf: Buffer, offset: number): string | null {
  const labels: string[] = [];
  let pos = offset;
  for (;;) {
    const len = buf[pos];
    if (len === 0) return labels.join('.');
    if (len & 0xc0) return null;
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len));
    pos += len + 1;
  }
}
