// Just enough BER (X.690) for the simulated agents' extra answers: the few messages net-snmp's agent
// cannot produce itself (usmStats reports, tooBig). Not a general codec.

export function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

export function int(tag: number, n: number): Buffer {
  const bytes: number[] = [];
  let v = n >>> 0;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0); // keep it non-negative
  return tlv(tag, Buffer.from(bytes));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
export const octets = (b: Buffer | string) => tlv(0x04, Buffer.isBuffer(b) ? b : Buffer.from(b));

/** Reads one TLV header at `at`; returns the body span. Throws on truncation. */
export function header(buf: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = buf[at];
  let n = buf[at + 1];
  let start = at + 2;
  if (n & 0x80) {
    const count = n & 0x7f;
    if (count > 4) throw new Error('BER length too long');
    n = 0;
    for (let i = 0; i < count; i++) n = n * 256 + buf[start + i];
    start += count;
  }
  const end = start + n;
  if (tag === undefined || end > buf.length) throw new Error('truncated BER');
  return { tag, start, end };
}

export function readInt(buf: Buffer, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 256 + buf[i];
  return v;
}

