// Forwarding benchmark (issue 8): a branch appliance relaying to a hub appliance (hub mode), each the real
// CLI in its own child process, on loopback.
//  1. live: N printers announce at the branch while the hub is up; relay throughput = N / time until the
//     hub holds all N devices.
//  2. backlog: the hub is stopped, N more announcements queue at the branch, the hub returns; drain time =
//     from the hub's restart until the branch's outbox is empty (includes the back-off reconnect delay,
//     also shown apart), transfer = from the first delivery to an empty outbox.
// Checks at the end that the hub recorded exactly 2·N announcements (nothing lost, nothing twice).
//   npx tsx scripts/bench/forward.ts [--count 10000] [--batch 1000] [--connections 4] [--concurrency 32]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { api, login } from '../../test/fakes/appliance.ts';
import { startChild, stop, randomPort, peakRssMb, allDevicesVia } from './lib/proc.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, batch: { type: 'string', default: '1000' }, connections: { type: 'string', default: '4' }, concurrency: { type: 'string', default: '32' } } });
const N = Number(values.count);
const root = new URL('../../', import.meta.url).pathname;
const password = 'bench-password';
const hubDir = mkdtempSync(join(tmpdir(), 'ioe-bench-hub-'));
const branchDir = mkdtempSync(join(tmpdir(), 'ioe-bench-branch-'));
const [hubAnnounce, hubWeb, branchAnnounce, branchWeb] = [randomPort(), randomPort(), randomPort(), randomPort()];
const serve = (dir: string, ap: number, wp: number, extra: string[] = []) => [join(root, 'appliance/src/cli.ts'), 'serve', '--data-dir', dir, '--host', '127.0.0.1',
  '--announce-port', String(ap), '--web-port', String(wp), '--dns-port', '0', ...extra];
const common = { INSTANT_ON_ADMIN_PASSWORD: password, INSTANT_ON_MAX_CONN_PER_SOURCE: '64' };
const startHub = () => startChild(serve(hubDir, hubAnnounce, hubWeb, ['--hub']), /admin page and API ready/,
  { ...common, INSTANT_ON_LISTENER_ID: 'hub', INSTANT_ON_RELAY_PEERS: '127.0.0.1' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let hub = await startHub();
const branch = await startChild(serve(branchDir, branchAnnounce, branchWeb), /admin page and API ready/, { ...common,
  INSTANT_ON_LISTENER_ID: 'branch', INSTANT_ON_FORWARD_BIND: '127.0.0.1', INSTANT_ON_FORWARD_BATCH: String(values.batch), INSTANT_ON_FORWARD_CONNECTIONS: String(values.connections),
  INSTANT_ON_FORWARD_RETRY_BASE_MS: '250', INSTANT_ON_FORWARD_RETRY_MAX_MS: '2000' });
const bt = await login(branchWeb, password);
await api(branchWeb, 'POST', '/api/v1/listeners', { token: bt, body: { host: '127.0.0.1', port: hubAnnounce, validateIdentityCertificate: false } });
// Health has the device count for a signed-in caller only; sessions survive the hub's restart.
let hubToken: string | undefined;
const hubDevices = async () => {
  try {
    hubToken ??= await login(hubWeb, password);
    return (await api(hubWeb, 'GET', '/api/v1/health', { token: hubToken })).body.devices as number;
  } catch { hubToken = undefined; return -1; }
};
const backlog = async () => (await api(branchWeb, 'GET', '/api/v1/forwarding', { token: bt })).body;

const fleet = new Fleet({ count: N, serialPrefix: 'FBENCH', resolveTarget: async () => ({ host: '127.0.0.1', port: branchAnnounce }) });
const announceAll = async (reason: 'initial-boot' | 'power-cycle') => {
  const t0 = performance.now();
  const s = await fleet.announceAll(reason, { concurrency: Number(values.concurrency) });
  if (s.Success !== N) throw new Error(`only ${s.Success} of ${N} announcements accepted: ${JSON.stringify(s)}`);
  return (performance.now() - t0) / 1000;
};

// 1. live relay
const t0 = performance.now();
const announceS = await announceAll('initial-boot');
while ((await hubDevices()) < N) await sleep(100);
const liveS = (performance.now() - t0) / 1000;

// 2. backlog drain
await stop(hub.child);
const queueS = await announceAll('power-cycle');
const queued = await backlog();
const hubBack = performance.now();
hub = await startHub();
let firstDelivery = 0;
for (let b = queued.backlog; b > 0; await sleep(50)) {
  b = (await backlog()).backlog;
  if (!firstDelivery && b < queued.backlog) firstDelivery = performance.now();
}
const drainS = (performance.now() - hubBack) / 1000;
const transferS = (performance.now() - firstDelivery) / 1000;
const after = await backlog();

const ht = await login(hubWeb, password);
const devices = (await allDevicesVia(hubWeb, ht)) as { announceCount: number }[];
const recorded = devices.reduce((n, d) => n + d.announceCount, 0);
const result = {
  count: N, batch: Number(values.batch), connections: Number(values.connections),
  live: { announceSeconds: +announceS.toFixed(1), announcePerSecond: Math.round(N / announceS), hubCompleteSeconds: +liveS.toFixed(1), relayPerSecond: Math.round(N / liveS) },
  backlog: { queued: queued.backlog, queuedMiB: +(queued.backlogBytes / 1048576).toFixed(1), queueSeconds: +queueS.toFixed(1),
    drainSeconds: +drainS.toFixed(1), reconnectSeconds: +((firstDelivery - hubBack) / 1000).toFixed(1), transferSeconds: +transferS.toFixed(1),
    transferPerSecond: Math.round(queued.backlog / transferS), peakMiB: +(after.peakBytes / 1048576).toFixed(1), capMiB: +(after.caps.maxBytes / 1048576).toFixed(0) },
  hub: { devices: devices.length, announcementsRecorded: recorded, expected: 2 * N, peakRssMb: peakRssMb(hub.child.pid!) },
  branch: { peakRssMb: peakRssMb(branch.child.pid!), dropped: after.dropped },
};
console.log(JSON.stringify(result, null, 2));
await stop(branch.child);
await stop(hub.child);
rmSync(hubDir, { recursive: true, force: true });
rmSync(branchDir, { recursive: true, force: true });
if (recorded !== 2 * N || devices.length !== N) { console.error('MISMATCH: the hub did not record exactly what the branch acknowledged'); process.exitCode = 1; }
