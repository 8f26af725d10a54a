// The page's one way to the API: same-origin fetch with the session cookie and the CSRF token (double
// submit: the token comes from the sign-in answer or the readable cookie). A 401 anywhere sends the page
// back to sign-in; a 404 for a route (code `not-found`) means "this appliance does not offer it yet".
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: any) { super(message); }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrf(token: string) { csrfToken = token; }
export function onUnauthorized(fn: () => void) { onSignedOut = fn; }

export function csrf(): string {
  const m = /(?:^|;\s*)__Host-ioe_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : csrfToken;
}

/**
 * True when the route itself is missing (not e.g. a missing device), or the part behind it is not running
 * on this appliance (503 `…-unavailable`): show "not available" rather than an error.
 */
export const isMissing = (e: unknown) => e instanceof ApiError && ((e.status === 404 && e.code === 'not-found') || (e.status === 503 && /unavailable$/.test(e.code)));

export async function api<T = any>(method: string, path: string, body?: unknown, opts: { text?: boolean; quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { 'x-csrf-token': csrf(), accept: 'application/json' };
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = opts.text ? 'text/plain' : 'application/json';
    payload = opts.text ? String(body) : JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'offline', 'the appliance cannot be reached');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: any = text;
  try { data = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  if (!res.ok) {
    const err = data?.error ?? {};
    if (res.status === 401 && !opts.quiet401) onSignedOut();
    throw new ApiError(res.status, err.code ?? 'error', err.message ?? `${res.status} ${res.statusText}`, err.details);
  }
  return data as T;
}

/** Per-field messages from a 400 answer's details ([{field, message}]). */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError && Array.isArray(e.details)) for (const d of e.details) if (d?.field) out[d.field] = d.message;
  return out;
}
