// Fleet benchmark (issues 5 and 18): N simulated printers (real SNMP agents with an injected reply delay)
// announce at once; a policy of S catalog settings (default 60: the first S that are not secrets, in catalog
// order), 8 of them non-compliant on each printer. Measures the time from the first announcement until every
// device is verified compliant, in compatibility mode (the vendor product's model: one round trip per
// setting) and in the default mode (GET, SET, GET), in the same run, against the appliance as a child.
//   npx tsx scripts/bench/fleet.ts [--count 1000] [--delay-ms 10] [--settings 60]
// Knobs: BENCH_MAX_DEVICES=N (maxConcurrentDevices of the default mode), BENCH_SKIP_COMPAT=1 (default mode only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { CATALOG } from '../../appliance/src/policy/catalog.ts';
import { startChild, peakRssMb, stop, randomPort } from './lib/proc.ts';
import { apiCall, allDevicesVia } from './lib/proc.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, 'delay-ms': { type: 'string', default: '10' }, settings: { type: 'string', default: '60' } } });
const N = Number(values.count);
const DELAY = Number(values['delay-ms']);
const SETTINGS = Number(values.settings);
const root = new URL('../../', import.meta.url).pathname;

const call = apiCall;

// 8 settings the factory default gets wrong, the others already right.
const policySettings: Record<string, boolean | string | number> = {};
const wrong = new Set(['telnet', 'ftp', 'slp', 'lpd', 'llmnr', 'airfax', 'sys-location', 'sys-contact']);
const usable = CATALOG.filter((s) => s.valueType !== 'secret');
for (const s of [...usable.filter((x) => wrong.has(x.id)), ...usable.filter((x) => !wrong.has(x.id)).slice(0, SETTINGS - wrong.size)]) {
  if (wrong.has(s.id)) policySettings[s.id] = s.valueType === 'boolean' ? !s.factoryDefault : s.id === 'ftp' ? 'off' : `bench ${s.id}`;
  else policySettings[s.id] = s.factoryDefault!;
}
if (Object.keys(policySettings).length !== SETTINGS) throw new Error(`--settings ${SETTINGS}: the catalog offers ${usable.length} settings without secrets`);

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
    let told = performance.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      // `matched` counts the tasks the filter selects (`total` is every task since the lists are paged).
      const active = allAnnounced ? (await call(wp, 'GET', '/api/v1/tasks?state=active&limit=1', token)).matched : -1;
      if (performance.now() - told > 30_000) {
        told = performance.now();
        console.log(`  ${mode}: ${((told - t0) / 1000).toFixed(0)} s, announcements ${allAnnounced ? 'done' : 'in progress'}, active tasks ${active}`);
      }
      if (active !== 0) continue;
      const devices = await allDevicesVia(wp, token);
      compliant = devices.filter((d: any) => d.compliance && (d.compliance.status === 'remediated' || d.compliance.status === 'compliant')).length;
      if (compliant >= N) break;
      if (devices.length >= N && devices.every((d: any) => d.compliance)) {
        const statuses: Record<string, number> = {};
        for (const d of devices) statuses[d.compliance.status] = (statuses[d.compliance.status] ?? 0) + 1;
        const bad = devices.find((d: any) => d.compliance.status !== 'remediated' && d.compliance.status !== 'compliant');
        throw new Error(`${mode}: nothing left to run and ${compliant}/${N} compliant: ${JSON.stringify(statuses)}; e.g. ${JSON.stringify(bad?.compliance)?.slice(0, 1500)}`);
      }
      if (performance.now() - t0 > 1_800_000) throw new Error(`${mode}: only ${compliant}/${N} compliant after 30 min`);
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
const compatRtt = Math.ceil(N / 10) * (2 * SETTINGS + wrong.size) * DELAY / 1000;
const f = (x: number) => x.toFixed(2);
console.log(`fleet benchmark: ${N} printers, ${Object.keys(policySettings).length} settings in the policy, 8 non-compliant, ${DELAY} ms SNMP delay, node ${process.version}, load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`compatibility mode : all compliant after ${f(compat.seconds)} s (announcements took ${f(compat.announceSeconds)} s)  peak RSS ${compat.rss} MB  verified on agents: ${compat.allRight}`);
console.log(`default mode       : all compliant after ${f(fast.seconds)} s (announcements took ${f(fast.announceSeconds)} s)  peak RSS ${fast.rss} MB  verified on agents: ${fast.allRight}`);
console.log(`speed-up: ${(compat.seconds / fast.seconds).toFixed(1)}x`);
console.log(`RTT-bound limit (3 round trips x ${DELAY} ms, ${maxDevices} devices in flight): ${f(rttLimit)} s; with the announcements' own arrival time: ${f(fast.announceSeconds + 3 * DELAY / 1000)} s`);
console.log(`default mode vs limit incl. arrival: ${(fast.seconds / (fast.announceSeconds + 3 * DELAY / 1000)).toFixed(2)}x`);
console.log(`compatibility mode's own RTT bound (${2 * SETTINGS + wrong.size} round trips x ${DELAY} ms per device, 10 devices in flight): ${f(compatRtt)} s; compatibility mode at ${(compat.seconds / compatRtt).toFixed(2)}x of it`);
