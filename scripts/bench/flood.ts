// Flood benchmark (issue 5): 200 printers announce once; time until all are verified compliant — alone, and
// again while one flapping printer announces 500 times within a minute. Fair queueing and coalescing should
// keep the 200 as fast as without the flood (goal: within 20 %). Same process tree, same appliance build.
//   npx tsx scripts/bench/flood.ts [--count 200] [--flood 500] [--delay-ms 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { startNode, stop, randomPort, bundle } from './lib/proc.ts';
import { apiCall, allDevicesVia } from './lib/proc.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, flood: { type: 'string', default: '500' }, 'delay-ms': { type: 'string', default: '10' }, paced: { type: 'boolean', default: false } } });
const N = Number(values.count);
const FLOOD = Number(values.flood);
const root = new URL('../../', import.meta.url).pathname;

const call = apiCall;

const appJs = await bundle(join(root, 'appliance/src/cli.ts'), 'flood');
const fleet = new Fleet({ count: N + 1, serialPrefix: 'FLOOD', resolveTarget: async () => ({ host: '127.0.0.1', port: 1 }) });
await fleet.startAgents({ port: 0, delayMs: Number(values['delay-ms']) });
const [flapper, ...others] = fleet.printers;

async function run(withFlood: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-flood-'));
  const ap = randomPort();
  const wp = randomPort();
  const proc = await startNode([appJs, 'serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(ap), '--web-port', String(wp), '--dns-port', '0'],
    /admin page and API ready/, { INSTANT_ON_ADMIN_PASSWORD: 'bench-password', INSTANT_ON_MAX_CONN_PER_SOURCE: '64' });
  try {
    const { token } = await call(wp, 'POST', '/api/v1/login', undefined, { username: 'admin', password: 'bench-password' });
    await call(wp, 'PUT', '/api/v1/credentials/default', token, { version: '2c', readCommunity: 'public', writeCommunity: 'private' });
    const { id } = await call(wp, 'POST', '/api/v1/policies', token, { name: 'bench', settings: { telnet: false, lpd: false, slp: false, 'sys-location': 'Bench' } });
    await call(wp, 'PUT', '/api/v1/instant-on', token, { allowAutomaticRemediation: true, initialPolicyId: id });
    for (const p of fleet.printers) { p.agent!.coldReset(); (p as any).opts.resolveTarget = async () => ({ host: '127.0.0.1', port: ap }); }
    let flooding = true;
    let floodSent = 0;
    const flood = withFlood ? (async () => {
      // The worst case of "500 in a minute": back to back, all of it overlapping the 200 (a boot loop
      // announcing as fast as the appliance answers). --paced spreads them evenly over the minute instead.
      const t = performance.now();
      for (let i = 0; i < FLOOD && flooding; i++) {
        await flapper.powerCycle();
        floodSent++;
        if (values.paced) await new Promise((r) => setTimeout(r, Math.max(0, t + (i + 1) * (60_000 / FLOOD) - performance.now())));
      }
    })() : Promise.resolve();
    const t0 = performance.now();
    await Promise.all(others.map((p) => p.boot()));
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const devices = await allDevicesVia(wp, token);
      const done = devices.filter((d: any) => d.serialNumber !== flapper.serialNumber && d.compliance && ['remediated', 'compliant'].includes(d.compliance.status)).length;
      if (done >= N) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const flapDev = withFlood ? await call(wp, `GET`, `/api/v1/devices/${flapper.serialNumber}`, token) : undefined;
    const tasks = withFlood ? (await call(wp, 'GET', `/api/v1/tasks?type=instant-on&limit=2000`, token)).tasks.filter((x: any) => x.serials[0] === flapper.serialNumber).length : 0;
    flooding = false;
    await flood;
    return { seconds, floodSent, announcing: flapDev?.announcing, tasks };
  } finally {
    await stop(proc.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const alone = await run(false);
const flooded = await run(true);
await fleet.stop();
console.log(`flood benchmark: ${N} printers announce once; one more announces ${FLOOD} times in a minute; node ${process.version}`);
console.log(`without the flood : all ${N} compliant after ${alone.seconds.toFixed(2)} s`);
console.log(`with the flood    : all ${N} compliant after ${flooded.seconds.toFixed(2)} s (${flooded.floodSent} flood announcements sent by then; flagged ${JSON.stringify(flooded.announcing)}; ${flooded.tasks} Instant-On tasks for the flapping printer)`);
console.log(`slow-down: ${((flooded.seconds / alone.seconds - 1) * 100).toFixed(0)} % (goal: within 20 %)`);
