// net-snmp's agent silently drops an SNMPv3 request whose digest or encryption does not check out,
// while real agents (Net-SNMP's snmpd, printers) answer with a usmStats Report (RFC 3414 §3.2 step 6/8).
// The simulated printers should behave like the real ones, so this builds that Report by hand: a few
// BER helpers, enough to read the request's msgID/flags and write one unauthenticated Report PDU.

/** RFC 3414 usmStats counters we report. */
export const USM_WRONG_DIGESTS = '1.3.6.1.6.3.15.1.1.5.0';
export const USM_DECRYPTION_ERRORS = '1.3.6.1.6.3.15.1.1.6.0';
// What net-snmp's own agent engine reports (it never advances its clock), so our Report agrees with it.
const ENGINE_BOOTS = 0;
const ENGINE_TIME = 10;

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

function int(tag: number, n: number): Buffer {
  const bytes: number[] = [];
  let v = n >>> 0;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0); // keep it non-negative
  return tlv(tag, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const octets = (b: Buffer | string) => tlv(0x04, Buffer.isBuffer(b) ? b : Buffer.from(b));

/** Reads one TLV header at `at`; returns the body span. Throws on truncation. */
function header(buf: Buffer, at: number): { tag: number; start: number; end: number } {
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

function readInt(buf: Buffer, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 256 + buf[i];
  return v;
}

/** msgID and whether the sender asked for reports; undefined when the datagram is not SNMPv3. */
export function parseV3Header(buf: Buffer): { msgId: number; reportable: boolean } | undefined {
  try {
    const msg = header(buf, 0);
    const version = header(buf, msg.start);
    if (msg.tag !== 0x30 || version.tag !== 0x02 || readInt(buf, version.start, version.end) !== 3) return undefined;
    const global = header(buf, version.end);
    const msgId = header(buf, global.start);
    const maxSize = header(buf, msgId.end);
    const flags = header(buf, maxSize.end);
    return { msgId: readInt(buf, msgId.start, msgId.end), reportable: (buf[flags.start] & 0x04) !== 0 };
  } catch {
    return undefined;
  }
}

/** An unauthenticated SNMPv3 Report carrying one usmStats counter, answering msgId. */
export function buildUsmReport(msgId: number, engineId: Buffer, counterOid: string, count: number): Buffer {
  const usm = seq(octets(engineId), int(0x02, ENGINE_BOOTS), int(0x02, ENGINE_TIME), octets(''), octets(''), octets(''));
  const varbind = seq(oid(counterOid), int(0x41, count));
  const pdu = tlv(0xa8, Buffer.concat([int(0x02, 0), int(0x02, 0), int(0x02, 0), seq(varbind)]));
  const scoped = seq(octets(engineId), octets(''), pdu);
  const global = seq(int(0x02, msgId), int(0x02, 65507), octets(Buffer.from([0x00])), int(0x02, 3));
  return seq(int(0x02, 3), global, octets(usm), scoped);
}
