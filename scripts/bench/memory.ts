// Memory benchmark: RSS of the appliance (bundled by esbuild and run by plain node, as the single binary
// runs it — no tsx compiler in the process) idle, then after N devices announced, then after they are all
// assessed, against a bare `node -e` process in the same run as the baseline.
//   npx tsx scripts/bench/memory.ts [--count 10000]
import { build } from 'esbuild';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { randomPort, apiCall } from './lib/proc.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' } } });
const N = Number(values.count);
const root = new URL('../../', import.meta.url).pathname;
const rss = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);
const hwm = (pid: number) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

const outfile = join(root, 'build', 'bench-appliance.mjs');
await build({ entryPoints: [join(root, 'appliance/src/cli.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20',
  outfile, packages: 'external', logLevel: 'warning' });

const bare = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
await new Promise((r) => setTimeout(r, 500));
const bareRss = rss(bare.pid!);
bare.kill();

const dataDir = mkdtempSync(join(tmpdir(), 'ioe-mem-'));
const ap = randomPort();
const wp = randomPort();
const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), outfile, 'serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(ap), '--web-port', String(wp), '--dns-port', '0'],
  { env: { ...process.env, INSTANT_ON_ADMIN_PASSWORD: 'bench-password', INSTANT_ON_LOG_LEVEL: 'warn', INSTANT_ON_MAX_CONN_PER_SOURCE: '64' }, stdio: ['ignore', 'ignore', 'inherit'] });
await new Promise((r) => setTimeout(r, 3000));
const idle = rss(child.pid!);
const fleet = new Fleet({ count: N, serialPrefix: 'MEM', resolveTarget: async () => ({ host: '127.0.0.1', port: ap }) });
const t0 = performance.now();
const summary = await fleet.announceAll('initial-boot', { concurrency: 32 });
const seconds = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 2000));
const loaded = rss(child.pid!);
const peak = hwm(child.pid!);
const { token } = await apiCall(wp, 'POST', '/api/v1/login', undefined, { username: 'admin', password: 'bench-password' });
const mem = (await apiCall(wp, 'GET', '/api/v1/status', token)).memory;
const mb = (n: number) => Math.round(n / 1048576);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
rmSync(outfile, { force: true });
console.log(`memory benchmark: ${N} devices, node ${process.version}, appliance bundled with esbuild (no tsx)`);
console.log(`bare node process RSS      : ${bareRss} MB (baseline)`);
console.log(`appliance idle RSS         : ${idle} MB`);
console.log(`appliance with ${N} devices: ${loaded} MB RSS (peak ${peak} MB during intake; ${Math.round(N / seconds)} ann/s, ${summary.Success} accepted)`);
console.log(`per device                 : ${(((loaded - idle) * 1024) / N).toFixed(1)} KB`);
console.log(`V8 heap used ${mb(mem.heapUsed)} MB of ${mb(mem.heapTotal)} MB; external ${mb(mem.external)} MB (array buffers ${mb(mem.arrayBuffers)} MB); the rest of RSS is code, LevelDB and the allocator`);
