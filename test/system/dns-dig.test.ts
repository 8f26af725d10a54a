// The responder against a real client (dig from bind9-dnsutils), with a real upstream behind it.
import test from 'ava';
import { startDnsResponder, type DnsResponder } from '../../appliance/src/dns/index.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';
import { dig, startFakeUpstream, type FakeUpstream } from './dns-helpers.ts';

const V4 = '192.0.2.10';
const V6 = '2001:db8::10';

let responder: DnsResponder; // forwards to `upstream`
let lonely: DnsResponder; // no upstream: REFUSED for other names
let relay: DnsResponder; // forwards to `responder` (our own responder as the second local upstream)
let upstream: FakeUpstream;

test.before(async () => {
  upstream = await startFakeUpstream();
  const common = { host: '127.0.0.1', port: 0, searchSuffixes: ['corp.example', 'branch.example'], rateLimitPerSecond: 0 };
  responder = await startDnsResponder(
    { ...common, addresses: { ipv4: [V4], ipv6: [V6] }, upstreams: [`127.0.0.1:${upstream.port}`], upstreamTimeoutMs: 500 },
    silentLogger(),
  );
  lonely = await startDnsResponder({ ...common, addresses: { ipv4: [V4], ipv6: [] } }, silentLogger());
  relay = await startDnsResponder(
    { ...common, names: ['relay-only'], addresses: { ipv4: ['192.0.2.99'], ipv6: [] }, upstreams: [`127.0.0.1:${responder.udpPort}`] },
    silentLogger(),
  );
});

test.after.always(async () => {
  await Promise.all([responder?.stop(), lonely?.stop(), relay?.stop(), upstream?.close()]);
});

test('A and AAAA for the bare name, authoritative, default TTL 300', async (t) => {
  const a = await dig(responder.udpPort, ['hp-print-mgmt', 'A']);
  t.is(a.status, 'NOERROR');
  t.true(a.flags.includes('aa'));
  t.deepEqual(a.answers, [{ name: 'hp-print-mgmt.', ttl: 300, type: 'A', data: V4 }]);
  const aaaa = await dig(responder.udpPort, ['hp-print-mgmt', 'AAAA']);
  t.deepEqual(aaaa.answers.map((x) => [x.type, x.data]), [['AAAA', V6]]);
});

test('suffixed names and mixed case are answered, echoing the asked spelling', async (t) => {
  // The third repeats the first name in another case: served from the encoded-answer template, patched.
  for (const name of ['hp-print-mgmt.corp.example', 'HP-Print-MGMT.Branch.EXAMPLE.', 'Hp-Print-Mgmt.CORP.example']) {
    const r = await dig(responder.udpPort, [name, 'A']);
    t.is(r.status, 'NOERROR', name);
    t.deepEqual(r.answers.map((x) => x.data), [V4], name);
    t.is(r.answers[0].name, name.endsWith('.') ? name : `${name}.`);
    t.regex(r.raw, new RegExp(`QUESTION SECTION:\\n;${name.replace(/\./g, '\\.')}\\.?\\s+IN\\s+A`));
  }
  const norec = await dig(responder.udpPort, ['+norec', 'HP-PRINT-MGMT.corp.example', 'A']);
  t.false(norec.flags.includes('rd'), 'RD echoed from this query, not the template');
  t.true(norec.flags.includes('aa'));
});

test('TCP answers the same records', async (t) => {
  const r = await dig(responder.tcpPort, ['+tcp', 'hp-print-mgmt.corp.example', 'AAAA']);
  t.is(r.status, 'NOERROR');
  t.deepEqual(r.answers.map((x) => x.data), [V6]);
  t.is(responder.tcpPort, responder.udpPort);
});

test('dig +search with a search domain finds the suffixed name', async (t) => {
  // +domain= sets dig's search list (instead of /etc/resolv.conf's) and enables search; with ndots=1
  // the single-label name is tried with the suffix first, exactly like a device's stub resolver.
  const r = await dig(responder.udpPort, ['+search', '+domain=branch.example', 'hp-print-mgmt', 'A']);
  t.is(r.status, 'NOERROR');
  t.deepEqual(r.answers.map((x) => [x.name, x.data]), [['hp-print-mgmt.branch.example.', V4]]);
});

test('a name that exists without the asked family is NOERROR with no records', async (t) => {
  const r = await dig(lonely.udpPort, ['hp-print-mgmt', 'AAAA']);
  t.is(r.status, 'NOERROR');
  t.true(r.flags.includes('aa'));
  t.deepEqual(r.answers, []);
  const mx = await dig(lonely.udpPort, ['hp-print-mgmt.corp.example', 'MX']);
  t.is(mx.status, 'NOERROR');
  t.deepEqual(mx.answers, []);
});

test('other names are REFUSED when no upstream is configured', async (t) => {
  const r = await dig(lonely.udpPort, ['www.example', 'A']);
  t.is(r.status, 'REFUSED');
  t.false(r.flags.includes('ra'));
  t.true(lonely.stats().refused >= 1);
});

test('other names are forwarded: through our own responder as upstream, and to a dns2 resolver', async (t) => {
  const viaOurs = await dig(relay.udpPort, ['hp-print-mgmt.corp.example', 'A']);
  t.is(viaOurs.status, 'NOERROR');
  t.deepEqual(viaOurs.answers.map((x) => x.data), [V4]);
  t.true(viaOurs.flags.includes('aa'), 'relayed verbatim: the upstream was authoritative');
  t.true(relay.stats().forwarded >= 1);
  const r = await dig(responder.udpPort, ['www.Example', 'A']);
  t.is(r.status, 'NOERROR');
  t.true(r.flags.includes('ra'));
  t.deepEqual(r.answers.map((x) => [x.name, x.data]), [['www.Example.', '198.51.100.1']]);
});

test('NXDOMAIN from the upstream is relayed with its SOA', async (t) => {
  const r = await dig(responder.udpPort, ['missing.example', 'A']);
  t.is(r.status, 'NXDOMAIN');
  t.regex(r.raw, /AUTHORITY SECTION:\nexample\.\s+\d+\s+IN\s+SOA/);
});

test('truncated upstream answers are re-asked over TCP', async (t) => {
  const before = responder.stats().upstream.tcpFallbacks;
  // Without EDNS the 60-record answer exceeds 512 octets: upstream truncates, we retry over TCP; dig in
  // turn gets TC from us over UDP and retries over TCP, receiving all 60 records.
  const r = await dig(responder.udpPort, ['+noedns', 'big.example', 'A']);
  t.is(r.status, 'NOERROR');
  t.is(r.answers.length, 60);
  t.true(responder.stats().upstream.tcpFallbacks > before);
  t.true(upstream.seen.some((s) => s.name === 'big.example' && s.via === 'tcp'));
});

test('upstream answers are cached for their TTL and no longer', async (t) => {
  const count = () => upstream.seen.filter((s) => s.name === 'short-ttl.example').length;
  const first = await dig(responder.udpPort, ['short-ttl.example', 'A']);
  const second = await dig(responder.udpPort, ['SHORT-TTL.example', 'A']);
  t.is(count(), 1, 'second query served from cache');
  t.true(second.answers[0].ttl <= first.answers[0].ttl);
  t.is(second.answers[0].name, 'SHORT-TTL.example.', 'cached answer echoes the new spelling');
  await new Promise((r) => setTimeout(r, 2100));
  await dig(responder.udpPort, ['short-ttl.example', 'A']);
  t.is(count(), 2, 'expired entry re-fetched');
});

test('an upstream that never answers yields SERVFAIL after the timeout', async (t) => {
  const t0 = Date.now();
  const r = await dig(responder.udpPort, ['silent.example', 'A']);
  t.is(r.status, 'SERVFAIL');
  t.true(Date.now() - t0 < 1900);
});

test('EDNS: OPT echoed when asked, absent otherwise, BADVERS for version 1', async (t) => {
  const withEdns = await dig(responder.udpPort, ['+edns=0', 'hp-print-mgmt', 'A']);
  t.true(withEdns.opt);
  t.is(withEdns.ednsVersion, 0);
  const without = await dig(responder.udpPort, ['+noedns', 'hp-print-mgmt', 'A']);
  t.false(without.opt);
  t.is(without.status, 'NOERROR');
  const refusedWithEdns = await dig(lonely.udpPort, ['+edns=0', 'nowhere.example', 'A']);
  t.true(refusedWithEdns.opt);
  const forwardedWithEdns = await dig(responder.udpPort, ['+edns=0', 'www.example', 'A']);
  t.true(forwardedWithEdns.opt);
  const fromEdnsUnaware = await dig(responder.udpPort, ['+edns=0', 'no-edns.example', 'A']);
  t.true(fromEdnsUnaware.opt, 'OPT added when the upstream answered without one');
  t.deepEqual(fromEdnsUnaware.answers.map((x) => x.data), ['198.51.100.1']);
  const v1 = await dig(responder.udpPort, ['+edns=1', '+noednsnegotiation', 'hp-print-mgmt', 'A']);
  t.is(v1.status, 'BADVERS');
});

test('on IPv6 loopback: UDP and TCP', async (t) => {
  const v6 = await startDnsResponder({ host: '::1', port: 0, addresses: { ipv4: [V4], ipv6: [V6] } }, silentLogger());
  try {
    for (const extra of [[], ['+tcp']]) {
      const r = await dig(v6.udpPort, [...extra, 'hp-print-mgmt', 'AAAA'], '::1');
      t.deepEqual(r.answers.map((x) => x.data), [V6], extra.join(''));
    }
  } finally {
    await v6.stop();
  }
});

test('stop() returns promptly even while a TCP client holds an idle connection', async (t) => {
  const net = await import('node:net');
  const r = await startDnsResponder({ host: '127.0.0.1', port: 0, addresses: { ipv4: [V4], ipv6: [] } }, silentLogger());
  const idle = net.connect(r.tcpPort, '127.0.0.1');
  await new Promise((res) => idle.once('connect', res));
  idle.on('error', () => undefined);
  const t0 = Date.now();
  await r.stop();
  t.true(Date.now() - t0 < 1000);
  idle.destroy();
});
