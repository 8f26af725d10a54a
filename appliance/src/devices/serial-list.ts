/**
 * Serial-number list import: parses the text file an admin uploads (one serial a line) into the serials to
 * add, a count of duplicates and the rejected lines. Pure: the caller owns the store and passes the set of
 * serials it already holds.
 *
 * Serial syntax is HDAP.md §4 (`device.serialNumber`: 1–32 of A-Z a-z 0-9 -). Serials are compared exactly
 * as written (no case folding) because the filter compares them exactly against announcements.
 */

export const SERIAL_PATTERN = /^[A-Za-z0-9-]{1,32}$/;

export type SerialLineReason = 'too-long' | 'invalid-characters' | 'multiple-values';

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
    const hash = raw.indexOf('#');
    const value = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (value === '') return;
    const reason = serialProblem(value);
    if (reason) {
      const echo = value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
      result.invalid.push({ line: index + 1, text: echo, reason });
      return;
    }
    if (existing.has(value) || seen.has(value)) {
      result.duplicates += 1;
      return;
    }
    seen.add(value);
    result.added.push(value);
  });
  return result;
}
