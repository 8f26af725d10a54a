// Issue 12 item 7, against a real client (dig): the appliance is not an open resolver (forwarding only for
// dnsAllowFrom; hp-print-mgmt for everyone), never sends a UDP answer larger than the client advertised
// (nor than the 1232 it advertises itself), and one address cannot take every TCP slot.
import test from 'ava';
import net from 'node:net';
import { startDnsResponder, type DnsResponder } from '../../appliance/src/dns/index.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';
import { dig, startFakeUpstream, type FakeUpstream } from './dns-helpers.ts';

let upstream: FakeUpstream;
let open: DnsResponder; // default dnsAllowFrom: own subnets and loopback
let strict: DnsResponder; // dnsAllowFrom = 127.0.0.1 only

test.before(async () => {
  upstream = await startFakeUpstream();
  const common = { host: '127.0.0.1', port: 0, rateLimitPerSecond: 0, addresses: { ipv4: ['192.0.2.10'], ipv6: [] }, upstreams: [`127.0.0.1:${upstream.port}`], upstreamTimeoutMs: 1500 };
  open = await startDnsResponder(common, silentLogger());
  strict = await startDnsResponder({ ...common, allowFrom: ['127.0.0.1/32'], maxTcpPerSource: 2 }, silentLogger());
});

test.after.always(async () => {
  await Promise.all([open?.stop(), strict?.stop(), upstream?.close()]);
});

const size = (raw: string) => Number(/MSG SIZE\s+rcvd: (\d+)/.exec(raw)?.[1] ?? NaN);
const advertised = (raw: string) => Number(/; EDNS: version: \d+, flags:[^;]*; udp: (\d+)/.exec(raw)?.[1] ?? NaN);

test('a client outside dnsAllowFrom gets REFUSED for a forwarded name, over UDP and TCP; hp-print-mgmt still answers it', async (t) => {
  const asked = () => upstream.seen.filter((q) => q.name === 'www.example').length;
  const before = asked();
  for (const extra of [[], ['+tcp']]) {
    const outside = await dig(strict.udpPort, ['-b', '127.0.0.9', ...extra, 'www.example', 'A']);
    t.is(outside.status, 'REFUSED', `127.0.0.9 ${extra.join('')}`);
    t.false(outside.flags.includes('ra'), 'no recursion offered to it');
    const mgmt = await dig(strict.udpPort, ['-b', '127.0.0.9', ...extra, 'hp-print-mgmt', 'A']);
    t.is(mgmt.status, 'NOERROR');
    t.deepEqual(mgmt.answers.map((a) => a.data), ['192.0.2.10']);
  }
  t.is(asked(), before, 'nothing was forwarded for the outsider');
  t.is(strict.stats().refusedNotAllowed, 2);

  const inside = await dig(strict.udpPort, ['-b', '127.0.0.1', 'www.example', 'A']);
  t.is(inside.status, 'NOERROR');
  t.deepEqual(inside.answers.map((a) => a.data), ['198.51.100.1']);
  // The default list is the appliance's own subnets and loopback: 127.0.0.9 is on loopback's 127.0.0.0/8.
  const byDefault = await dig(open.udpPort, ['-b', '127.0.0.9', 'www.example', 'A']);
  t.is(byDefault.status, 'NOERROR');
});

test('an EDNS answer never exceeds the advertised size (nor 1232); larger ones are truncated and complete over TCP', async (t) => {
  const cases: Array<{ name: string; records: number }> = [{ name: 'hp-print-mgmt', records: 1 }, { name: 'big.example', records: 60 }, { name: 'huge.example', records: 150 }];
  for (const bufsize of [512, 700, 1000, 1232, 1400, 4096]) {
    for (const { name, records } of cases) {
      // +ignore: take the UDP answer as it is (no retry over TCP), so its size and TC flag can be checked.
      const udp = await dig(open.udpPort, [`+bufsize=${bufsize}`, '+ignore', name, 'A']);
      const label = `${name} +bufsize=${bufsize}`;
      t.is(udp.status, 'NOERROR', label);
      t.true(size(udp.raw) <= Math.min(bufsize, 1232), `${label}: ${size(udp.raw)} bytes`);
      t.is(advertised(udp.raw), 1232, `${label}: we advertise our own payload size, not the upstream's`);
      if (udp.flags.includes('tc')) t.deepEqual(udp.answers, [], `${label}: truncated means no partial answer`);
      else t.is(udp.answers.length, records, label);
    }
  }
  // Without EDNS: 512 at most.
  for (const { name } of cases) {
    const plain = await dig(open.udpPort, ['+noedns', '+ignore', name, 'A']);
    t.true(size(plain.raw) <= 512, `${name} without EDNS: ${size(plain.raw)} bytes`);
  }
  // The truncated ones are complete when dig retries over TCP, as a stub resolver does.
  const full = await dig(open.udpPort, ['+bufsize=4096', 'huge.example', 'A']);
  t.is(full.answers.length, 150);
  t.true(size(full.raw) > 1232, 'the whole answer came over TCP');
});

test('TCP connections are capped per source address; another address still gets in', async (t) => {
  const connect = (localAddress: string) => new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: strict.tcpPort, localAddress }, () => resolve(s));
    s.on('error', reject);
  });
  const closed = (s: net.Socket) => new Promise<boolean>((resolve) => {
    if (s.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), 1500);
    s.once('close', () => { clearTimeout(timer); resolve(true); });
  });
  const held = [await connect('127.0.0.5'), await connect('127.0.0.5')];
  t.teardown(() => held.forEach((s) => s.destroy()));
  const third = await connect('127.0.0.5');
  t.true(await closed(third), 'the third from one address is closed at once');
  t.true(strict.stats().dropped['tcp-per-source-limit'] >= 1);
  const other = await connect('127.0.0.6');
  t.teardown(() => other.destroy());
  // Still open and served: a query over it is answered.
  const r = await dig(strict.tcpPort, ['+tcp', '-b', '127.0.0.6', 'hp-print-mgmt', 'A']);
  t.is(r.status, 'NOERROR');
  t.false(other.destroyed, 'the other address is not refused');
});
