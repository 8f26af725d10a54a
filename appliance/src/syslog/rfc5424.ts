// RFC 5424 messages. Written here rather than taken from npm: the packages there either send no
// STRUCTURED-DATA (syslog-client), do not escape PARAM-VALUEs (glossy: a '"' or ']' in a printer's model
// string would break the element at the collector), or drag in moment.js for one timestamp (syslog-pro). The
// format itself is one ABNF page; the clause numbers below are RFC 5424's.
export const SEVERITY = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;
export type Severity = keyof typeof SEVERITY;
export const FACILITY = { audit: 13, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23 } as const;

/**
 * Private Enterprise Number in our SD-IDs ("name@PEN", §7.2.2). 32473 is the number IANA reserves for
 * documentation and examples (RFC 5612); an operator with its own PEN can grep/replace it at the collector.
 */
export const ENTERPRISE_NUMBER = 32473;

export type ParamValue = string | number | boolean | null | undefined;
export interface SdElement {
  /** An SD-ID: IANA-registered ("origin", "meta") or "name@PEN". */
  id: string;
  /** Array values become repeated PARAM-NAMEs, which §6.3.3 allows. */
  params: Record<string, ParamValue | ParamValue[]>;
}

export interface SyslogMessage {
  facility: number;
  severity: Severity;
  timestamp?: Date;
  hostname: string;
  appName: string;
  procId?: string;
  msgId: string;
  structuredData: SdElement[];
  message: string;
}

const BOM = '\uFEFF';
const MAX_PARAM_VALUE = 512;

/** PRINTUSASCII (%d33-126) of at most `max` characters, or the NILVALUE "-" when nothing is left (§6.2). */
function header(field: string | undefined, max: number): string {
  const v = (field ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return v || '-';
}

/** SD-NAME (§6.3.2): PRINTUSASCII except '=', SP, ']', '"', at most 32. */
function sdName(name: string): string {
  return name.replace(/[^\x21-\x7e]|[=\]"]/g, '').slice(0, 32);
}

/**
 * Characters that end or forge a line, drive a terminal or make text read other than it is, wherever a
 * collector writes it: C0 (line feed and tab included) and C1 controls (NEL, U+0085, is a line break to some),
 * DEL, the line and paragraph separators, bidirectional controls and marks, zero-width characters, the BOM,
 * and lone surrogates. Unauthenticated text gets here: the user name of a failed sign-in is in the audit event.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** PARAM-VALUE (§6.3.3): UTF-8 with '"', '\' and ']' escaped; unsafe characters become spaces (no forged lines). */
export function escapeParamValue(value: string): string {
  return value.replace(UNSAFE, ' ').slice(0, MAX_PARAM_VALUE).replace(/["\\\]]/g, (c) => `\\${c}`);
}

function element(e: SdElement): string {
  const id = sdName(e.id);
  if (!id) return '';
  let out = `[${id}`;
  for (const [rawName, raw] of Object.entries(e.params)) {
    const name = sdName(rawName);
    if (!name) continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (v === undefined || v === null) continue;
      out += ` ${name}="${escapeParamValue(String(v))}"`;
    }
  }
  return `${out}]`;
}

/** Cuts a string to at most `bytes` UTF-8 bytes without splitting a character. */
function cutUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  let end = Math.max(0, bytes);
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * One message as text, at most `maxBytes` UTF-8 bytes: the MSG is cut first, then trailing SD-ELEMENTs are
 * left out (the header and the first element always stay).
 */
export function formatRfc5424(m: SyslogMessage, maxBytes = 8192): string {
  const pri = m.facility * 8 + SEVERITY[m.severity];
  // §6.2.3: RFC 3339 with fractional seconds; always UTC here.
  const head = `<${pri}>1 ${(m.timestamp ?? new Date()).toISOString()} ${header(m.hostname, 255)} ${header(m.appName, 48)} ${header(m.procId ?? String(process.pid), 128)} ${header(m.msgId, 32)} `;
  const elements = m.structuredData.map(element).filter(Boolean);
  let sd = '';
  for (const [i, e] of elements.entries()) {
    if (i > 0 && Buffer.byteLength(head + sd + e) > maxBytes - 16) break;
    sd += e;
  }
  sd ||= '-';
  // §6.4: a UTF-8 MSG starts with the BOM so collectors know it is UTF-8.
  // One message is one line: a line feed in it would be a second, forged, line in a collector's file.
  const msg = m.message.replace(UNSAFE, ' ');
  const room = maxBytes - Buffer.byteLength(head + sd) - 1 - Buffer.byteLength(BOM);
  if (!msg || room <= 0) return cutUtf8(head + sd, maxBytes);
  return `${head}${sd} ${BOM}${cutUtf8(msg, room)}`;
}

/** RFC 6587 §3.4.1 / RFC 5425 §4.3 octet counting: "MSG-LEN SP SYSLOG-MSG". */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
