// Who is signed in; starting and ending the page's session and its live connection.
import { call, onUnauthorized, setCsrf, type Answer } from './api.ts';
import { Box } from './store.ts';
import { startLive, stopLive } from './live.ts';

export type Session = Answer<'GET /api/v1/session'>;
export const session = new Box<Session | null | undefined>(undefined);

export function signedIn(s: Session | Answer<'POST /api/v1/session'>) {
  if (s.csrfToken) setCsrf(s.csrfToken);
  session.set({ ...s, via: typeof s.via === 'string' ? s.via : 'cookie' });
  // Sign-in answers do not say whether the first-start password is still in use; the session route does.
  if (!('initialPasswordFile' in s)) void call('GET /api/v1/session').then((full) => session.set({ ...s, ...full }), () => undefined);
  startLive();
}

export async function signOut() {
  await call('DELETE /api/v1/session', { quiet401: true }).catch(() => undefined);
  stopLive();
  session.set(null);
  location.hash = '#/';
}

onUnauthorized(() => { stopLive(); session.set(null); });
