import test from 'ava';
import { ClientAllowList, ownSubnets, parseCidr } from '../../../appliance/src/dns/client-allow.ts';
import { ownOpt, OUR_EDNS_PAYLOAD, udpBudget } from '../../../appliance/src/dns/response-builder.ts';
import { walkMessage } from '../../../appliance/src/dns/message-walk.ts';
import { queryBytes } from '../../system/dns-helpers.ts';

const IFACES = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
    { address: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', family: 'IPv6', mac: '00:00:00:00:00:00', internal: true, cidr: '::1/128', scopeid: 0 }],
  eth0: [{ address: '192.168.7.20', netmask: '255.255.255.0', family: 'IPv4', mac: 'b8:27:eb:00:00:01', internal: false, cidr: '192.168.7.20/24' },
    { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: 'b8:27:eb:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 }],
} as any;

test('parseCidr takes addresses and blocks of both families and nothing else', (t) => {
  t.like(parseCidr('10.1.0.0/16'), { address: '10.1.0.0', prefix: 16, family: 'ipv4' });
  t.like(parseCidr('10.1.2.3'), { prefix: 32 });
  t.like(parseCidr('2001:db8::/48'), { prefix: 48, family: 'ipv6' });
  for (const bad of ['10.1.0.0/33', '10.1.0.0/', '10.1.0/8', 'printers', '2001:db8::/129', '10.0.0.0/8/8', '10.0.0.0/-1']) t.is(parseCidr(bad), null, bad);
});

test('default: the appliance\'s own subnets and loopback (link-local left out); IPv4-mapped peers match', (t) => {
  t.deepEqual(ownSubnets(IFACES), ['127.0.0.1/8', '::1/128', '192.168.7.20/24']);
  const acl = new ClientAllowList([], () => IFACES);
  for (const ok of ['127.0.0.9', '::1', '192.168.7.1', '192.168.7.254', '::ffff:192.168.7.9']) t.true(acl.allows(ok), ok);
  for (const no of ['192.168.8.1', '10.0.0.1', '8.8.8.8', 'fe80::2', '2001:db8::1', 'unknown', '']) t.false(acl.allows(no), no);
});

test('an explicit list replaces the default; a bad entry is refused at start', (t) => {
  const acl = new ClientAllowList(['10.20.0.0/16', '2001:db8:1::/48'], () => IFACES);
  t.true(acl.allows('10.20.99.1'));
  t.true(acl.allows('2001:db8:1:5::7'));
  t.false(acl.allows('127.0.0.1'), 'loopback only when listed');
  t.false(acl.allows('192.168.7.1'));
  t.throws(() => new ClientAllowList(['10.0.0.0/8', 'the printers']), { message: /not an IP address or CIDR/ });
});

test('the default follows interface changes (DHCP) within a minute', (t) => {
  let now = 0;
  let ifaces = IFACES;
  const acl = new ClientAllowList([], () => ifaces, () => now);
  t.false(acl.allows('10.9.0.5'));
  ifaces = { ...IFACES, eth0: [{ ...IFACES.eth0[0], address: '10.9.0.2', cidr: '10.9.0.2/24' }] };
  now = 30_000;
  t.false(acl.allows('10.9.0.5'), 'not re-read on every query');
  now = 61_000;
  t.true(acl.allows('10.9.0.5'));
  t.false(acl.allows('192.168.7.1'), 'the old subnet is gone');
});

test('UDP budget: 512 without EDNS, the client\'s size with it, never below 512 nor above what we advertise', (t) => {
  const summary = (size?: number) => ({ opt: size === undefined ? undefined : { udpSize: size, version: 0, doFlag: false } }) as any;
  t.is(udpBudget(summary()), 512);
  t.is(udpBudget(summary(100)), 512);
  t.is(udpBudget(summary(800)), 800);
  t.is(udpBudget(summary(4096)), OUR_EDNS_PAYLOAD);
});

test('an upstream\'s OPT is replaced by our payload size; a missing one is added', (t) => {
  const q = queryBytes('www.example', 'A', true);
  const withUpstreamOpt = Buffer.from(q);
  const walked = walkMessage(withUpstreamOpt);
  if (!walked.ok) return t.fail();
  const opt = walked.summary.records.find((r) => r.type === 41)!;
  withUpstreamOpt.writeUInt16BE(4096, opt.ttlOffset - 2);
  const fixed = walkMessage(ownOpt(withUpstreamOpt));
  t.true(fixed.ok && fixed.summary.opt?.udpSize === OUR_EDNS_PAYLOAD);
  t.is(withUpstreamOpt.readUInt16BE(opt.ttlOffset - 2), 4096, 'the cached original is not changed in place');
  const added = walkMessage(ownOpt(queryBytes('www.example', 'A', false)));
  t.true(added.ok && added.summary.opt?.udpSize === OUR_EDNS_PAYLOAD && added.summary.arcount === 1);
});
