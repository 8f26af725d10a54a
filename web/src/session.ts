// Who is signed in; starting and ending the page's session and its live connection.
import { api, onUnauthorized, setCsrf } from './api.ts';
import { Box } from './store.ts';
import { startLive, stopLive } from './live.ts';

export interface Session { username: string; csrfToken?: string; expiresAt: string; initialPasswordFile?: boolean }
export const session = new Box<Session | null | undefined>(undefined);

export function signedIn(s: Session) {
  if (s.csrfToken) setCsrf(s.csrfToken);
  session.set(s);
  // Sign-in answers do not say whether the first-start password is still in use; the session route does.
  if (s.initialPasswordFile === undefined) void api<Session>('GET', '/api/v1/session').then((full) => session.set({ ...s, ...full }), () => undefined);
  startLive();
}

export async function signOut() {
  await api('DELETE', '/api/v1/session', undefined, { quiet401: true }).catch(() => undefined);
  stopLive();
  session.set(null);
  location.hash = '#/';
}

onUnauthorized(() => { stopLive(); session.set(null); });
