// DNS benchmark (issue 3): local answers per second from our guarded responder vs a plain, unguarded dns2
// UDP server answering the same record, in the same run. Each server and the load generator run in their
// own child process (same process tree); the load generator keeps many queries in flight over loopback.
// Rounds alternate guarded/plain so machine noise hits both alike; the median round is reported.
//   npx tsx scripts/bench/dns.ts [--seconds 3] [--rounds 3] [--window 64]
import { fork, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const self = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    kind: { type: 'string', default: 'guarded' },
    port: { type: 'string', default: '0' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    window: { type: 'string', default: '64' },
  },
});

const NAME = 'hp-print-mgmt';
const V4 = '192.0.2.10';

type Msg = { ready: number } | { rss: number } | { result: { answered: number; lost: number; seconds: number } };

function child(args: string[]): ChildProcess {
  return fork(self, args, { execArgv: ['--import=tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function next<T extends Msg>(c: ChildProcess, key: keyof T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: Msg) => {
      if (key in m) {
        c.off('message', onMsg);
        resolve(m as T);
      }
    };
    c.on('message', onMsg);
    c.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

/** Peak resident set (VmHWM) in MB, read from /proc so it covers the whole life of the process. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

async function serverRole(kind: string): Promise<void> {
  let port: number;
  if (kind === 'guarded') {
    const { startDnsResponder } = await import('../../appliance/src/dns/responder.ts');
    const { silentLogger } = await import('../../appliance/src/util/log.ts');
    // The rate limiter stays in the path (not disabled) but with a ceiling one loopback source cannot hit.
    const r = await startDnsResponder({ host: '127.0.0.1', port: 0, addresses: { ipv4: [V4], ipv6: [] }, rateLimitPerSecond: 1e9 }, silentLogger());
    port = r.udpPort;
  } else {
    const { default: dns2 } = await import('dns2');
    const { Packet } = dns2;
    const server = dns2.createUDPServer((request, send) => {
      const response = Packet.createResponseFromRequest(request);
      response.header.aa = 1;
      const q = request.questions[0];
      if (q && q.name.toLowerCase() === NAME && q.type === Packet.TYPE.A) {
        response.answers.push({ name: q.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 300, address: V4 } as never);
      }
      void send(response).catch(() => undefined);
    });
    server.on('requestError', () => undefined);
    await server.listen(0, '127.0.0.1');
    port = server.address().port;
  }
  process.send!({ ready: port });
  process.on('disconnect', () => process.exit(0));
}

async function loadRole(port: number, seconds: number, windowSize: number): Promise<void> {
  // A plain A query without EDNS, as a printer's stub resolver sends it; ids cycle, replies are matched by id.
  const { default: dns2 } = await import('dns2');
  const p = new dns2.Packet();
  p.header.rd = 1;
  p.questions.push({ name: NAME, type: 1, class: 1 } as never);
  const template = p.toBuffer();
  const sock = dgram.createSocket('udp4');
  const sentAt = new Map<number, number>();
  let nextId = 0;
  let answered = 0;
  let lost = 0;
  let running = true;
  const send = () => {
    const id = nextId;
    nextId = (nextId + 1) & 0xffff;
    const q = Buffer.from(template);
    q.writeUInt16BE(id, 0);
    sentAt.set(id, performance.now());
    sock.send(q, port, '127.0.0.1');
  };
  sock.on('message', (m) => {
    const id = m.readUInt16BE(0);
    if (!sentAt.delete(id)) return;
    answered++;
    if (running) send();
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  // A lost datagram would shrink the window for good; refill it after 250 ms of silence per query.
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const [id, t] of sentAt) {
      if (now - t > 250) {
        sentAt.delete(id);
        lost++;
        if (running) send();
      }
    }
  }, 100);
  // Warm-up (JIT, socket buffers), then measure.
  for (let i = 0; i < windowSize; i++) send();
  await new Promise((r) => setTimeout(r, 500));
  const a0 = answered;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const result = { answered: answered - a0, lost, seconds: (performance.now() - t0) / 1000 };
  running = false;
  clearInterval(sweeper);
  process.send!({ result });
  sock.close();
  process.disconnect();
}

async function measure(kind: string, seconds: number, windowSize: number): Promise<{ qps: number; lost: number; rssMb: number }> {
  const server = child(['--role', 'server', '--kind', kind]);
  const { ready: port } = await next<{ ready: number }>(server, 'ready');
  const load = child(['--role', 'load', '--port', String(port), '--seconds', String(seconds), '--window', String(windowSize)]);
  const { result } = await next<{ result: { answered: number; lost: number; seconds: number } }>(load, 'result');
  const rssMb = peakRssMb(server.pid!);
  server.disconnect();
  await new Promise((r) => server.once('exit', r));
  return { qps: result.answered / result.seconds, lost: result.lost, rssMb };
}

async function main(): Promise<void> {
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const windowSize = Number(values.window);
  const runs: Record<string, Array<{ qps: number; lost: number; rssMb: number }>> = { guarded: [], plain: [] };
  for (let i = 0; i < rounds; i++) {
    for (const kind of i % 2 === 0 ? ['guarded', 'plain'] : ['plain', 'guarded']) {
      const r = await measure(kind, seconds, windowSize);
      runs[kind].push(r);
      console.log(`round ${i + 1} ${kind.padEnd(7)} ${Math.round(r.qps).toString().padStart(6)} q/s  lost ${r.lost}  peak RSS ${r.rssMb} MB`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const g = median(runs.guarded.map((r) => r.qps));
  const p = median(runs.plain.map((r) => r.qps));
  const rssG = Math.max(...runs.guarded.map((r) => r.rssMb));
  const rssP = Math.max(...runs.plain.map((r) => r.rssMb));
  console.log('');
  console.log(`guarded responder : ${Math.round(g)} q/s (median of ${rounds}), peak RSS ${rssG} MB`);
  console.log(`plain dns2        : ${Math.round(p)} q/s (median of ${rounds}), peak RSS ${rssP} MB`);
  console.log(`ratio guarded/plain: ${(g / p).toFixed(2)}  (goal >= 3000 q/s and >= 0.90)`);
  console.log(JSON.stringify({ bench: 'dns', seconds, rounds, window: windowSize, guardedQps: Math.round(g), plainQps: Math.round(p), ratio: +(g / p).toFixed(3), guardedPeakRssMb: rssG, plainPeakRssMb: rssP }));
}

if (values.role === 'server') await serverRole(values.kind!);
else if (values.role === 'load') await loadRole(Number(values.port), Number(values.seconds), Number(values.window));
else await main();
