// HDAP/1 message bodies (HDAP.md §4, §5) as zod schemas: the one place where announcement data enters.
import { z } from 'zod';

export const ANNOUNCE_REASONS = ['initial-boot', 'power-cycle', 'link-up', 'ip-change', 'hostname-change',
  'cold-reset', 'periodic', 'manual'] as const;
export type AnnounceReason = (typeof ANNOUNCE_REASONS)[number];

export const ACK_REASONS = ['ok', 'discovery-disabled', 'auth-required', 'auth-failed', 'serial-not-listed',
  'malformed', 'unsupported-version', 'loop-detected', 'busy'] as const;
export type AckReason = (typeof ACK_REASONS)[number];

// Characters that make a stored string lie when shown: C0/C1 controls and DEL (terminal escapes, log-line
// forgery, CSV cells), bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069:
// "Trojan Source", a serial or model that reads differently than it sorts), the implicit direction marks,
// zero-width characters and the line/paragraph separators. Lone surrogates cannot be stored as UTF-8 at all.
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MAX_DETAIL = 256;

/** Why `s` may not be stored or shown as it is, naming the first offending character; null when it is fine. */
export function unsafeCharacter(s: string): string | null {
  const m = UNSAFE_CHAR.exec(s);
  if (!m) return null;
  const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control, bidirectional-override or invisible characters (U+${code} at offset ${m.index})`;
}

const clean = (detail: string) => detail.replace(new RegExp(UNSAFE_CHAR.source, 'g'), '?').slice(0, MAX_DETAIL);

/** Every string of an announcement is one of these: checked for unsafe characters before anything else. */
const text = () => z.string().superRefine((s, ctx) => {
  const why = unsafeCharacter(s);
  if (why) ctx.addIssue({ code: 'custom', message: why, abort: true });
});

/** An enumerated string: refused by name for unsafe characters first, like every other string. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => text().pipe(z.enum(values));

const uuid = text().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
const isoTime = text().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most.
const hostname = text().max(253).regex(/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/, 'must be an RFC 1123 host name');
const ipv4 = text().regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, 'must be an IPv4 address');
const ipv6 = text().refine((s) => { try { return new URL(`http://[${s}]/`).hostname.length > 2; } catch { return false; } }, 'must be an IPv6 address');

export const serialNumberSchema = text().regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1–32 of A-Z a-z 0-9 -');

export const forwardHopSchema = z.object({
  listenerId: text().min(1).max(128),
  peerAddress: text().min(1).max(64),
  receivedAt: isoTime,
});
export type ForwardHop = z.infer<typeof forwardHopSchema>;

export const deviceSchema = z.object({
  serialNumber: serialNumberSchema,
  macAddress: text().regex(/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i, 'must be six hex octets'),
  model: text().min(1).max(128).regex(/^[\x20-\x7e\u00a0-\uffff]+$/, 'must be printable characters'),
  ipv4: ipv4.optional(),
  ipv6: z.array(ipv6).max(16).optional(),
  hostname: hostname.optional(),
  firmware: text().max(64).optional(),
  authMode: oneOf(['none', 'mutual-preferred', 'mutual-required']).optional(),
  snmpPort: z.number().int().min(1).max(65535).default(161),
});
export type AnnouncedDevice = z.infer<typeof deviceSchema>;

export const announcementSchema = z.object({
  messageId: uuid,
  sentAt: isoTime,
  reason: oneOf(ANNOUNCE_REASONS),
  device: deviceSchema,
  // More than 8 hops is a loop or abuse; the listener turns that into loop-detected, so allow a little
  // more here and let the caller decide with a named reason rather than a generic malformed.
  forwardedBy: z.array(forwardHopSchema).max(64).optional(),
});
export type Announcement = z.infer<typeof announcementSchema>;

export const acknowledgeSchema = z.object({
  messageId: z.string(),
  status: z.enum(['accepted', 'rejected']),
  reason: z.enum(ACK_REASONS),
  authMethod: z.enum(['anonymous', 'mutual']),
  retryAfterSeconds: z.number().int().min(0).default(0),
  /** With `malformed`: the field and the rule it broke, so a device's log (or its developer) can say why.
   *  An addition to HDAP.md §5; clients that do not know it ignore it. */
  detail: z.string().max(MAX_DETAIL).optional(),
});
export type Acknowledge = z.infer<typeof acknowledgeSchema>;

// A Uint8Array and TextDecoder, not Buffer: the API contract (and so the page's type check, which has no Node
// types) reaches this file through the group schemas. Invalid UTF-8 becomes U+FFFD, as Buffer#toString does.
const utf8 = new TextDecoder('utf-8');

export type DecodeResult =
  | { ok: true; announcement: Announcement }
  | { ok: false; reason: 'malformed'; detail: string; messageId?: string };

/** Parses and validates an Announcement body; a failure names the field and the rule it broke. */
export function decodeAnnouncement(body: Uint8Array): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch (err) {
    // V8 quotes the offending input in its message: what goes back out and into the log is made safe.
    return { ok: false, reason: 'malformed', detail: clean(`invalid JSON: ${(err as Error).message}`) };
  }
  const parsed = announcementSchema.safeParse(json);
  if (parsed.success) return { ok: true, announcement: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue.path.join('.') || '(body)';
  // The messageId is echoed in the Acknowledge and logged: only a clean UUID-shaped one is worth echoing.
  const rawId = (json as any)?.messageId;
  const messageId = typeof rawId === 'string' && /^[0-9a-f-]{1,64}$/i.test(rawId) ? rawId : undefined;
  return { ok: false, reason: 'malformed', detail: clean(`${path}: ${issue.message}`), messageId };
}

export type AckDecodeResult = { ok: true; ack: Acknowledge } | { ok: false; detail: string };

/** Parses and validates an Acknowledge body (the device and relaying side of §5). */
export function decodeAcknowledge(body: Uint8Array): AckDecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch (err) {
    return { ok: false, detail: `invalid JSON: ${(err as Error).message}` };
  }
  const parsed = acknowledgeSchema.safeParse(json);
  if (parsed.success) return { ok: true, ack: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, detail: `invalid Acknowledge: ${issue.path.join('.') || '(body)'}: ${issue.message}` };
}
