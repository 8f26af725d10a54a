// Hostile traffic against the responder: the packet that stalls unguarded dns2, random garbage and mutated
// queries. After each burst a valid query must be answered within 100 ms and every packet accounted for.
import dgram from 'node:dgram';
import test from 'ava';
import { startDnsResponder, type DnsResponder, type DnsResponderStats } from '../../appliance/src/dns/index.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';
import { dig, prng, queryBytes, startFakeUpstream, udpAsk, type FakeUpstream } from './dns-helpers.ts';

const SEED = 0x5eed_d25;

let responder: DnsResponder;
let upstream: FakeUpstream;

test.before(async () => {
  upstream = await startFakeUpstream();
  // Rate limiting off here so every packet reaches the structural guard; it has its own test below.
  // With an upstream, mutated queries for other names also exercise the forwarding path.
  responder = await startDnsResponder(
    {
      host: '127.0.0.1', port: 0, searchSuffixes: ['corp.example'], addresses: { ipv4: ['192.0.2.10'], ipv6: [] }, rateLimitPerSecond: 0,
      upstreams: [`127.0.0.1:${upstream.port}`], upstreamTimeoutMs: 300,
    },
    silentLogger(),
  );
});

test.after.always(async () => {
  await responder?.stop();
  await upstream?.close();
});

/** Everything the responder did with a packet: dropped, or answered with some rcode. */
function handled(s: DnsResponderStats): number {
  return s.droppedTotal + s.answered + s.forwarded + s.refused + s.servfail + s.notimp + s.formerr + s.badvers + s.handlerErrors;
}

/**
 * Send in slices of 100, each after the responder has accounted for the previous one: the kernel's socket
 * buffer (~200 KB) would otherwise silently discard part of a burst and the counts could not be checked.
 */
async function burst(packets: Buffer[], target: DnsResponder = responder, from = '127.0.0.1'): Promise<void> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', () => {}); // replies to valid mutations are expected and ignored
  await new Promise<void>((r) => sock.bind(0, from, () => r()));
  const base = handled(target.stats());
  for (let i = 0; i < packets.length; i += 100) {
    const slice = packets.slice(i, i + 100);
    await Promise.all(slice.map((p) => new Promise<void>((r) => sock.send(p, target.udpPort, '127.0.0.1', () => r()))));
    const deadline = performance.now() + 1000;
    while (handled(target.stats()) - base < i + slice.length && performance.now() < deadline) await new Promise((r) => setImmediate(r));
  }
  sock.close();
}

async function assertHealthyAfter(t: import('ava').ExecutionContext, sent: number, before: DnsResponderStats) {
  const { reply, ms } = await udpAsk(responder.udpPort, queryBytes('hp-print-mgmt', 'A', true, 0xabcd), 1000);
  t.true(ms < 100, `valid query answered in ${ms.toFixed(1)} ms`);
  t.is(reply.readUInt16BE(6), 1, 'one answer record');
  // The probe itself is one more handled packet; wait for stragglers of the burst to be counted.
  const deadline = Date.now() + 2000;
  while (handled(responder.stats()) - handled(before) < sent + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const after = responder.stats();
  t.is(handled(after) - handled(before), sent + 1, 'every packet was dropped or answered');
  t.is(after.handlerErrors, 0);
  const d = await dig(responder.udpPort, ['hp-print-mgmt.corp.example', 'A']);
  t.is(d.status, 'NOERROR');
  return after;
}

test.serial('the 12-byte all-0xFF packet and its QR=0 twin are dropped, service continues', async (t) => {
  const before = responder.stats();
  const allFF = Buffer.alloc(12, 0xff);
  const query0xFFFF = Buffer.alloc(12, 0xff);
  query0xFFFF[2] = 0x01; // QR=0, RD=1
  query0xFFFF[3] = 0x00;
  await burst([allFF, query0xFFFF]);
  const after = await assertHealthyAfter(t, 2, before);
  t.is(after.dropped.response - before.dropped.response, 1);
  t.is(after.dropped['counts-exceed-length'] - before.dropped['counts-exceed-length'], 1);
});

test.serial('10,000 random packets', async (t) => {
  const rnd = prng(SEED);
  const packets = Array.from({ length: 10_000 }, () => {
    const len = Math.floor(rnd() * 600);
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) b[i] = Math.floor(rnd() * 256);
    return b;
  });
  const before = responder.stats();
  const t0 = performance.now();
  await burst(packets);
  t.log(`burst sent in ${(performance.now() - t0).toFixed(0)} ms`);
  const after = await assertHealthyAfter(t, packets.length, before);
  t.true(after.droppedTotal - before.droppedTotal > 9_900, 'garbage is dropped, not answered');
  t.log(after.dropped);
});

test.serial('unpaced: 10,000 random packets as fast as the sender can, then a valid query within 100 ms', async (t) => {
  const rnd = prng(SEED + 2);
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const before = responder.stats();
  await Promise.all(
    Array.from({ length: 10_000 }, () => {
      const b = Buffer.alloc(12 + Math.floor(rnd() * 500));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
      return new Promise<void>((r) => sock.send(b, responder.udpPort, '127.0.0.1', () => r()));
    }),
  );
  sock.close();
  // The kernel discards what does not fit the socket buffer (that is the point of not pacing). Once the
  // responder has drained what was queued — no new drops for 20 ms — a valid query gets its answer.
  const t0 = performance.now();
  let last = -1;
  while (responder.stats().droppedTotal !== last) {
    last = responder.stats().droppedTotal;
    await new Promise((r) => setTimeout(r, 20));
  }
  const drainMs = performance.now() - t0 - 20;
  const { ms } = await udpAsk(responder.udpPort, queryBytes('hp-print-mgmt', 'A', true, 0xbeef), 1000);
  t.true(ms < 100, `valid query answered in ${ms.toFixed(1)} ms`);
  const after = responder.stats();
  t.true(after.droppedTotal - before.droppedTotal > 1000);
  t.true(drainMs < 1000, `queued flood drained in ${drainMs.toFixed(0)} ms`);
  t.is(after.handlerErrors, 0);
  t.log({ dropped: after.droppedTotal - before.droppedTotal, drainMs: Math.round(drainMs), probeMs: +ms.toFixed(1) });
});

test.serial('10,000 mutated valid queries', async (t) => {
  const rnd = prng(SEED + 1);
  const int = (n: number) => Math.floor(rnd() * n);
  const seeds = [
    queryBytes('hp-print-mgmt', 'A', true),
    queryBytes('hp-print-mgmt.corp.example', 'AAAA', false),
    queryBytes('other.example', 'A', true),
  ];
  const packets = Array.from({ length: 10_000 }, () => {
    let b = Buffer.from(seeds[int(seeds.length)]);
    for (let m = 1 + int(4); m > 0; m--) {
      const op = int(6);
      if (op === 0 && b.length) b[int(b.length)] = int(256); // byte flip
      else if (op === 1) b = b.subarray(0, int(b.length + 1)); // truncate
      else if (op === 2) b = Buffer.concat([b, Buffer.from(Array.from({ length: 1 + int(40) }, () => int(256)))]); // append junk
      else if (op === 3 && b.length >= 12) b.writeUInt16BE(int(4) === 0 ? 0xffff : int(4), 4 + 2 * int(4)); // lie in a count
      else if (op === 4 && b.length > 12) b[12 + int(b.length - 12)] = 0xc0 | int(64); // plant a compression pointer
      else if (op === 5 && b.length >= 3) b[2] ^= 1 << int(8); // flip a header flag (QR, opcode, TC, RD)
    }
    return b;
  });
  const before = responder.stats();
  await burst(packets);
  const after = await assertHealthyAfter(t, packets.length, before);
  const answeredAny = after.answered + after.refused + after.formerr + after.notimp - (before.answered + before.refused + before.formerr + before.notimp);
  t.true(answeredAny > 0, 'some mutations are still valid queries and get answers');
  t.true(after.droppedTotal - before.droppedTotal > 0);
  t.true(after.forwarded > before.forwarded, 'surviving queries for other names were forwarded');
  t.log({ answered: answeredAny, forwarded: after.forwarded - before.forwarded, servfail: after.servfail - before.servfail, dropped: after.droppedTotal - before.droppedTotal });
});

test.serial('TCP: garbage closes the connection, counts the drop, and the server keeps serving', async (t) => {
  const net = await import('node:net');
  const before = responder.stats();
  await new Promise<void>((resolve, reject) => {
    const c = net.connect(responder.tcpPort, '127.0.0.1', () => {
      const junk = Buffer.alloc(14, 0xff);
      junk.writeUInt16BE(12, 0);
      c.write(junk);
    });
    c.on('close', () => resolve());
    c.on('error', reject);
    setTimeout(() => reject(new Error('connection not closed')), 2000);
  });
  t.is(responder.stats().droppedTotal - before.droppedTotal, 1);
  const r = await dig(responder.tcpPort, ['+tcp', 'hp-print-mgmt', 'A']);
  t.is(r.status, 'NOERROR');
});

test.serial('per-source rate limit: a flood from one address does not starve another', async (t) => {
  const limited = await startDnsResponder(
    { host: '127.0.0.1', port: 0, addresses: { ipv4: ['192.0.2.10'], ipv6: [] }, rateLimitPerSecond: 50 },
    silentLogger(),
  );
  try {
    const q = queryBytes('hp-print-mgmt', 'A', false);
    await burst(Array.from({ length: 500 }, () => q), limited, '127.0.0.2');
    const { ms } = await udpAsk(limited.udpPort, queryBytes('hp-print-mgmt', 'A', false, 0x7777), 1000, '127.0.0.1');
    t.true(ms < 100);
    const s = limited.stats();
    t.true(s.dropped['rate-limited'] >= 400, `rate-limited ${s.dropped['rate-limited']}`);
    t.true(s.answered <= 100);
  } finally {
    await limited.stop();
  }
});
