// What observability costs the event loop: N device events formatted as RFC 5424 and queued on a TCP and a UDP
// syslog target (the TCP collector is down, so its bounded queue fills and drops), N alert raises with their
// repeats, and one /metrics scrape with 10,000 devices. Baseline in the same process: JSON.stringify of the
// same events (what the SSE hub already pays per event). Prints per-event cost, the ratio, the worst
// event-loop delay seen meanwhile and RSS.
//   npx tsx scripts/bench/observability.ts --count 100000
import net from 'node:net';
import dgram from 'node:dgram';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SyslogForwarder } from '../../appliance/src/syslog/forwarder.ts';
import { deviceEvent } from '../../appliance/src/syslog/events.ts';
import { formatRfc5424 } from '../../appliance/src/syslog/rfc5424.ts';
import { AlertCenter } from '../../appliance/src/alerts/alert-center.ts';
import { ApplianceMetrics } from '../../appliance/src/metrics/metrics.ts';
import { Store } from '../../appliance/src/store/store.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';

const count = Number(process.argv[process.argv.indexOf('--count') + 1]) || 100_000;
const event = (i: number) => ({ type: 'announced', reason: 'periodic', device: { serialNumber: `SN${String(i).padStart(8, '0')}`, macAddress: '02:00:00:00:00:01',
  model: 'HP LaserJet Enterprise M611dn', ipv4: '10.1.2.3', hostname: 'printer-1', firmware: '2509', peerAddress: '10.1.2.3', authMethod: 'anonymous',
  compliance: { status: 'compliant', policyName: 'Baseline', at: new Date().toISOString() } } });

async function main() {
  const closed = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
  const sink = dgram.createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  sink.on('message', () => undefined);
  const syslog = new SyslogForwarder({ targets: () => [`tcp://127.0.0.1:${closed}`, `udp://127.0.0.1:${sink.address().port}`], facility: () => 'local0',
    queueMax: () => 2000, version: 'bench', log: silentLogger(), connectTimeoutMs: () => 1000, retry: { baseMs: 1000, maxMs: 1000 } });
  syslog.start();
  const events = Array.from({ length: 1000 }, (_, i) => event(i));
  const loop = monitorEventLoopDelay({ resolution: 5 });

  let t = performance.now();
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes += JSON.stringify(events[i % 1000]).length;
  const baseline = (performance.now() - t) / count;
  const avgJson = Math.round(bytes / count);

  t = performance.now();
  for (let i = 0; i < count; i++) bytes += formatRfc5424({ facility: 16, severity: 'info', hostname: 'edge', appName: 'instant-on-edge', msgId: 'DEVICE-ANNOUNCED',
    structuredData: deviceEvent(events[i % 1000]).sd, message: deviceEvent(events[i % 1000]).message }).length;
  const formatOnly = (performance.now() - t) / count;

  loop.enable();
  t = performance.now();
  for (let i = 0; i < count; i++) {
    syslog.send(deviceEvent(events[i % 1000]));
    if (i % 100 === 99) await new Promise((r) => setImmediate(r)); // events arrive spread out, not 100,000 in one tick
  }
  const perEvent = (performance.now() - t) / count;
  await new Promise((r) => setTimeout(r, 200));
  loop.disable();
  const status = syslog.status();

  const store = await Store.open();
  const alerts = new AlertCenter({ store, log: silentLogger() });
  t = performance.now();
  for (let i = 0; i < count; i++) alerts.raise('device-too-often', `SN${i % 10_000}`, { message: 'too often', lastHour: i });
  const perRaise = (performance.now() - t) / count;

  const devices = Array.from({ length: 10_000 }, (_, i) => ({ compliance: i % 3 ? { status: 'compliant' } : undefined }));
  const metrics = new ApplianceMetrics({
    complianceCounts: () => { const o: Record<string, number> = {}; for (const d of devices) { const s = d.compliance?.status ?? 'not-assessed'; o[s] = (o[s] ?? 0) + 1; } return o; },
    announce: () => ({ connections: 1, accepted: 1, rejected: { malformed: 1 }, closed: {} }), tasks: () => ({ queued: 0, running: 0, devicesInFlight: 0, devicesWaiting: 0 }),
    dns: () => ({ counters: { answered: 1 }, dropped: {} }), forwarding: () => ({ backlog: 0, backlogBytes: 0, dropped: {} }), storeQueued: () => 0,
    alertsOpen: () => alerts.stats().open as Record<string, number>, syslog: () => syslog.status(), mail: () => ({ queued: 0, sent: 0, consecutiveFailures: 0 }),
  });
  await metrics.text();
  t = performance.now();
  const scrape = await metrics.text();
  const scrapeMs = performance.now() - t;

  console.log(`events: ${count.toLocaleString()} (avg JSON ${avgJson} B)`);
  console.log(`baseline JSON.stringify: ${(baseline * 1000).toFixed(2)} µs/event`);
  console.log(`RFC 5424 formatting alone: ${(formatOnly * 1000).toFixed(2)} µs/event (ratio ${(formatOnly / baseline).toFixed(1)}×)`);
  console.log(`syslog format + queue on 2 targets + UDP send: ${(perEvent * 1000).toFixed(2)} µs/event (ratio ${(perEvent / baseline).toFixed(1)}× the baseline)`);
  console.log(`  tcp (collector down): queued ${status[0].queued}, dropped ${status[0].dropped}; udp sent ${status[1].sent}`);
  console.log(`event-loop delay while sending: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
  console.log(`alert raise (10,000 open, repeats): ${(perRaise * 1000).toFixed(2)} µs/raise; open ${alerts.openAlerts().length}`);
  console.log(`/metrics with 10,000 devices: ${scrapeMs.toFixed(1)} ms, ${scrape.body.length} bytes`);
  console.log(`RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
  await syslog.stop();
  sink.close();
  await store.close();
}

void main();
