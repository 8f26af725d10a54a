// Alerts, e-mail subscriptions, syslog status (issue 16 items 2–3). The alert kinds come from the alerts room's
// table (plain data, no network code), so a kind added there is accepted here without a second list.
import { z } from 'zod';
import { alertKinds, type AlertKind } from '../alerts/index.ts';
import { isoTime, open } from './common.ts';

const kind = z.enum(alertKinds as [AlertKind, ...AlertKind[]]);
const severity = z.enum(['warning', 'error', 'critical']);

export const subscription = z.object({
  email: z.string().trim().max(254).email('an e-mail address'),
  kinds: z.array(z.union([z.literal('*'), kind])).min(1).max(alertKinds.length + 1),
}).strict();
export const subscriptions = z.array(subscription).max(50);
export const subscriptionsPut = z.object({ subscriptions }).strict();
export const subscriptionsAnswer = z.object({ subscriptions });

export const alertRecord = open({
  id: z.string(), kind, key: z.string(), severity, title: z.string(), message: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  raisedAt: isoTime, lastSeenAt: isoTime, occurrences: z.number().int().min(1), resolvedAt: isoTime.optional(),
});
export const kindLine = open({ kind, title: z.string(), severity, open: z.number().int(), suppressed: z.number().int(), newest: z.string(), keys: z.array(z.string()) });
export const alertList = z.object({ summary: z.array(kindLine), alerts: z.array(alertRecord) });
export const alertSummary = z.object({ open: z.number().int(), kinds: z.array(kindLine) });
export const alertKindList = z.object({ kinds: z.array(open({ kind, title: z.string(), severity, mail: z.boolean(), help: z.string() })) });
export const alertListQuery = z.object({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  kind: kind.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.string().max(100).optional(),
});

export const mailStatus = open({
  configured: z.boolean(), state: z.enum(['off', 'idle', 'waiting', 'sending', 'retrying']), queued: z.number().int(), dropped: z.number().int(),
  sent: z.number().int(), subscriptions: z.number().int(), lastError: z.string().nullable(), lastSuccessAt: isoTime.nullable(),
  lastAttemptAt: isoTime.nullable(), nextAttemptAt: isoTime.nullable(), consecutiveFailures: z.number().int(),
});
export const mailTest = z.object({ to: z.string().trim().max(254).email('an e-mail address') }).strict();
export const mailTested = z.object({ ok: z.literal(true), to: z.string() });

export const syslogTarget = open({
  target: z.string(), state: z.enum(['idle', 'connecting', 'connected', 'down', 'stopped']), sent: z.number().int(), dropped: z.number().int(),
  queued: z.number().int(), lastError: z.string().nullable(), lastErrorAt: isoTime.nullable(), lastSuccessAt: isoTime.nullable(), consecutiveFailures: z.number().int(),
});
export const syslogStatus = z.object({ targets: z.array(syslogTarget) });
export const syslogTested = z.object({ queued: z.array(z.string()) });
