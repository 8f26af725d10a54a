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
export const passwordChanged = open({ changed: z.literal(true), username: z.string().optional() });
