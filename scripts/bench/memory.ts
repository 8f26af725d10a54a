// Memory benchmark: RSS of the appliance idle, during and after N devices announce, then with the features a
// branch uses active (autogroups over the fleet, alert checks, /metrics scrapes, the device list paged and
// exported, the history chart), after a quiet half minute, and after the whole fleet announces again —
// against a bare `node` process with the same flags in the same run. By default the appliance is the
// esbuild bundle under plain node with the heap flags of `npm start` and of the binary (no tsx compiler in
// the process); --binary runs the single executable itself (npm run build:binary). Last, the appliance is
// restarted on the same data (what every reboot of the Pi does: all devices loaded from the store).
// Each figure is RSS with its split: anon (heap, stacks, malloc: what really takes the Pi's RAM) and file
// (pages of the node binary and libraries, which the kernel can drop and read again).
//   npx tsx scripts/bench/memory.ts [--count 10000] [--binary dist/instant-on-edge-linux-x64] [--plain]
//   BENCH_NODE_FLAGS="--max-semi-space-size=2" npx tsx scripts/bench/memory.ts   # other heap flags
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { APPLIANCE_NODE_FLAGS, BENCH_GROUPS, BENCH_METRICS_TOKEN, bareNodeRssMb, startBenchAppliance } from './lib/appliance.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, binary: { type: 'string' }, plain: { type: 'boolean', default: false } } });
const N = Number(values.count);
const nodeFlags = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : APPLIANCE_NODE_FLAGS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (n: number) => Math.round(n / 1048576);

const bare = await bareNodeRssMb(nodeFlags);
const dataDir = mkdtempSync(join(tmpdir(), 'ioe-mem-'));
let app = await startBenchAppliance({ binary: values.binary, nodeFlags, dataDir });
const rows: [string, string][] = [];
const heap = async () => {
  const m = (await app.call('GET', '/api/v1/status')).body.memory;
  return `heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB`;
};
const row = async (what: string, extra = '') => {
  const { anon, file } = app.rssSplitMb();
  rows.push([what, `${app.rssMb()} MB RSS = ${anon} anon + ${file} file (${await heap()})${extra}`]);
};
try {
  await sleep(3000);
  await row('idle');
  const fleet = new Fleet({ count: N, serialPrefix: 'MEM', resolveTarget: async () => ({ host: '127.0.0.1', port: app.announcePort }) });
  let t0 = performance.now();
  const first = await fleet.announceAll('initial-boot', { concurrency: 32 });
  const rate = Math.round(N / ((performance.now() - t0) / 1000));
  await sleep(2000);
  await row(`${N} devices announced`, `; peak ${app.peakRssMb()} MB during the intake, ${rate} ann/s, ${first.Success} accepted`);
  if (!values.plain) {
    for (const g of BENCH_GROUPS) {
      const r = await app.call('POST', '/api/v1/groups', g);
      if (r.status !== 201 && r.status !== 200) throw new Error(`group ${g.name}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const groups = (await app.call('GET', '/api/v1/groups')).body.groups as { id: string; name: string; memberCount: number }[];
    for (let i = 0; i < 3; i++) await app.call('POST', '/api/v1/alerts/check');
    for (let i = 0; i < 3; i++) await app.call('GET', '/metrics', undefined, { authorization: `Bearer ${BENCH_METRICS_TOKEN}` });
    let listed = 0;
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: any = (await app.call('GET', `/api/v1/devices?limit=1000&counts=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
      listed += page.devices.length;
      cursor = page.nextCursor;
    }
    const csv = await app.call('GET', '/api/v1/devices.csv');
    for (const g of groups) await app.call('GET', `/api/v1/groups/${g.id}/members?limit=1000`);
    await app.call('GET', '/api/v1/stats/history?step=hour');
    await sleep(2000);
    await row(`+ ${groups.length} autogroups, alert checks, /metrics, device list and CSV`,
      `; members ${groups.map((g) => g.memberCount).join('/')}; listed ${listed}, CSV ${Math.round(csv.bytes / 1024)} KB`);
  }
  await sleep(30_000);
  await row('after 30 s quiet');
  t0 = performance.now();
  const again = await fleet.announceAll('power-cycle', { concurrency: 32 });
  const rate2 = Math.round(N / ((performance.now() - t0) / 1000));
  await sleep(2000);
  await row('the fleet announces again', `; peak ${app.peakRssMb()} MB, ${rate2} ann/s, ${again.Success} accepted`);
  await app.stop();
  const t1 = performance.now();
  app = await startBenchAppliance({ binary: values.binary, nodeFlags, dataDir });
  const startSeconds = (performance.now() - t1) / 1000;
  await sleep(5000);
  await row(`restarted on the same data`, `; peak ${app.peakRssMb()} MB, ready after ${startSeconds.toFixed(1)} s`);
} finally {
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`memory benchmark: ${N} devices, node ${process.version}, ${values.binary ? `binary ${values.binary}` : `bundle under plain node ${nodeFlags.join(' ')}`}`);
console.log(`bare node process          : ${bare} MB RSS (baseline, same flags)`);
for (const [what, v] of rows) console.log(`${what.padEnd(27)}: ${v}`);
