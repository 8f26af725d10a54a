// The appliance as the memory and event-loop benchmarks run it: the esbuild bundle under plain node with the
// heap flags `npm start` and the binary use (or the single binary itself), in a child process with a fresh
// data folder, optionally with the event-loop probe preloaded; plus its API as a signed-in client.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { bundle, randomPort } from './proc.ts';

/** The flags of `npm start` and of the binary's SEA config (scripts/binary/sea.ts). */
export const APPLIANCE_NODE_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=256'];
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';
const root = new URL('../../../', import.meta.url).pathname;

export interface LoopReading { p50: number; p99: number; max: number; mean: number; samples: number; stalls: { at: number; ms: number }[]; memory: NodeJS.MemoryUsage }

export interface BenchAppliance {
  child: ChildProcess;
  dataDir: string;
  announcePort: number;
  webPort: number;
  /** A JSON call with the admin's session; answers with status and parsed body (text when not JSON). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; bytes: number }>;
  rssMb(): number;
  /** RSS split: private memory (heap, stacks, malloc) and pages of files (the node binary, libraries), which the kernel can drop and reread. */
  rssSplitMb(): { anon: number; file: number };
  peakRssMb(): number;
  /** Event-loop delay since the last reset (only with `probe`). */
  loop: { reset(): Promise<void>; read(): Promise<LoopReading> };
  stop(): Promise<void>;
}

const statusMb = (pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile') =>
  Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

let bundled: Promise<string> | undefined;
/** The CLI bundled once per bench process (packages stay external, as in the other benchmarks). */
export function applianceBundle(): Promise<string> {
  bundled ??= bundle(join(root, 'appliance/src/cli.ts'), `appliance-${process.pid}`);
  return bundled;
}

/** `dataDir`: start on that folder and leave it (a restart over the devices of an earlier run); else a fresh one, removed at stop. */
export async function startBenchAppliance(opts: { binary?: string; nodeFlags?: string[]; probe?: boolean; env?: NodeJS.ProcessEnv; dataDir?: string } = {}): Promise<BenchAppliance> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ioe-bench-app-'));
  const announcePort = randomPort();
  const webPort = randomPort();
  const args = ['serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(announcePort), '--web-port', String(webPort), '--dns-port', '0'];
  const env = { ...process.env, INSTANT_ON_ADMIN_PASSWORD: 'bench-password', INSTANT_ON_LOG_LEVEL: 'warn', INSTANT_ON_LOG_FORMAT: 'json',
    INSTANT_ON_MAX_CONN_PER_SOURCE: '64', INSTANT_ON_METRICS_TOKEN: BENCH_METRICS_TOKEN, ...opts.env };
  const stdio: ('ignore' | 'pipe' | 'ipc')[] = ['ignore', 'pipe', 'pipe', 'ipc'];
  const child = opts.binary
    ? spawn(opts.binary, args, { env, stdio })
    : spawn(process.execPath, [...(opts.nodeFlags ?? APPLIANCE_NODE_FLAGS), ...(opts.probe ? [`--import=${join(root, 'scripts/bench/lib/loop-probe.mjs')}`] : []),
      await applianceBundle(), ...args], { env, stdio });
  let out = '';
  const collect = (c: Buffer) => { out = (out + c).slice(-100_000); };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited: number | null | undefined;
  child.once('exit', (code) => { exited = code; });
  let token = '';
  const call: BenchAppliance['call'] = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: webPort, method, path, rejectUnauthorized: false,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON: CSV, metrics text */ }
        resolve({ status: res.statusCode ?? 0, body: parsed, bytes: Buffer.byteLength(text) });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
  // Ready when the web port answers (it starts after 3329 and DNS); the log stays at warn, so no ready line.
  for (const until = Date.now() + 120_000; ;) {
    if (exited !== undefined) throw new Error(`appliance exited ${exited}: ${out.slice(-2000)}`);
    if (Date.now() > until) throw new Error(`appliance not ready after 120 s: ${out.slice(-2000)}`);
    const health = await call('GET', '/api/v1/health').catch(() => undefined);
    if (health?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await call('POST', '/api/v1/login', { username: 'admin', password: 'bench-password' });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  token = login.body.token;

  const ask = (probe: 'reset' | 'read') => new Promise<any>((resolve, reject) => {
    if (!opts.probe || !child.connected) return reject(new Error('the appliance runs without the event-loop probe'));
    const timer = setTimeout(() => reject(new Error('event-loop probe did not answer')), 30_000);
    const on = (m: any) => { if (m?.probe === probe) { clearTimeout(timer); child.off('message', on); resolve(m); } };
    child.on('message', on);
    child.send({ probe });
  });
  return {
    child, dataDir, announcePort, webPort, call,
    rssMb: () => statusMb(child.pid!, 'VmRSS'),
    rssSplitMb: () => ({ anon: statusMb(child.pid!, 'RssAnon'), file: statusMb(child.pid!, 'RssFile') }),
    peakRssMb: () => statusMb(child.pid!, 'VmHWM'),
    loop: { reset: async () => { await ask('reset'); }, read: () => ask('read') },
    stop: async () => {
      child.removeAllListeners('exit');
      if (child.exitCode === null) {
        await new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 15_000).unref(); });
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** RSS of a bare `node` process with the same flags: what any Node program costs before its own code. */
export async function bareNodeRssMb(nodeFlags = APPLIANCE_NODE_FLAGS): Promise<number> {
  const bare = spawn(process.execPath, [...nodeFlags, '-e', 'setTimeout(() => {}, 60000)']);
  await new Promise((r) => setTimeout(r, 500));
  const rss = statusMb(bare.pid!, 'VmRSS');
  bare.kill();
  return rss;
}

/** Groups of the kinds a branch writes, over what the simulated printers announce (5 models, 127.0.x.y). */
export const BENCH_GROUPS = [
  { name: 'M611 printers', kind: 'auto', priority: 10, filter: { field: 'model', op: 'contains', value: 'M611' } },
  { name: 'First subnets', kind: 'auto', priority: 20, filter: { field: 'ipv4', op: 'inRange', value: '127.0.1.0-127.0.10.255' } },
  { name: 'Colour on 127.0.2x', kind: 'auto', priority: 30, filter: { all: [{ field: 'model', op: 'contains', value: 'color' }, { field: 'ipv4', op: 'glob', value: '127.0.2?.*' }] } },
  { name: 'Announced, not assessed', kind: 'auto', priority: 40, filter: { all: [{ field: 'foundBy', op: 'equals', value: 'announcement' }, { field: 'compliance', op: 'equals', value: 'not-assessed' }] } },
  { name: 'Host names NPI0*', kind: 'auto', priority: 50, filter: { field: 'hostname', op: 'glob', value: 'npi0*' } },
];
