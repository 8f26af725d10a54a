/**
 * Serial-number list import: parses the text file an admin uploads (one serial a line) into the serials to
 * add, a count of duplicates and the rejected lines. Pure: the caller owns the store and passes the set of
 * serials it already holds. `SerialListReader` does the same on a stream of chunks, holding one line at a
 * time and a bounded report (counts plus the first problems), so a file of a million lines costs no more
 * memory than one of ten.
 *
 * Serial syntax is HDAP.md §4 (`device.serialNumber`: 1–32 of A-Z a-z 0-9 -). Serials are compared exactly
 * as written (no case folding) because the filter compares them exactly against announcements.
 */

export const SERIAL_PATTERN = /^[A-Za-z0-9-]{1,32}$/;

export type SerialLineReason = 'too-long' | 'invalid-characters' | 'multiple-values' | 'line-too-long' | 'list-full';

export interface InvalidSerialLine {
  /** 1-based line number in the imported file. */
  line: number;
  /** The line as written, without its comment, trimmed. */
  text: string;
  reason: SerialLineReason;
}

export interface SerialImport {
  /** New serials in file order, each once. */
  added: string[];
  /** Lines naming a serial already in the existing set or earlier in the same file. */
  duplicates: number;
  invalid: InvalidSerialLine[];
}

/** Longest line text echoed back in a report, so a pasted binary blob cannot bloat the answer. */
const MAX_ECHO = 80;

export function isValidSerial(value: string): boolean {
  return SERIAL_PATTERN.test(value);
}

/** Why `value` (already trimmed and non-empty) is not a serial, or undefined if it is one. */
export function serialProblem(value: string): SerialLineReason | undefined {
  if (SERIAL_PATTERN.test(value)) return undefined;
  if (/\s/.test(value)) return 'multiple-values';
  if (/^[A-Za-z0-9-]+$/.test(value)) return 'too-long';
  return 'invalid-characters';
}

/** How one line (without its line end) counts: skipped (blank or comment), a serial, or a problem. */
function classifyLine(raw: string): { value?: string; reason?: SerialLineReason; echo?: string } {
  const hash = raw.indexOf('#');
  const value = (hash === -1 ? raw : raw.slice(0, hash)).trim();
  if (value === '') return {};
  const reason = serialProblem(value);
  if (reason) return { reason, echo: value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value };
  return { value };
}

/** A line longer than this (bytes) is not a serial-list line, whatever it holds; only its start is kept. */
export const MAX_LINE_BYTES = 1024;

export interface SerialListReport {
  /** New serials in file order, each once (at most `maxNew`). */
  added: string[];
  duplicates: number;
  /** Every rejected line is counted here… */
  invalidCount: number;
  /** …and the first `maxProblems` of them are described. */
  invalid: InvalidSerialLine[];
  /** Valid new serials beyond `maxNew` (the list would grow past its bound): not added. */
  listFull: number;
  lines: number;
}

export interface SerialListReaderOptions {
  /** Serials already on the list (counted as duplicates). */
  isListed?: (serial: string) => boolean;
  /** Most new serials this import may add. */
  maxNew?: number;
  maxProblems?: number;
}

/**
 * Streaming parser: push() chunks as they arrive, end() for the report. Same rules as parseSerialList (a
 * `#` comment anywhere, blank lines skipped, LF/CRLF/CR line ends, a leading UTF-8 BOM ignored); the line
 * buffer is fixed-size, and line text is copied out of the chunk, so no chunk outlives its own push().
 */
export class SerialListReader {
  private readonly line = Buffer.alloc(MAX_LINE_BYTES);
  private lineLength = 0;
  private lineOverlong = false;
  private afterCR = false;
  private lineNo = 0;
  private atStart = true;
  private readonly seen = new Set<string>();
  private readonly report: SerialListReport = { added: [], duplicates: 0, invalidCount: 0, invalid: [], listFull: 0, lines: 0 };
  private readonly isListed: (serial: string) => boolean;
  private readonly maxNew: number;
  private readonly maxProblems: number;

  constructor(opts: SerialListReaderOptions = {}) {
    this.isListed = opts.isListed ?? (() => false);
    this.maxNew = opts.maxNew ?? Infinity;
    this.maxProblems = opts.maxProblems ?? 100;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== 0x0a && b !== 0x0d) continue;
      if (b === 0x0a && this.afterCR && i === start) {
        // The LF of a CRLF: its CR (just before, maybe at the end of the previous chunk) ended the line.
        this.afterCR = false;
        start = i + 1;
        continue;
      }
      this.append(chunk, start, i);
      this.finishLine();
      this.afterCR = b === 0x0d;
      start = i + 1;
    }
    if (start < chunk.length) { this.append(chunk, start, chunk.length); this.afterCR = false; }
  }

  end(): SerialListReport {
    if (this.lineLength > 0 || this.lineOverlong) this.finishLine();
    return this.report;
  }

  private append(chunk: Buffer, from: number, to: number) {
    const room = MAX_LINE_BYTES - this.lineLength;
    const n = Math.min(room, to - from);
    if (n > 0) { chunk.copy(this.line, this.lineLength, from, from + n); this.lineLength += n; }
    if (to - from > n) this.lineOverlong = true;
  }

  private finishLine() {
    this.lineNo++;
    this.report.lines = this.lineNo;
    let from = 0;
    if (this.atStart) {
      this.atStart = false;
      if (this.lineLength >= 3 && this.line[0] === 0xef && this.line[1] === 0xbb && this.line[2] === 0xbf) from = 3;
    }
    const text = this.line.toString('utf8', from, this.lineLength);
    const overlong = this.lineOverlong;
    this.lineLength = 0;
    this.lineOverlong = false;
    if (overlong) { this.problem({ line: this.lineNo, text: `${text.slice(0, MAX_ECHO)}…`, reason: 'line-too-long' }); return; }
    const c = classifyLine(text);
    if (c.reason) { this.problem({ line: this.lineNo, text: c.echo!, reason: c.reason }); return; }
    if (!c.value) return;
    if (this.isListed(c.value) || this.seen.has(c.value)) { this.report.duplicates++; return; }
    if (this.seen.size >= this.maxNew) { this.report.listFull++; return; }
    this.seen.add(c.value);
    this.report.added.push(c.value);
  }

  private problem(p: InvalidSerialLine) {
    this.report.invalidCount++;
    if (this.report.invalid.length < this.maxProblems) this.report.invalid.push(p);
  }
}

/**
 * Parses an imported serial list. `#` starts a comment anywhere on a line; blank and comment-only lines are
 * skipped. Accepts LF, CRLF and CR line ends and ignores a leading UTF-8 BOM (files saved by Windows tools).
 */
export function parseSerialList(text: string, existing: ReadonlySet<string> = new Set()): SerialImport {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const seen = new Set<string>();
  const result: SerialImport = { added: [], duplicates: 0, invalid: [] };
  const lines = body.split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const { value, reason, echo } = classifyLine(raw);
    if (reason) {
      result.invalid.push({ line: index + 1, text: echo!, reason });
      return;
    }
    if (!value) return;
    if (existing.has(value) || seen.has(value)) {
      result.duplicates += 1;
      return;
    }
    seen.add(value);
    result.added.push(value);
  });
  return result;
}
