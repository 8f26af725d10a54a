// Server-side lists at fleet size (issue 17 §1): an appliance (its own process, bundled and run as the binary is)
// holding 10,000 and 100,000 devices answers the device list one page at a time. Measured per fleet size:
// the first page of 50 (what the Devices screen asks for) — its size as JSON and as sent gzip-compressed,
// p50/p95 latency over 200 requests — a serial search, a filtered and sorted page, a deep page by cursor,
// the dashboard's counts, and the appliance's RSS. The bound is the whole list the old route answered
// every time (its size, and one request for all of it).
//   npx tsx scripts/bench/api-lists.ts [--sizes 10000,100000] [--requests 200]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { ADMIN_PASSWORD, startTestAppliance } from '../../test/fakes/appliance.ts';
import { sampleAnnouncement } from '../../test/fakes/hdap-raw-client.ts';
import { announcementSchema } from '../../appliance/src/protocol/messages.ts';
import { apiCall, bundle, percentile, randomPort, startNode, stop } from './lib/proc.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' }, requests: { type: 'string', default: '200' } } });
const SIZES = values.sizes.split(',').map(Number);
const REQUESTS = Number(values.requests);
const root = new URL('../../', import.meta.url).pathname;
/** The binary's and `npm start`'s V8 flags, unless BENCH_NODE_FLAGS says otherwise (a hub with 100,000 devices may need more old space). */
const FLAGS = (process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=2 --max-old-space-size=256').split(' ').filter(Boolean);
const MODELS = ['HP Color LaserJet Enterprise MFP M480f', 'HP LaserJet Enterprise M507', 'HP OfficeJet Pro 9730', 'HP LaserJet Pro 4001'];
const STATUS = ['compliant', 'remediated', 'non-compliant', 'unreachable', 'auth-failed'] as const;

/** A data folder holding `n` devices, a fifth never assessed, the rest with a result of 8 settings. */
async function fleetDataDir(n: number): Promise<{ dir: string; serials: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-lists-'));
  const h = await startTestAppliance({ dataDir: dir, env: { INSTANT_ON_CONTRACT_CHECK: '0' } });
  const serials: string[] = [];
  const settings = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, expected: false, before: true, actual: false, changed: i < 3, compliant: true, supported: true, outcome: i < 3 ? 'remediated' : 'compliant' }));
  for (let i = 0; i < n; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, n - i) }, async (_, j) => {
      const k = i + j;
      const serial = `BNCH${String(k).padStart(7, '0')}`;
      serials.push(serial);
      const ann = sampleAnnouncement(serial);
      ann.device = { ...ann.device, model: MODELS[k % MODELS.length], macAddress: `02:00:${[k >> 24, k >> 16, k >> 8, k].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`,
        ipv4: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`, hostname: `npi${k.toString(16)}` };
      await h.appliance.registry.record(announcementSchema.parse(ann), { address: ann.device.ipv4, authMethod: 'anonymous' });
      if (k % 5 === 0) return;
      const at = new Date().toISOString();
      await h.appliance.registry.apply(serial, () => ({ patch: { compliance: { status: STATUS[k % STATUS.length], policyId: 'p1', policyName: 'Branch baseline', at, taskId: 'bench', run: 1, remediate: true, settings },
        lastPolicy: { id: 'p1', name: 'Branch baseline', at } } }), { quiet: true });
    }));
  }
  await h.stop(true);
  return { dir, serials };
}

/** One GET with gzip accepted: the time, the bytes sent over the wire and the JSON's own size. */
function get(port: number, path: string, token: string): Promise<{ ms: number; wire: number; json: number; body: any }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', rejectUnauthorized: false, headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        const wire = Buffer.concat(chunks);
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire).toString('utf8');
        if (res.statusCode !== 200) { reject(new Error(`${path}: ${res.statusCode} ${text.slice(0, 300)}`)); return; }
        resolve({ ms, wire: wire.length, json: Buffer.byteLength(text), body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(port: number, token: string, path: () => string) {
  for (let i = 0; i < 20; i++) await get(port, path(), token);
  const times: number[] = [];
  let last!: Awaited<ReturnType<typeof get>>;
  for (let i = 0; i < REQUESTS; i++) { last = await get(port, path(), token); times.push(last.ms); }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), json: last.json, wire: last.wire, body: last.body };
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

// Bundled with esbuild and run by plain node, as the single binary runs it (no TypeScript loader in the process).
const appliance = await bundle(join(root, 'appliance/src/cli.ts'), 'api-lists');

for (const n of SIZES) {
  const t0 = performance.now();
  const { dir, serials } = await fleetDataDir(n);
  console.log(`\n${n.toLocaleString()} devices written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const wp = randomPort();
  const proc = await startNode([...FLAGS, appliance, 'serve', '--data-dir', dir, '--host', '127.0.0.1',
    '--announce-port', '0', '--web-port', String(wp), '--dns-port', '0'], /admin page and API ready/, { INSTANT_ON_LOG_LEVEL: 'info' });
  try {
    const { token } = await apiCall(wp, 'POST', '/api/v1/login', undefined, { username: 'admin', password: ADMIN_PASSWORD });
    const idle = rssMb(proc.child.pid!);
    const first = await measure(wp, token, () => '/api/v1/devices?limit=50');
    if (first.body.devices.length !== 50 || first.body.total !== n) throw new Error(`first page: ${first.body.devices.length} of ${first.body.total}`);
    const search = await measure(wp, token, () => `/api/v1/devices?q=${serials[Math.floor(Math.random() * n)].toLowerCase()}`);
    if (search.body.matched !== 1) throw new Error(`search matched ${search.body.matched}`);
    const filtered = await measure(wp, token, () => '/api/v1/devices?limit=50&compliance=auth-failed&sort=model&dir=asc');
    const counts = await measure(wp, token, () => '/api/v1/devices?limit=5&counts=1');
    const afterPages = rssMb(proc.child.pid!);
    // A deep page: the cursor after 100 pages of 50 in IP order.
    let cursor = '';
    for (let i = 0; i < 100; i++) cursor = (await get(wp, `/api/v1/devices?limit=50&sort=ip${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token)).body.nextCursor;
    const deep = await measure(wp, token, () => `/api/v1/devices?limit=50&sort=ip&cursor=${encodeURIComponent(cursor)}`);
    // The bound: every device in one answer (what GET /api/v1/devices used to send whatever the page showed),
    // read here as the sum of 1,000-device pages.
    let all = 0, allWire = 0, allMs = 0, c: string | null = null;
    do { const r = await get(wp, `/api/v1/devices?limit=1000${c ? `&cursor=${encodeURIComponent(c)}` : ''}`, token); all += r.json; allWire += r.wire; allMs += r.ms; c = r.body.nextCursor; } while (c);
    const rss = rssMb(proc.child.pid!);
    const peak = Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))![1]) / 1024);
    console.log(`first page of 50 (newest first): ${kb(first.json)} JSON, ${kb(first.wire)} sent (gzip); p50 ${ms(first.p50)}, p95 ${ms(first.p95)}  [goal ≤ 100 KB, ≤ 50 ms p95]`);
    console.log(`serial search:                    ${kb(search.json)}; p50 ${ms(search.p50)}, p95 ${ms(search.p95)}`);
    console.log(`filtered + sorted by model:       ${kb(filtered.json)}; p50 ${ms(filtered.p50)}, p95 ${ms(filtered.p95)} (${filtered.body.matched.toLocaleString()} matched)`);
    console.log(`page 101 by cursor, IP order:     ${kb(deep.json)}; p50 ${ms(deep.p50)}, p95 ${ms(deep.p95)}`);
    console.log(`dashboard counts (+5 rows):       ${kb(counts.json)}; p50 ${ms(counts.p50)}, p95 ${ms(counts.p95)}`);
    console.log(`bound — the whole list: ${kb(all)} JSON (${kb(allWire)} gzip), ${ms(allMs)} to send; the first page is ${(first.json / all * 100).toFixed(3)} % of it (${Math.round(all / first.json)}× smaller)`);
    console.log(`appliance RSS: ${idle} MB after start, ${afterPages} MB after the page requests, ${rss} MB after reading the whole list too, peak ${peak} MB (bundled, plain node, ${FLAGS.join(' ')})`);
  } finally {
    await stop(proc.child);
    rmSync(dir, { recursive: true, force: true });
  }
}
