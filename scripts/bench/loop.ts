// Event-loop benchmark: with N devices, how long does the appliance's periodic and on-demand work hold its
// event loop? The appliance (esbuild bundle under plain node with the heap flags of `npm start`) runs with a
// probe preloaded (lib/loop-probe.mjs: perf_hooks.monitorEventLoopDelay at 10 ms resolution, plus every
// stall over 20 ms); for each phase the probe is reset, the work is triggered through the API (or waited
// for, when it runs on a timer), and the loop delay of that phase is read. The baseline is a quiet phase of
// the same process (nothing asked of it but its own timers).
//   npx tsx scripts/bench/loop.ts [--count 10000] [--quiet-seconds 65]
import { parseArgs } from 'node:util';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { BENCH_GROUPS, BENCH_METRICS_TOKEN, startBenchAppliance, type LoopReading } from './lib/appliance.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, 'quiet-seconds': { type: 'string', default: '65' } } });
const N = Number(values.count);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Trigger C every 20 s, so a refresh falls inside the quiet phase.
const app = await startBenchAppliance({ probe: true, env: { INSTANT_ON_AUTOGROUP_FREQUENCY: '0:0:0:20' } });
const rows: { phase: string; r: LoopReading; took: number; note: string }[] = [];
async function phase(name: string, work: () => Promise<string | void>) {
  await sleep(300);
  await app.loop.reset();
  const t0 = performance.now();
  const note = (await work()) ?? '';
  const took = performance.now() - t0;
  await sleep(300); // let what the request started finish (a group's membership writes continue after the answer)
  rows.push({ phase: name, r: await app.loop.read(), took, note });
}
const ok = <R extends { status: number; body: any }>(r: R, what: string): R => {
  if (r.status >= 400) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r;
};
try {
  const fleet = new Fleet({ count: N, serialPrefix: 'LOOP', resolveTarget: async () => ({ host: '127.0.0.1', port: app.announcePort }) });
  await phase(`intake: ${N} new devices (32 in flight)`, async () => { const s = await fleet.announceAll('initial-boot', { concurrency: 32 }); return `${s.Success} accepted`; });
  await sleep(2000);
  await phase('quiet 10 s (baseline)', async () => { await sleep(10_000); });
  await phase('first load of the admin page (each file compressed once)', async () => {
    const html = ok(await app.call('GET', '/'), 'page');
    const assets = [...String(html.body).matchAll(/(?:src|href)="\/?(assets\/[^"]+)"/g)].map((m) => m[1]);
    let bytes = 0;
    for (const a of assets) bytes += ok(await app.call('GET', `/${a}`, undefined, { 'accept-encoding': 'br' }), a).bytes;
    return `${assets.length} assets, ${Math.round(bytes / 1024)} KB sent`;
  });
  const ids: string[] = [];
  for (const g of BENCH_GROUPS) {
    await phase(`create autogroup "${g.name}"`, async () => {
      const r = ok(await app.call('POST', '/api/v1/groups', g), g.name);
      ids.push(r.body.id);
      // The membership writes run after the answer: wait until the group's count is whole and stable.
      let last = -1;
      for (;;) { await sleep(200); const n = (await app.call('GET', `/api/v1/groups/${r.body.id}`)).body.memberCount; if (n === last) return `${n} members`; last = n; }
    });
  }
  await phase('edit an autogroup (M611 → M480)', async () => {
    ok(await app.call('PUT', `/api/v1/groups/${ids[0]}`, { ...BENCH_GROUPS[0], filter: { field: 'model', op: 'contains', value: 'M480' } }), 'edit');
    await sleep(3000);
  });
  await phase('alert checks (POST /api/v1/alerts/check × 5)', async () => { for (let i = 0; i < 5; i++) ok(await app.call('POST', '/api/v1/alerts/check'), 'check'); });
  await phase('GET /metrics × 5', async () => {
    let bytes = 0;
    for (let i = 0; i < 5; i++) bytes = ok(await app.call('GET', '/metrics', undefined, { authorization: `Bearer ${BENCH_METRICS_TOKEN}` }), 'metrics').bytes;
    return `${Math.round(bytes / 1024)} KB each`;
  });
  for (const sort of ['lastSeen', 'model', 'ip']) {
    await phase(`GET /api/v1/devices sort=${sort}, all pages of 1,000`, async () => {
      let n = 0;
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const page: any = ok(await app.call('GET', `/api/v1/devices?limit=1000&sort=${sort}&counts=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 'devices').body;
        n += page.devices.length;
        cursor = page.nextCursor;
      }
      return `${n} devices`;
    });
  }
  await phase('GET /api/v1/devices?q=m611 (search, first page)', async () => `${ok(await app.call('GET', '/api/v1/devices?limit=100&q=m611'), 'search').body.matched} matched`);
  await phase('GET /api/v1/devices.csv', async () => `${Math.round(ok(await app.call('GET', '/api/v1/devices.csv'), 'csv').bytes / 1024)} KB`);
  await phase('GET /api/v1/groups and every group\'s members (1,000)', async () => {
    ok(await app.call('GET', '/api/v1/groups'), 'groups');
    for (const id of ids) ok(await app.call('GET', `/api/v1/groups/${id}/members?limit=1000`), 'members');
  });
  await phase('GET /api/v1/stats/history (hour and day)', async () => {
    ok(await app.call('GET', '/api/v1/stats/history?step=hour'), 'history');
    ok(await app.call('GET', '/api/v1/stats/history?step=day'), 'history');
  });
  await phase('GET /api/v1/reports/compliance (JSON)', async () => `${Math.round(ok(await app.call('GET', '/api/v1/reports/compliance'), 'report').bytes / 1024)} KB`);
  await phase('GET /api/v1/reports/compliance.csv', async () => `${Math.round(ok(await app.call('GET', '/api/v1/reports/compliance.csv'), 'report').bytes / 1024)} KB`);
  await phase('GET /api/v1/reports/compliance.pdf', async () => `${Math.round(ok(await app.call('GET', '/api/v1/reports/compliance.pdf'), 'report').bytes / 1024)} KB`);
  for (const devices of [false, true]) {
    await phase(`POST /api/v1/backup${devices ? ' with devices and history' : ' (configuration)'}`, async () =>
      `${Math.round(ok(await app.call('POST', '/api/v1/backup', { passphrase: 'bench passphrase for the loop', devices }), 'backup').bytes / 1024)} KB`);
  }
  const quiet = Number(values['quiet-seconds']);
  await phase(`quiet ${quiet} s: own timers (alert checks every 15 s, history flush every 60 s, trigger C every 20 s)`, async () => { await sleep(quiet * 1000); });
  await phase(`the fleet announces again with ${ids.length} autogroups (32 in flight)`, async () => { const s = await fleet.announceAll('power-cycle', { concurrency: 32 }); return `${s.Success} accepted`; });
} finally {
  await app.stop();
}
console.log(`event-loop benchmark: ${N} devices, node ${process.version}, event-loop delay per phase beyond the probe's 10 ms tick (ms)`);
console.log('(stalls: the three longest as wall ms/main-thread CPU ms; a stall mostly off CPU is the machine\'s other load or a blocking system call)');
console.log('phase | took | p50 | p99 | max | stalls > 20 ms (longest) | longest on CPU | note');
for (const { phase: p, r, took, note } of rows) {
  const longest = [...r.stalls].sort((a, b) => b.ms - a.ms).slice(0, 3).map((s) => `${s.ms}/${s.cpuMs}`).join(', ');
  const onCpu = Math.max(0, ...r.stalls.map((s) => s.cpuMs));
  console.log(`${p} | ${(took / 1000).toFixed(1)} s | ${r.p50} | ${r.p99} | ${r.max} | ${r.stalls.length}${longest ? ` (${longest})` : ''} | ${onCpu} | ${note}`);
}
