// Path-based calls for the screens not yet typed by the contract (groups, discovery: their rooms' helpers are
// moving them to `call`/`useRoute`). Everything else uses api.ts and ui.tsx, typed by appliance/src/contract/.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { h } from 'preact';
import { ApiError, csrf } from './api.ts';

/** @deprecated use `call(routeKey, …)` from api.ts: its answer is typed by the contract. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(method: string, path: string, body?: unknown, opts: { text?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { 'x-csrf-token': csrf(), accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = opts.text ? 'text/plain' : 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : opts.text ? String(body) : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' })
    .catch(() => { throw new ApiError(0, 'offline', 'the appliance cannot be reached'); });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = text;
  try { data = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'error', err?.message ?? `${res.status} ${res.statusText}`, err?.details);
  }
  return data as T;
}

/** @deprecated use `useRoute(routeKey, …)` from ui.tsx. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useApi<T = any>(path: string | null, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: !!path });
  const load = useCallback(async () => {
    if (!path) return;
    setState((s) => ({ ...s, loading: true }));
    try { setState({ data: await api<T>('GET', path), loading: false }); } catch (error) { setState({ error, loading: false }); }
  }, [path, ...deps]);
  useEffect(() => { void load(); }, [load]);
  return { ...state, missing: false, reload: load, setData: (data: T) => setState({ data, loading: false }) };
}

/** @deprecated every route exists now; kept so the screens above compile unchanged. */
export function NotAvailable(p: { what: string }) {
  return h('div', { class: 'notice muted' }, `${p.what} is not available.`);
}
