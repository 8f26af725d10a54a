// Starts a real appliance in-process on loopback with ephemeral ports and a temp data dir, for system tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Appliance } from '../../appliance/src/system/controller.ts';
import { silentLogger, createRootLogger } from '../../appliance/src/util/log.ts';
import type { SettingKey } from '../../appliance/src/config/schema.ts';

export const ADMIN_PASSWORD = 'test-admin-pw';

export async function startTestAppliance(opts: { dataDir?: string; cli?: Partial<Record<SettingKey, unknown>>; env?: Record<string, string>; logs?: boolean; captureLogs?: string[] } = {}) {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ioe-test-'));
  const capture = opts.captureLogs;
  const sink = capture ? new Writable({ write(chunk, _enc, cb) { capture.push(String(chunk)); cb(); } }) : undefined;
  const appliance = await Appliance.start({
    cli: { dataDir, host: '127.0.0.1', announcePort: 0, webPort: 0, dnsPort: 0, ...opts.cli },
    env: { INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD, INSTANT_ON_CONTRACT_CHECK: '1', ...opts.env },
    log: sink ? createRootLogger({ level: 'debug', destination: sink }) : opts.logs ? createRootLogger({ level: 'debug', json: true }) : silentLogger(),
  });
  return {
    appliance, dataDir,
    async stop(keepData = false) {
      await appliance.stop(500);
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Minimal HTTPS JSON client for the API (self-signed identity, so no verification here). */
export async function api(port: number, method: string, path: string, opts: { token?: string; body?: unknown; text?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const payload = opts.text ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const req = request({ host: '127.0.0.1', port, method, path, rejectUnauthorized: false, headers: {
      ...(payload !== undefined ? { 'content-type': opts.text !== undefined ? 'text/plain' : 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any = text;
        try { body = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body, headers: new Headers(res.headers as Record<string, string>) });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export async function login(port: number, password = ADMIN_PASSWORD): Promise<string> {
  const r = await api(port, 'POST', '/api/v1/login', { body: { username: 'admin', password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** Polls until fn returns a truthy value (or throws after timeoutMs with the last value in the message). */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 10_000, stepMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

/** Every device, following the list's cursor (GET /api/v1/devices answers one page at a time). */
export async function allDevices(port: number, token: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const r = await api(port, 'GET', `/api/v1/devices?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (r.status !== 200) throw new Error(`device list: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    out.push(...r.body.devices);
    cursor = r.body.nextCursor;
  } while (cursor);
  return out;
}
