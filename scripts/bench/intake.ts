// Intake benchmark (issue 2): N announcements from simulated printers at concurrency C, against the appliance
// and against a bare TLS server that only reads a frame and answers a fixed ack, in the same run.
// Prints announcements/s for both, the ratio, p50/p99 acknowledge latency and the servers' peak RSS.
//   npx tsx scripts/bench/intake.ts [--count N] [--concurrency C]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { announce, newAnnouncement } from '../../appliance/src/sim/daa-client.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { startNode, peakRssMb, percentile, stop, randomPort, bundle } from './lib/proc.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '16' } } });
const N = Number(values.count);
const C = Number(values.concurrency);
const root = new URL('../../', import.meta.url).pathname;

async function load(port: number): Promise<{ perSecond: number; p50: number; p99: number; failed: number }> {
  const printers = Array.from({ length: N }, (_, i) => new SimPrinter({ index: i, serialPrefix: 'BENCH', resolveTarget: async () => ({ host: '127.0.0.1', port }) }));
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    for (let i = next++; i < N; i = next++) {
      const p = printers[i];
      const s = performance.now();
      try {
        const ack = await announce({ host: '127.0.0.1', port, localAddress: p.address }, newAnnouncement(p.deviceInfo(), 'initial-boot'));
        if (ack.status !== 'accepted') failed++;
      } catch { failed++; }
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: N / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

// Both servers are bundled and run by plain node, as the single binary runs the appliance.
const bareJs = await bundle(join(root, 'scripts/bench/bare-tls-server.ts'), 'bare');
const appJs = await bundle(join(root, 'appliance/src/cli.ts'), 'appliance');
const bareProc = await startNode([bareJs, String(randomPort())], /bare server ready/);
const barePort = Number((bareProc.child.spawnargs.at(-1)));
await load(barePort); // warm-up: JIT and TLS session machinery
const bare = await load(barePort);
const bareRss = peakRssMb(bareProc.child.pid!);
await stop(bareProc.child);

const dataDir = mkdtempSync(join(tmpdir(), 'ioe-bench-'));
const ap = randomPort();
const appProc = await startNode([appJs, 'serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(ap),
  '--web-port', String(randomPort()), '--dns-port', '0'], /admin page and API ready/, { INSTANT_ON_ADMIN_PASSWORD: 'bench-password' });
const appWarm = await load(ap); // first pass creates N devices; the measured pass re-announces them
const app = await load(ap);
const appRss = peakRssMb(appProc.child.pid!);
await stop(appProc.child);
rmSync(dataDir, { recursive: true, force: true });

const f = (n: number) => n.toFixed(1);
console.log(`intake benchmark: ${N} announcements, concurrency ${C}, node ${process.version}`);
console.log(`bare TLS server : ${Math.round(bare.perSecond)} ann/s  p50 ${f(bare.p50)} ms  p99 ${f(bare.p99)} ms  peak RSS ${bareRss} MB  failed ${bare.failed}`);
console.log(`appliance (new) : ${Math.round(appWarm.perSecond)} ann/s  p50 ${f(appWarm.p50)} ms  p99 ${f(appWarm.p99)} ms  failed ${appWarm.failed}`);
console.log(`appliance       : ${Math.round(app.perSecond)} ann/s  p50 ${f(app.p50)} ms  p99 ${f(app.p99)} ms  peak RSS ${appRss} MB  failed ${app.failed}`);
console.log(`ratio appliance/bare: ${(app.perSecond / bare.perSecond).toFixed(2)} (new devices: ${(appWarm.perSecond / bare.perSecond).toFixed(2)})`);
