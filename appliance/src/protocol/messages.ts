// HDAP/1 message bodies (HDAP.md §4, §5) as zod schemas: the one place where announcement data enters.
import { z } from 'zod';

export const ANNOUNCE_REASONS = ['initial-boot', 'power-cycle', 'link-up', 'ip-change', 'hostname-change',
  'cold-reset', 'periodic', 'manual'] as const;
export type AnnounceReason = (typeof ANNOUNCE_REASONS)[number];

export const ACK_REASONS = ['ok', 'discovery-disabled', 'auth-required', 'auth-failed', 'serial-not-listed',
  'malformed', 'unsupported-version', 'loop-detected', 'busy'] as const;
export type AckReason = (typeof ACK_REASONS)[number];

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most.
const hostname = z.string().max(253).regex(/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/, 'must be an RFC 1123 host name');
const ipv4 = z.string().regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, 'must be an IPv4 address');
const ipv6 = z.string().refine((s) => { try { return new URL(`http://[${s}]/`).hostname.length > 2; } catch { return false; } }, 'must be an IPv6 address');

export const serialNumberSchema = z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1–32 of A-Z a-z 0-9 -');

export const forwardHopSchema = z.object({
  listenerId: z.string().min(1).max(128),
  peerAddress: z.string().min(1).max(64),
  receivedAt: isoTime,
});
export type ForwardHop = z.infer<typeof forwardHopSchema>;

export const deviceSchema = z.object({
  serialNumber: serialNumberSchema,
  macAddress: z.string().regex(/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i, 'must be six hex octets'),
  model: z.string().min(1).max(128).regex(/^[\x20-\x7e\u00a0-\uffff]+$/, 'must be printable characters'),
  ipv4: ipv4.optional(),
  ipv6: z.array(ipv6).max(16).optional(),
  hostname: hostname.optional(),
  firmware: z.string().max(64).optional(),
  authMode: z.enum(['none', 'mutual-preferred', 'mutual-required']).optional(),
  snmpPort: z.number().int().min(1).max(65535).default(161),
});
export type AnnouncedDevice = z.infer<typeof deviceSchema>;

export const announcementSchema = z.object({
  messageId: uuid,
  sentAt: isoTime,
  reason: z.enum(ANNOUNCE_REASONS),
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
});
export type Acknowledge = z.infer<typeof acknowledgeSchema>;

export type DecodeResult =
  | { ok: true; announcement: Announcement }
  | { ok: false; reason: 'malformed'; detail: string; messageId?: string };

/** Parses and validates an Announcement body; a failure names the field and the rule it broke. */
export function decodeAnnouncement(body: Buffer): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: `invalid JSON: ${(err as Error).message}` };
  }
  const parsed = announcementSchema.safeParse(json);
  if (parsed.success) return { ok: true, announcement: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue.path.join('.') || '(body)';
  const messageId = typeof (json as any)?.messageId === 'string' ? String((json as any).messageId).slice(0, 64) : undefined;
  return { ok: false, reason: 'malformed', detail: `${path}: ${issue.message}`, messageId };
}
