// Fleet benchmark (issue 5): N simulated printers (real SNMP agents with an injected reply delay) announce at
// once; a policy over every catalog setting, 8 of them non-compliant on each printer. Measures the time from
// the first announcement until every device is verified compliant, in compatibility mode (the vendor
// product's model) and in the default mode, in the same run, against the appliance running as a child.
//   npx tsx scripts/bench/fleet.ts [--count 1000] [--delay-ms 10]
// Knobs: BENCH_MAX_DEVICES=N (maxConcurrentDevices of the default mode), BENCH_SKIP_COMPAT=1 (default mode only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { CATALOG } from '../../appliance/src/policy/catalog.ts';
import { startChild, peakRssMb, stop, randomPort } from './lib/proc.ts';
import { apiCall, allDevicesVia } from './lib/proc.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, 'delay-ms': { type: 'string', default: '10' } } });
const N = Number(values.count);
const DELAY = Number(values['delay-ms']);
const root = new URL('../../', import.meta.url).pathname;

const call = apiCall;

// 8 settings the factory default gets wrong, the other 8 already right.
const policySettings: Record<string, boolean | string> = {};
const wrong = new Set(['telnet', 'ftp', 'slp', 'lpd', 'tftp-config', 'llmnr', 'sys-location', 'sys-contact']);
for (const s of CATALOG) {
  if (wrong.has(s.id)) policySettings[s.id] = s.valueType === 'boolean' ? !s.factoryDefault : `bench ${s.id}`;
  else policySettings[s.id] = s.factoryDefault as boolean | string;
}

async function run(mode: 'compatibility' | 'default', fleet: Fleet) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-fleet-'));
  const ap = randomPort();
  const wp = randomPort();
  const proc = await startChild([...(process.env.BENCH_APP_FLAGS?.split(' ') ?? []), join(root, 'appliance/src/cli.ts'), 'serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(ap),
    '--web-port', String(wp), '--dns-port', '0'], /admin page and API ready/,
  { INSTANT_ON_ADMIN_PASSWORD: 'bench-password', INSTANT_ON_COMPATIBILITY: String(mode === 'compatibility'), INSTANT_ON_LOG_LEVEL: 'info',
    INSTANT_ON_MAX_CONN_PER_SOURCE: '64', INSTANT_ON_SNMP_TIMEOUT_MS: '3000', ...(process.env.BENCH_MAX_DEVICES ? { INSTANT_ON_MAX_DEVICES: process.env.BENCH_MAX_DEVICES } : {}) });
  try {
    const { token } = await call(wp, 'POST', '/api/v1/login', undefined, { username: 'admin', password: 'bench-password' });
    await call(wp, 'PUT', '/api/v1/credentials/default', token, { version: '2c', readCommunity: 'public', writeCommunity: 'private' });
    const { id } = await call(wp, 'POST', '/api/v1/policies', token, { name: 'bench', settings: policySettings });
    await call(wp, 'PUT', '/api/v1/instant-on', token, { allowAutomaticRemediation: true, initialPolicyId: id });
    for (const p of fleet.printers) p.agent!.coldReset();
    for (const p of fleet.printers) (p as any).opts.resolveTarget = async () => ({ host: '127.0.0.1', port: ap });
    const t0 = performance.now();
    const announced = fleet.announceAll('initial-boot', { concurrency: 100 }).then(() => performance.now() - t0);
    // Poll the cheap task counter; list every device only once nothing is pending, so the measurement
    // does not spend the appliance's CPU serialising 1,000 devices ten times a second.
    let compliant = 0;
    let allAnnounced = false;
    void announced.then(() => { allAnnounced = true; });
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      if (!allAnnounced || (await call(wp, 'GET', '/api/v1/tasks?state=active&limit=1', token)).total > 0) continue;
      const devices = await allDevicesVia(wp, token);
      compliant = devices.filter((d: any) => d.compliance && (d.compliance.status === 'remediated' || d.compliance.status === 'compliant')).length;
      if (compliant >= N) break;
      if (performance.now() - t0 > 600_000) throw new Error(`${mode}: only ${compliant}/${N} compliant after 10 min`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const announceSeconds = (await announced) / 1000;
    const failedDaa = fleet.summary().Failed;
    const stats = await call(wp, 'GET', '/api/v1/status', token);
    const rss = peakRssMb(proc.child.pid!);
    const allRight = fleet.printers.every((p) => [...wrong].every((w) => p.agent!.values()[w] === policySettings[w]));
    return { seconds, announceSeconds, rss, failedDaa, allRight, maxConcurrent: stats.tasks ? undefined : undefined };
  } finally {
    await stop(proc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fleet = new Fleet({ count: N, serialPrefix: 'FLEET', resolveTarget: async () => ({ host: '127.0.0.1', port: 1 }) });
const t = performance.now();
await fleet.startAgents({ port: 0, delayMs: DELAY });
console.log(`started ${N} SNMP agents (${DELAY} ms reply delay) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const compat = process.env.BENCH_SKIP_COMPAT ? { seconds: NaN, announceSeconds: NaN, rss: NaN, allRight: false } : await run('compatibility', fleet);
const fast = await run('default', fleet);
await fleet.stop();

const maxDevices = 64;
const rttLimit = Math.ceil(N / maxDevices) * 3 * DELAY / 1000;
const f = (x: number) => x.toFixed(2);
console.log(`fleet benchmark: ${N} printers, ${Object.keys(policySettings).length} settings in the policy, 8 non-compliant, ${DELAY} ms SNMP delay, node ${process.version}`);
console.log(`compatibility mode : all compliant after ${f(compat.seconds)} s (announcements took ${f(compat.announceSeconds)} s)  peak RSS ${compat.rss} MB  verified on agents: ${compat.allRight}`);
console.log(`default mode       : all compliant after ${f(fast.seconds)} s (announcements took ${f(fast.announceSeconds)} s)  peak RSS ${fast.rss} MB  verified on agents: ${fast.allRight}`);
console.log(`speed-up: ${(compat.seconds / fast.seconds).toFixed(1)}x`);
console.log(`RTT-bound limit (3 round trips x ${DELAY} ms, ${maxDevices} devices in flight): ${f(rttLimit)} s; with the announcements' own arrival time: ${f(fast.announceSeconds + 3 * DELAY / 1000)} s`);
console.log(`default mode vs limit incl. arrival: ${(fast.seconds / (fast.announceSeconds + 3 * DELAY / 1000)).toFixed(2)}x`);
