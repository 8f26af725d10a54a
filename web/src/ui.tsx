// Small building blocks shared by the screens.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, pathOf, type Answer, type GetRoute, type Query } from './api.ts';

export interface Loadable<T> { data?: T; error?: unknown; loading: boolean }

/**
 * A GET route of the contract, loaded when the screen shows and again when its path or `deps` change; the
 * answer is typed by the contract (`useRoute('GET /api/v1/policies')`). `null` waits (nothing to ask yet).
 */
export function useRoute<K extends GetRoute>(key: K | null, opts: { params?: Record<string, string>; query?: Query } = {}, deps: unknown[] = []) {
  const path = key ? pathOf(key, opts.params, opts.query) : null;
  const [state, setState] = useState<Loadable<Answer<K>>>({ loading: !!key });
  // Answers can arrive out of order (typing in a search box): only the newest request's answer is shown.
  const seq = useRef(0);
  const load = useCallback(async () => {
    if (!key) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await call(key, { params: opts.params as never, query: opts.query });
      if (mine === seq.current) setState({ data, loading: false });
    } catch (error) {
      if (mine === seq.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, [path, ...deps]);
  useEffect(() => { void load(); }, [load]);
  return { ...state, reload: load, setData: (data: Answer<K>) => setState({ data, loading: false }) };
}

export function Page(p: { title: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page">
      <header class="page-head"><h1>{p.title}</h1><div class="actions">{p.actions}</div></header>
      {p.children}
    </section>
  );
}

export function Card(p: { title?: ComponentChildren; children: ComponentChildren; class?: string; testid?: string }) {
  return <div class={`card ${p.class ?? ''}`} data-testid={p.testid}>{p.title && <h2>{p.title}</h2>}{p.children}</div>;
}

export function errorText(e: unknown): string {
  if (!e) return '';
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** An error, with the fields a 400 named listed in words under it. */
export function ErrorText(p: { error: unknown }) {
  if (!p.error) return null;
  const details = p.error instanceof ApiError && Array.isArray(p.error.details) ? (p.error.details as { field?: unknown; message?: unknown }[]).filter((d) => typeof d?.message === 'string') : [];
  const said = errorText(p.error);
  const extra = details.filter((d) => !said.includes(String(d.message)));
  return (
    <div class="notice error" role="alert">{said}
      {extra.length > 0 && <ul class="plain">{extra.slice(0, 20).map((d, i) => <li key={i}>{String(d.message)}</li>)}</ul>}
    </div>
  );
}

/** Loading and error states in one place; renders children once data is there. */
export function Loaded<T>(p: { q: Loadable<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (p.q.error && p.q.data === undefined) return <ErrorText error={p.q.error} />;
  if (p.q.data === undefined) return <p class="muted">Loading… <span class="sr-only">{p.what}</span></p>;
  return <>{p.children(p.q.data)}</>;
}

const STATUS_CLASS: Record<string, string> = {
  compliant: 'ok', remediated: 'ok', done: 'ok', ok: 'ok', accepted: 'ok', live: 'ok',
  'non-compliant': 'warn', unsupported: 'warn', queued: 'info', running: 'info', 'not assessed': 'muted', cancelled: 'muted', connecting: 'info',
  unreachable: 'bad', 'auth-failed': 'bad', failed: 'bad', rejected: 'bad', offline: 'bad',
};

export function Badge(p: { status: string; title?: string; label?: string }) {
  return <span class={`badge ${STATUS_CLASS[p.status] ?? 'muted'}`} title={p.title}>{p.label ?? p.status}</span>;
}

export function Progress(p: { done: number; total: number; label?: string; name?: string }) {
  const pct = p.total ? Math.round((100 * p.done) / p.total) : 0;
  return (
    <div class="progress" role="progressbar" aria-label={p.name ?? 'progress'} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-valuetext={`${p.done} of ${p.total}`}>
      <div class="bar" style={{ width: `${pct}%` }} /><span>{p.label ?? `${p.done}/${p.total}`}</span>
    </div>
  );
}

export function timeAgo(iso?: string | null): string {
  if (!iso) return '—';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return '—';
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A moment with its time zone ("29 Nov 2026, 21:04 UTC"): an admin and a log may not share one. */
// (dateStyle/timeStyle cannot be combined with timeZoneName: the fields are named one by one.)
export const fmtTime = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }) : '—');
export const fmtClock = (iso?: string | null) => (iso ? new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'short' }) : '—');

/** "3 min ago", with the exact time and zone on hover and for screen readers. */
export function When(p: { at?: string | null }) {
  return p.at ? <time dateTime={p.at} title={fmtTime(p.at)}>{timeAgo(p.at)}</time> : <>—</>;
}

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

export function Copy(p: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return <button type="button" class="small" aria-label={p.label ? `Copy ${p.label}` : undefined} onClick={() => { void navigator.clipboard?.writeText(p.text).then(() => setDone(true)); }}>{done ? 'Copied' : 'Copy'}</button>;
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
  return { busy, error, done, run, setError, setDone };
}

export function Done(p: { text?: string }) {
  return p.text ? <div class="notice ok" role="status">{p.text}</div> : null;
}

/**
 * The button that opens a row's details: a real button (reachable with Tab, opened with Enter or Space)
 * that says whether it is open, so keyboard and screen-reader users get what a click on the row gives.
 */
export function RowToggle(p: { open: boolean; onToggle: () => void; label: string; controls?: string }) {
  return (
    <button type="button" class="row-toggle" aria-expanded={p.open} aria-controls={p.controls} onClick={(e) => { e.stopPropagation(); p.onToggle(); }}>
      <span aria-hidden="true">{p.open ? '▾' : '▸'}</span><span class="sr-only">{p.open ? 'Close' : 'Open'} {p.label}</span>
    </button>
  );
}

/** A value that follows its input after a pause (a search box asks the server once typing stops). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => { const t = setTimeout(() => setV(value), ms); return () => clearTimeout(t); }, [value, ms]);
  return v;
}

/** Keyset paging: the cursors of the pages before this one, so "Previous" goes back exactly. */
export function useCursor(reset: unknown[]) {
  const [stack, setStack] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  useEffect(() => { setStack([]); setCursor(undefined); }, reset);
  return {
    cursor, page: stack.length + 1,
    next: (c: string) => { setStack([...stack, cursor ?? '']); setCursor(c); },
    prev: () => { const s = [...stack]; const c = s.pop(); setStack(s); setCursor(c || undefined); },
    first: () => { setStack([]); setCursor(undefined); },
  };
}

export function Pager(p: { page: number; hasPrev: boolean; nextCursor?: string | null; onPrev: () => void; onNext: (c: string) => void; shown: number; matched: number; what: string }) {
  return (
    <nav class="pager" aria-label={`${p.what} pages`}>
      <button type="button" class="small" disabled={!p.hasPrev} onClick={p.onPrev}>← Previous</button>
      <span class="muted" data-testid="pager-status">Page {p.page} · {p.shown} shown of {p.matched.toLocaleString()} {p.what}</span>
      <button type="button" class="small" disabled={!p.nextCursor} onClick={() => p.nextCursor && p.onNext(p.nextCursor)}>Next →</button>
    </nav>
  );
}
