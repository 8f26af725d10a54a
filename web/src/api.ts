// The page's one way to the API: same-origin fetch with the session cookie and the CSRF token (double
// submit: the token comes from the sign-in answer or the readable cookie). A 401 anywhere sends the page
// back to sign-in. Calls are named by the contract's route keys (`call('GET /api/v1/devices', …)`), so what
// the page sends and reads is typed by appliance/src/contract/ — a route that changes is a type error here.
import type { Answer, Body, RouteKey } from '../../appliance/src/contract/index.ts';

export type { Answer, Body, RouteKey };
export type GetRoute = Extract<RouteKey, `GET ${string}`>;

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) { super(message); }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function setCsrf(token: string) { csrfToken = token; }
export function onUnauthorized(fn: () => void) { onSignedOut = fn; }

export function csrf(): string {
  const m = /(?:^|;\s*)__Host-ioe_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : csrfToken;
}

type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;
type ParamsOf<P extends string> = P extends `${string}:${infer N}/${infer R}` ? N | ParamsOf<`/${R}`> : P extends `${string}:${infer N}` ? N : never;
export type Query = Record<string, string | number | boolean | undefined | null>;

export interface CallOptions<K extends RouteKey> {
  params?: Record<ParamsOf<PathOf<K>>, string>;
  query?: Query;
  body?: Body<K>;
  /** A text/plain body (the serial-number list). */
  text?: string;
  /** A 401 does not end the page's session (sign-in itself, the first question after a reload). */
  quiet401?: boolean;
}

/** The path of a route with its parameters filled in and its query appended (empty values left out). */
export function pathOf(key: RouteKey, params?: Record<string, string>, query?: Query): string {
  let path = key.slice(key.indexOf(' ') + 1).replace(/:([A-Za-z]+)/g, (_, n: string) => encodeURIComponent(params?.[n] ?? ''));
  const q = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (q.length) path += `?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
  return path;
}

/** Calls a route of the contract and answers what it says it answers. */
export function call<K extends RouteKey>(key: K, opts: CallOptions<K> = {}): Promise<Answer<K>> {
  const method = key.slice(0, key.indexOf(' '));
  return request(method, pathOf(key, opts.params as Record<string, string> | undefined, opts.query), opts.text ?? opts.body, { text: opts.text !== undefined, quiet401: opts.quiet401 }) as Promise<Answer<K>>;
}

/** A route whose answer is text (a CSR, a PEM): the text as sent. */
export async function callText(key: RouteKey, opts: { params?: Record<string, string>; query?: Query } = {}): Promise<string> {
  const r = await request(key.slice(0, key.indexOf(' ')), pathOf(key, opts.params, opts.query), undefined, {});
  return typeof r === 'string' ? r : JSON.stringify(r);
}

async function request(method: string, path: string, body: unknown, opts: { text?: boolean; quiet401?: boolean }): Promise<unknown> {
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
  if (res.status === 204) return undefined;
  const text = await res.text();
  let data: unknown = text;
  try { data = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  if (!res.ok) {
    const err = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (res.status === 401 && !opts.quiet401) onSignedOut();
    throw new ApiError(res.status, typeof err?.code === 'string' ? err.code : 'error', typeof err?.message === 'string' ? err.message : `${res.status} ${res.statusText}`, err?.details);
  }
  return data;
}

/** Per-field messages from a 400 answer's details ([{ field, message }]), keyed by the field's dotted path. */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError && Array.isArray(e.details)) {
    for (const d of e.details as unknown[]) {
      const f = d as { field?: unknown; message?: unknown };
      if (typeof f?.field === 'string' && typeof f.message === 'string') out[f.field] = f.message;
    }
  }
  return out;
}

/** How long to wait before trying again, from a 429's details. */
export function retryAfter(e: unknown): number | undefined {
  const d = e instanceof ApiError ? (e.details as { retryAfterSeconds?: unknown } | undefined) : undefined;
  return typeof d?.retryAfterSeconds === 'number' ? d.retryAfterSeconds : undefined;
}
