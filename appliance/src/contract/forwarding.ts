import { z } from 'zod';
import { isoTime, open } from './common.ts';

const host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or an IP address');
/** POST /api/v1/listeners. */
export const listenerInput = z.object({
  host,
  port: z.number().int().min(1).max(65535).default(3329),
  validateIdentityCertificate: z.boolean().default(true),
  enabled: z.boolean().default(true),
  name: z.string().max(100).optional(),
}).strict();
/** PUT /api/v1/listeners/:id: any of the fields. */
export const listenerPatch = z.object({
  host, port: z.number().int().min(1).max(65535), validateIdentityCertificate: z.boolean(), enabled: z.boolean(), name: z.string().max(100),
}).partial().strict();

/** Why the last relay to a listener failed: a code and a sentence (shown as is on the Forwarding screen). */
export const relayError = open({ at: isoTime, code: z.string(), message: z.string() });
export const listenerStatus = open({
  state: z.enum(['idle', 'sending', 'backing-off', 'stopped']), lastSuccessAt: isoTime.nullable(), lastAttemptAt: isoTime.nullable(),
  lastError: relayError.nullable(), consecutiveFailures: z.number(), nextAttemptAt: isoTime.nullable(), delivered: z.number(),
  refused: z.record(z.string(), z.number()), backlog: z.number(), backlogBytes: z.number(),
});
export const listener = open({ id: z.string(), host: z.string(), port: z.number(), enabled: z.boolean(), validateIdentityCertificate: z.boolean(),
  name: z.string().optional(), createdAt: isoTime, status: listenerStatus });
export type ListenerView = z.infer<typeof listener>;
export const listenerList = open({ listeners: z.array(listener) });
/** The outbox as a whole: its caps, what it dropped (by reason) and the drops it is alerting about. */
export const forwarding = open({
  listeners: z.number(), backlog: z.number(), backlogBytes: z.number(), peakBytes: z.number(),
  caps: open({ maxEntries: z.number(), maxBytes: z.number(), maxAgeMs: z.number() }),
  dropped: z.record(z.string(), z.number()), alerts: z.array(relayError), duplicatesIgnored: z.number(),
});
