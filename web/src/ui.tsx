// Small building blocks shared by the screens.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, isMissing } from './api.ts';

export function useApi<T = any>(path: string | null, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: !!path });
  const load = useCallback(async () => {
    if (!path) return;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await api<T>('GET', path);
      setState({ data, loading: false });
    } catch (error) {
      setState({ error, loading: false });
    }
  }, [path, ...deps]);
  useEffect(() => { void load(); }, [load]);
  return { ...state, missing: isMissing(state.error), reload: load, setData: (data: T) => setState({ data, loading: false }) };
}

export function Page(p: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page">
      <header class="page-head"><h1>{p.title}</h1><div class="actions">{p.actions}</div></header>
      {p.children}
    </section>
  );
}

export function Card(p: { title?: ComponentChildren; children: ComponentChildren; class?: string }) {
  return <div class={`card ${p.class ?? ''}`}>{p.title && <h2>{p.title}</h2>}{p.children}</div>;
}

export function NotAvailable(p: { what: string }) {
  return <div class="notice muted" data-testid="not-available"><strong>Not available yet.</strong> This appliance does not offer {p.what} (its API route answered 404). It appears here once that part is installed.</div>;
}

export function ErrorText(p: { error: unknown }) {
  if (!p.error) return null;
  const msg = p.error instanceof ApiError ? p.error.message : String((p.error as any)?.message ?? p.error);
  return <div class="notice error" role="alert">{msg}</div>;
}

/** Loading, missing route and error states in one place; renders children once data is there. */
export function Loaded<T>(p: { q: { data?: T; error?: unknown; loading: boolean; missing: boolean }; what: string; children: (data: T) => ComponentChildren }) {
  if (p.q.missing) return <NotAvailable what={p.what} />;
  if (p.q.error) return <ErrorText error={p.q.error} />;
  if (p.q.data === undefined) return <p class="muted">Loading…</p>;
  return <>{p.children(p.q.data)}</>;
}

const STATUS_CLASS: Record<string, string> = {
  compliant: 'ok', remediated: 'ok', done: 'ok', ok: 'ok', accepted: 'ok', live: 'ok',
  'non-compliant': 'warn', unsupported: 'warn', queued: 'info', running: 'info', 'not assessed': 'muted', cancelled: 'muted', connecting: 'info',
  held: 'warn', unreachable: 'bad', 'auth-failed': 'bad', failed: 'bad', rejected: 'bad', offline: 'bad',
};

export function Badge(p: { status: string; title?: string }) {
  return <span class={`badge ${STATUS_CLASS[p.status] ?? 'muted'}`} title={p.title}>{p.status}</span>;
}

export function Progress(p: { done: number; total: number; label?: string }) {
  const pct = p.total ? Math.round((100 * p.done) / p.total) : 0;
  return (
    <div class="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} title={`${p.done}/${p.total}`}>
      <div class="bar" style={{ width: `${pct}%` }} /><span>{p.label ?? `${p.done}/${p.total}`}</span>
    </div>
  );
}

export function timeAgo(iso?: string): string {
  if (!iso) return '—';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return '—';
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export const fmtTime = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '—');

export function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (v === true) return 'on';
  if (v === false) return 'off';
  if (typeof v === 'string') return v === '' ? '""' : v;
  // A stored secret is shown as that, never as its value (the API does not have it either).
  if (typeof v === 'object' && (v as { set?: unknown }).set === true) return '(secret, stored)';
  return JSON.stringify(v);
}

export function Json(p: { value: unknown }) {
  return <pre class="json">{JSON.stringify(p.value, null, 2)}</pre>;
}

export function Copy(p: { text: string }) {
  const [done, setDone] = useState(false);
  return <button type="button" class="small" onClick={() => { void navigator.clipboard?.writeText(p.text).then(() => setDone(true)); }}>{done ? 'Copied' : 'Copy'}</button>;
}

/** Run an async action with a busy flag and an error to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const run = async (fn: () => Promise<string | void>) => {
    setBusy(true); setError(undefined); setDone(undefined);
    try { const msg = await fn(); if (msg) setDone(msg); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return { busy, error, done, run, setError };
}

export function Done(p: { text?: string }) {
  return p.text ? <div class="notice ok" role="status">{p.text}</div> : null;
}
