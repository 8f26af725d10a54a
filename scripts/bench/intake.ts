// Intake benchmark (issue 2): N announcements from simulated printers at concurrency C, against the appliance
// and against a bare TLS server that only reads a frame and answers a fixed ack, in the same run.
// Prints announcements/s for both, the ratio, p50/p99 acknowledge latency and the servers' peak RSS.
// The bare server is also run with TLS session resumption (each printer offering the ticket of its previous
// connection): 3329 issues no tickets (pki/tls-profile.ts), so every announcement is a full handshake, and
// the difference between those two passes is what that costs. The appliance runs with the heap flags of the
// binary and `npm start`; --alt-flags runs a second appliance with other node flags in the same run.
//   npx tsx scripts/bench/intake.ts [--count N] [--concurrency C] [--rounds 3] [--alt-flags="--optimize-for-size ..."]
import tls from 'node:tls';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { announce, newAnnouncement } from '../../appliance/src/sim/daa-client.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { hdapCodec } from '../../appliance/src/protocol/index.ts';
import { startNode, peakRssMb, percentile, stop, randomPort, bundle } from './lib/proc.ts';
import { APPLIANCE_NODE_FLAGS } from './lib/appliance.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '16' }, 'alt-flags': { type: 'string' }, rounds: { type: 'string', default: '3' } } });
const N = Number(values.count);
const C = Number(values.concurrency);
const root = new URL('../../', import.meta.url).pathname;

interface Pass { perSecond: number; p50: number; p99: number; failed: number; resumed: number; cpuMs: number }

/** CPU time (user + system) the server process has used so far, in ms: unlike a rate, hardly moved by the machine's other load. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** One exchange offering `session` for resumption; resolves with whether it was resumed and the ticket to offer next time. */
function announceResuming(port: number, p: SimPrinter, session: Buffer | undefined): Promise<{ resumed: boolean; session?: Buffer }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    const decoder = hdapCodec.createDecoder();
    const socket = tls.connect({ host: '127.0.0.1', port, localAddress: p.address, rejectUnauthorized: false, minVersion: 'TLSv1.2', session } as tls.ConnectionOptions);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('timeout')); }, 15_000);
    socket.on('session', (s) => { ticket = s; });
    socket.once('secureConnect', () => socket.write(hdapCodec.encodeAnnouncement(newAnnouncement(p.deviceInfo(), 'power-cycle'))));
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) {
        clearTimeout(timer);
        const ok = hdapCodec.decodeAcknowledge(frame).ok;
        const resumed = socket.isSessionReused();
        // The ticket of a TLS 1.3 handshake may follow the Acknowledge by a moment.
        setImmediate(() => { socket.destroy(); if (ok) resolve({ resumed, session: ticket }); else reject(new Error('bad answer')); });
        return;
      }
    });
    socket.on('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

async function load(port: number, pid: number, opts: { sessions?: Map<number, Buffer> } = {}): Promise<Pass> {
  const cpu0 = cpuMsOf(pid);
  const printers = Array.from({ length: N }, (_, i) => new SimPrinter({ index: i, serialPrefix: 'BENCH', resolveTarget: async () => ({ host: '127.0.0.1', port }) }));
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let resumed = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => {
    for (let i = next++; i < N; i = next++) {
      const p = printers[i];
      const s = performance.now();
      try {
        if (opts.sessions) {
          const r = await announceResuming(port, p, opts.sessions.get(i));
          if (r.resumed) resumed++;
          if (r.session) opts.sessions.set(i, r.session);
        } else {
          const ack = await announce({ host: '127.0.0.1', port, localAddress: p.address }, newAnnouncement(p.deviceInfo(), 'initial-boot'));
          if (ack.status !== 'accepted') failed++;
        }
      } catch { failed++; }
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: N / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed, resumed, cpuMs: (cpuMsOf(pid) - cpu0) / N };
}

// Both servers are bundled and run by plain node, as the single binary runs the appliance. All servers stay
// up; rounds alternate between them (the order rotating) and each figure is the median round, because on a
// shared 2-core machine the load of the moment moves single passes more than the servers differ.
const bareJs = await bundle(join(root, 'scripts/bench/bare-tls-server.ts'), 'bare');
const appJs = await bundle(join(root, 'appliance/src/cli.ts'), 'appliance');
const bareProc = await startNode([bareJs, String(randomPort())], /bare server ready/);
const barePort = Number((bareProc.child.spawnargs.at(-1)));
const dataDirs: string[] = [];
async function startAppliance(flags: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-bench-'));
  dataDirs.push(dataDir);
  const port = randomPort();
  const proc = await startNode([...flags, appJs, 'serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(port),
    '--web-port', String(randomPort()), '--dns-port', '0'], /admin page and API ready/, { INSTANT_ON_ADMIN_PASSWORD: 'bench-password' });
  return { proc, port };
}
const altFlags = values['alt-flags']?.split(' ').filter(Boolean);
const apps = [{ name: APPLIANCE_NODE_FLAGS.join(' '), ...(await startAppliance(APPLIANCE_NODE_FLAGS)) },
  ...(altFlags ? [{ name: altFlags.join(' '), ...(await startAppliance(altFlags)) }] : [])];

const barePid = bareProc.child.pid!;
await load(barePort, barePid); // warm-up: JIT and TLS machinery
const sessions = new Map<number, Buffer>();
await load(barePort, barePid, { sessions }); // full handshakes that hand out the tickets
const fresh = new Map<string, Pass>();
for (const a of apps) fresh.set(a.name, await load(a.port, a.proc.child.pid!)); // the first pass creates N devices
const runs = new Map<string, Pass[]>();
const kinds: [string, () => Promise<Pass>][] = [
  ['bare', () => load(barePort, barePid)],
  ['bare-resumed', () => load(barePort, barePid, { sessions })],
  ...apps.map((a) => [a.name, () => load(a.port, a.proc.child.pid!)] as [string, () => Promise<Pass>]),
];
const ROUNDS = Number(values.rounds);
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < kinds.length; k++) {
    const [name, run] = kinds[(k + r) % kinds.length];
    runs.set(name, [...(runs.get(name) ?? []), await run()]);
  }
}
const bareRss = peakRssMb(bareProc.child.pid!);
const appRss = apps.map((a) => peakRssMb(a.proc.child.pid!));
await stop(bareProc.child);
for (const a of apps) await stop(a.proc.child);
for (const d of dataDirs) rmSync(d, { recursive: true, force: true });

const median = (name: string): Pass => { const all = [...runs.get(name)!].sort((a, b) => a.perSecond - b.perSecond); return all[Math.floor(all.length / 2)]; };
const f = (n: number) => n.toFixed(1);
const line = (p: Pass) => `${Math.round(p.perSecond)} ann/s  p50 ${f(p.p50)} ms  p99 ${f(p.p99)} ms  server CPU ${p.cpuMs.toFixed(2)} ms/ann  failed ${p.failed}`;
const cpuMedian = (name: string) => { const all = runs.get(name)!.map((p) => p.cpuMs).sort((a, b) => a - b); return all[Math.floor(all.length / 2)]; };
const rounds = (name: string) => runs.get(name)!.map((p) => Math.round(p.perSecond)).join(' · ');
const bare = median('bare');
const bareResumed = median('bare-resumed');
console.log(`intake benchmark: ${N} announcements, concurrency ${C}, node ${process.version}, median of ${ROUNDS} rounds (ann/s of each round after the colon)`);
console.log(`bare TLS server, full handshakes : ${line(bare)}  peak RSS ${bareRss} MB : ${rounds('bare')}`);
console.log(`bare TLS server, resumed sessions: ${line(bareResumed)}  (${bareResumed.resumed} of ${N} resumed) : ${rounds('bare-resumed')}`);
console.log(`  a full handshake instead of a resumed one: ${(cpuMedian('bare') - cpuMedian('bare-resumed')).toFixed(2)} ms more server CPU per announcement (median ${cpuMedian('bare').toFixed(2)} vs ${cpuMedian('bare-resumed').toFixed(2)}); rate ${(bare.perSecond / bareResumed.perSecond).toFixed(2)}× the resumed one`);
apps.forEach((a, i) => {
  const again = median(a.name);
  console.log(`appliance (${a.name}):`);
  console.log(`  new devices : ${line(fresh.get(a.name)!)}`);
  console.log(`  re-announce : ${line(again)}  peak RSS ${appRss[i]} MB : ${rounds(a.name)}`);
  console.log(`  ratio appliance/bare: ${(again.perSecond / bare.perSecond).toFixed(2)} (new devices: ${(fresh.get(a.name)!.perSecond / bare.perSecond).toFixed(2)}); server CPU per announcement ${(cpuMedian(a.name) / cpuMedian('bare')).toFixed(2)}× the bare server's (medians)`);
});
