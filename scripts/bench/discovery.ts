// Discovery benchmark (issue 14): N silent simulated printers (real SNMP agents that never announce, with an
// injected reply delay) on their own addresses in a /22 of loopback; the appliance (a child process) sweeps
// the /22, qualifies what answers and remediates the new printers with a policy. Prints the sweep time
// against its bound, computed in the same run from the settings the sweep ran with:
//   bound = max(addresses × timeout × (retries + 1) ÷ concurrency, addresses ÷ rate)
// (every address costs at most one probe timeout, `concurrency` at a time; no more than `rate` start a
// second), the datagrams sent, and the peak RSS of the appliance and of the agents' process.
//   npx tsx scripts/bench/discovery.ts [--count 200] [--delay-ms 10] [--concurrency 256] [--timeout-ms 500]
//        [--retries 0] [--rate 2000] [--branch-defaults]   (as root: agents on port 161)
// --branch-defaults also runs the sweep with the shipped defaults (50/s, 32 at once, 1000 ms, 1 retry).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { settingsSchema } from '../../appliance/src/config/schema.ts';
import { startChild, peakRssMb, stop, randomPort, apiCall as call } from './lib/proc.ts';

const { values } = parseArgs({ options: {
  count: { type: 'string', default: '200' }, 'delay-ms': { type: 'string', default: '10' }, concurrency: { type: 'string', default: '256' },
  'timeout-ms': { type: 'string', default: '500' }, retries: { type: 'string', default: '0' }, rate: { type: 'string', default: '2000' },
  'branch-defaults': { type: 'boolean', default: false },
} });
const N = Number(values.count);
const DELAY = Number(values['delay-ms']);
const root = new URL('../../', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
const snmpPort = isRoot ? 161 : randomPort();

// A /22 of its own: 127.<S>.<4k>.0/22, printers from .1 of its first /24 on (250 per /24).
const s = 100 + Math.floor(Math.random() * 100);
const third = 4 * Math.floor(Math.random() * 64);
const cidr = `127.${s}.${third}.0/22`;
const ADDRESSES = 1022;
if (N > 1000) throw new Error('at most 1000 printers fit this /22 layout');

interface Knobs { rate: number; concurrency: number; timeoutMs: number; retries: number }

async function sweep(knobs: Knobs, fleet: Fleet) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-discovery-'));
  const wp = randomPort();
  // The heap limits npm start and the binary run with, so the RSS is the appliance's own.
  const proc = await startChild(['--max-semi-space-size=2', '--max-old-space-size=256', '--import=tsx', join(root, 'appliance/src/cli.ts'), 'serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(randomPort()),
    '--web-port', String(wp), '--dns-port', '0'], /admin page and API ready/,
  { INSTANT_ON_ADMIN_PASSWORD: 'bench-password', INSTANT_ON_LOG_LEVEL: 'info', INSTANT_ON_DISCOVERY_RATE: String(knobs.rate),
    INSTANT_ON_DISCOVERY_CONCURRENCY: String(knobs.concurrency), INSTANT_ON_DISCOVERY_TIMEOUT_MS: String(knobs.timeoutMs),
    INSTANT_ON_DISCOVERY_RETRIES: String(knobs.retries), INSTANT_ON_SNMP_TIMEOUT_MS: '2000' }, []);
  try {
    const { token } = await call(wp, 'POST', '/api/v1/login', undefined, { username: 'admin', password: 'bench-password' });
    await call(wp, 'PUT', '/api/v1/credentials/default', token, { version: '2c', readCommunity: 'public', writeCommunity: 'private' });
    const { id: policyId } = await call(wp, 'POST', '/api/v1/policies', token, { name: 'bench', settings: { telnet: false, ftp: 'off', 'sys-location': 'Bench' } });
    for (const p of fleet.printers) p.agent!.coldReset();
    const rssIdle = peakRssMb(proc.child.pid!);
    const t0 = performance.now();
    const started = await call(wp, 'POST', '/api/v1/discovery', token, { targets: [cidr], snmpPort, assess: { policyId, remediate: true } });
    if (!started.taskId) throw new Error(`discovery refused: ${JSON.stringify(started)}`);
    let task: any;
    for (;;) {
      await new Promise((r) => setTimeout(r, 25));
      task = await call(wp, 'GET', `/api/v1/tasks/${started.taskId}`, token);
      if (task.state !== 'queued' && task.state !== 'running') break;
    }
    const sweepWall = (performance.now() - t0) / 1000;
    if (task.state !== 'done') throw new Error(`sweep ended ${task.state}: ${task.error}`);
    let assessment: any;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      assessment = await call(wp, 'GET', `/api/v1/tasks/${task.result.assessmentTaskId}`, token);
      if (assessment.state !== 'queued' && assessment.state !== 'running') break;
    }
    const remediatedWall = (performance.now() - t0) / 1000;
    const rss = peakRssMb(proc.child.pid!);
    const verified = fleet.printers.every((p) => p.agent!.values().telnet === false && p.agent!.values()['sys-location'] === 'Bench');
    return { task, sweepWall, sweepRunner: task.result.durationMs / 1000, remediatedWall, assessmentState: assessment.state, rss, rssIdle, verified };
  } finally {
    await stop(proc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(label: string, k: Knobs, r: Awaited<ReturnType<typeof sweep>>) {
  const timeoutBound = (ADDRESSES * (k.timeoutMs / 1000) * (k.retries + 1)) / k.concurrency;
  const rateBound = ADDRESSES / k.rate;
  const bound = Math.max(timeoutBound, rateBound);
  const c = r.task.progress;
  const f = (x: number) => x.toFixed(2);
  console.log(`\n${label}: rate ${k.rate}/s, ${k.concurrency} at once, timeout ${k.timeoutMs} ms × ${k.retries + 1} attempt(s)`);
  console.log(`  found ${c.found} (new ${c.new}), not a printer ${c.notPrinter}, no answer ${c.noAnswer}, unidentified ${c.unidentified}, errors ${c.errors}`);
  console.log(`  sweep ${f(r.sweepRunner)} s (runner) / ${f(r.sweepWall)} s (API, polled)   bound: addresses × timeout ÷ concurrency = ${f(timeoutBound)} s, addresses ÷ rate = ${f(rateBound)} s`);
  console.log(`  sweep / bound = ${(r.sweepRunner / bound).toFixed(2)}× (goal ≤ 1.5×)`);
  console.log(`  datagrams sent by the appliance: ${c.packets} (${(c.packets / ADDRESSES).toFixed(2)} per address: a probe, or several with retries, plus the identity reads of each printer)`);
  console.log(`  swept + ${N} new printers remediated (assessment ${r.assessmentState}, verified on every agent: ${r.verified}) after ${f(r.remediatedWall)} s`);
  console.log(`  appliance peak RSS ${r.rss} MB (${r.rssIdle} MB after start-up, before the sweep)`);
  if (c.found !== N || !r.verified) process.exitCode = 1;
}

const fleet = new Fleet({ count: N, serialPrefix: 'BENCH', firstIndex: 0, address: (i) => `127.${s}.${third + Math.floor(i / 250)}.${1 + (i % 250)}`,
  resolveTarget: async () => { throw new Error('silent printers never announce'); } });
const t = performance.now();
await fleet.startAgents({ port: snmpPort, delayMs: DELAY });
console.log(`discovery benchmark: ${N} silent printers in ${cidr} (${ADDRESSES} addresses), port ${snmpPort}, ${DELAY} ms SNMP reply delay, node ${process.version}`);
console.log(`started ${N} SNMP agents in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const bench: Knobs = { rate: Number(values.rate), concurrency: Number(values.concurrency), timeoutMs: Number(values['timeout-ms']), retries: Number(values.retries) };
report('bench settings', bench, await sweep(bench, fleet));
if (values['branch-defaults']) {
  const d: Knobs = { rate: settingsSchema.discoveryRate.default, concurrency: settingsSchema.discoveryConcurrency.default,
    timeoutMs: settingsSchema.discoveryTimeoutMs.default, retries: settingsSchema.discoveryRetries.default };
  report('branch defaults', d, await sweep(d, fleet));
}
console.log(`\nagents' process peak RSS ${peakRssMb(process.pid)} MB`);
await fleet.stop();
