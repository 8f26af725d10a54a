import { z } from 'zod';
import { isoTime, open } from './common.ts';

export const login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export const loginAnswer = open({ token: z.string(), expiresAt: isoTime });
/** A cookie session just started (sign-in, password change from the page). */
export const cookieSession = open({ username: z.string(), csrfToken: z.string(), expiresAt: isoTime, idleTimeoutSeconds: z.number() });
export const session = open({
  username: z.string(), via: z.string(), expiresAt: isoTime.optional(), initialPasswordFile: z.boolean().optional(),
  csrfToken: z.string().optional(), idleTimeoutSeconds: z.number().optional(), scope: z.unknown().optional(),
});
export const passwordChange = z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) });
/** A page (cookie) session continues with a fresh session (its fields); a bearer caller gets a new token. */
export const passwordChanged = z.union([
  cookieSession.extend({ changed: z.literal(true) }),
  open({ changed: z.literal(true), username: z.string(), token: z.string(), expiresAt: isoTime }),
]);

/** A named API token as listed: never its secret or hash; `prefix` tells tokens apart in a script. */
export const apiToken = open({ id: z.string(), name: z.string(), scope: z.enum(['read', 'admin']), prefix: z.string(), createdAt: isoTime,
  createdBy: z.string(), lastUsedAt: isoTime.optional() });
export const tokenList = open({ tokens: z.array(apiToken) });
/** POST /api/v1/tokens: the secret is in this answer only. */
export const tokenInput = z.object({
  name: z.string().trim().min(1).max(64).regex(/^[\w .@:-]+$/, 'letters, digits, space and ._@:- only'),
  scope: z.enum(['read', 'admin']).default('read'),
}).strict();
export const tokenMade = open({ token: apiToken, secret: z.string() });
