// Shared by the dns-*.test.ts system tests: a real `dig`, a raw UDP query with timing, and a dns2-based
// upstream whose behaviour (NXDOMAIN, truncation, TTLs, silence) the forwarder is tested against.
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import dns2 from 'dns2';

const { Packet } = dns2;

export interface DigResult {
  status: string;
  flags: string[];
  answers: Array<{ name: string; ttl: number; type: string; data: string }>;
  opt: boolean;
  ednsVersion?: number;
  raw: string;
}

export function dig(port: number, args: string[], server = '127.0.0.1'): Promise<DigResult> {
  return new Promise((resolve, reject) => {
    execFile('dig', [`@${server}`, '-p', String(port), '+time=2', '+tries=1', ...args], { timeout: 10_000 }, (err, stdout) => {
      if (err && !stdout) return reject(err);
      resolve(parseDig(stdout));
    });
  });
}

export function parseDig(raw: string): DigResult {
  const status = /status: ([A-Z]+)/.exec(raw)?.[1] ?? 'NO-REPLY';
  const flags = (/;; flags: ([a-z ]*);/.exec(raw)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const answers: DigResult['answers'] = [];
  const section = /;; ANSWER SECTION:\n([\s\S]*?)(?:\n\n|$)/.exec(raw)?.[1] ?? '';
  for (const line of section.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.+)$/.exec(line.trim());
    if (m) answers.push({ name: m[1], ttl: Number(m[2]), type: m[3], data: m[4] });
  }
  const edns = /; EDNS: version: (\d+)/.exec(raw);
  return { status, flags, answers, opt: !!edns, ...(edns ? { ednsVersion: Number(edns[1]) } : {}), raw };
}

/** A query for `name`/`type` in wire format, built with dns2 (the test's independent encoder). */
export function queryBytes(name: string, type: 'A' | 'AAAA' = 'A', edns = true, id = 0x1234): Buffer {
  const p = new Packet();
  p.header.id = id;
  p.header.rd = 1;
  p.questions.push({ name, type: Packet.TYPE[type], class: Packet.CLASS.IN } as never);
  if (edns) p.additionals.push(Packet.Resource.EDNS([]) as never);
  return p.toBuffer();
}

/** Send one datagram and wait for the reply with the same id; resolves with the reply and elapsed ms. */
export function udpAsk(port: number, msg: Buffer, timeoutMs = 1000, bindAddress = '127.0.0.1'): Promise<{ reply: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const id = msg.readUInt16BE(0);
    const t0 = performance.now();
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('message', (m) => {
      if (m.length < 2 || m.readUInt16BE(0) !== id) return;
      clearTimeout(timer);
      s.close();
      resolve({ reply: m, ms: performance.now() - t0 });
    });
    s.bind(0, bindAddress, () => s.send(msg, port, '127.0.0.1'));
  });
}

/** Deterministic PRNG (mulberry32) so a failing hostile run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FakeUpstream {
  port: number;
  /** Questions received, lower-cased name + transport. */
  seen: Array<{ name: string; via: 'udp' | 'tcp' }>;
  close(): Promise<void>;
}

/**
 * A dns2 server playing the branch's corporate resolver:
 *  missing.example → NXDOMAIN with SOA; big.example → 60 A records (truncated over plain UDP);
 *  huge.example → 150 A records (about 2.4 KB, more than any EDNS budget we allow);
 *  short-ttl.example → A with TTL 2; silent.example → no reply; no-edns.example → A without OPT even when
 *  asked with EDNS; anything else → A 198.51.100.1.
 */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const seen: FakeUpstream['seen'] = [];
  const handler = (via: 'udp' | 'tcp') => (request: InstanceType<typeof Packet>, send: (r: InstanceType<typeof Packet>) => Promise<Buffer>) => {
    const q = request.questions[0];
    const name = q.name.toLowerCase();
    seen.push({ name, via });
    if (name === 'silent.example') return;
    const response = Packet.createResponseFromRequest(request);
    response.header.ra = 1;
    const ednsAware = name !== 'no-edns.example';
    if (ednsAware && request.additionals.some((r) => r.type === Packet.TYPE.EDNS)) response.additionals.push(Packet.Resource.EDNS([]) as never);
    if (name === 'missing.example') {
      response.header.rcode = Packet.RCODE.NXDOMAIN;
      response.authorities.push({
        name: 'example', type: Packet.TYPE.SOA, class: Packet.CLASS.IN, ttl: 60,
        primary: 'ns.example', admin: 'hostmaster.example', serial: 1, refresh: 3600, retry: 600, expiration: 86400, minimum: 30,
      } as never);
    } else if (name === 'big.example' || name === 'huge.example') {
      for (let i = 1; i <= (name === 'big.example' ? 60 : 150); i++) response.answers.push({ name: q.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 120, address: `198.51.100.${i}` } as never);
    } else {
      const ttl = name === 'short-ttl.example' ? 2 : 120;
      response.answers.push({ name: q.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl, address: '198.51.100.1' } as never);
    }
    void send(response);
  };
  // Real resolvers serve UDP and TCP on one port number; retry until a free pair is found.
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dns2.createUDPServer(handler('udp') as never);
    await udp.listen(0, '127.0.0.1');
    const port = udp.address().port;
    const tcp = dns2.createTCPServer(handler('tcp') as never);
    const bound = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) {
      udp.close();
      continue;
    }
    return {
      port,
      seen,
      close: async () => {
        await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
      },
    };
  }
  throw new Error('could not bind a fake upstream');
}
