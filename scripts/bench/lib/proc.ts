// Shared benchmark plumbing: start a server as a child process, wait for its ready line, read its peak RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export function startChild(args: string[], readyPattern: RegExp, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = ['--import=tsx']): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...process.env, INSTANT_ON_LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child not ready: ${out.slice(-2000)}`)), 60_000);
    const onData = (c: Buffer) => { out += c; if (out.length > 1e6) out = out.slice(-5e5); if (readyPattern.test(out)) { clearTimeout(timer); resolve({ child, output: () => out }); } };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`child exited ${code}: ${out.slice(-2000)}`)); });
  });
}

/** Peak resident set (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((r) => { if (child.exitCode !== null) return r(); child.removeAllListeners('exit'); child.once('exit', () => r()); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 10_000).unref(); });
}

// Below the kernel's ephemeral range (32768+), so no outgoing connection can be holding it.
export const randomPort = () => 10000 + Math.floor(Math.random() * 22000);

/**
 * Bundles an entry point with esbuild (dependencies stay external) so a benchmarked server runs under plain
 * node, as the single binary does, without the tsx compiler in its process.
 */
export async function bundle(entry: string, name: string): Promise<string> {
  const { build } = await import('esbuild');
  const root = new URL('../../../', import.meta.url).pathname;
  // Three folders below the root, as appliance/src/api/ is: the admin page is found at '../../../web/dist'
  // from the bundle as from its source file.
  const outfile = `${root}build/bench/${name}/${name}.mjs`;
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, packages: 'external', logLevel: 'warning' });
  return outfile;
}

export function startNode(args: string[], readyPattern: RegExp, env: NodeJS.ProcessEnv = {}) {
  return startChild(args, readyPattern, env, []);
}

/** A JSON call to the appliance's HTTPS API (self-signed identity, so not verified here). */
export function apiCall(port: number, method: string, path: string, token?: string, body?: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, rejectUnauthorized: false,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString() || '{}')); } catch (e) { reject(e); } });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

/** Every device, page by page (GET /api/v1/devices answers at most 1,000 at a time). */
export async function allDevicesVia(port: number, token: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const r = await apiCall(port, 'GET', `/api/v1/devices?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    if (!Array.isArray(r.devices)) throw new Error(`device list: ${JSON.stringify(r).slice(0, 300)}`);
    out.push(...r.devices);
    cursor = r.nextCursor;
  } while (cursor);
  return out;
}
