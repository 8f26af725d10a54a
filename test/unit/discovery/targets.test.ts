// Discovery targets: what is accepted, what is refused and why, and the address list a job makes.
import test from 'ava';
import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import { parseTarget, plan, countAddresses, numberToIpv4, type Target } from '../../../appliance/src/discovery/targets.ts';
import { parseUpload } from '../../../appliance/src/discovery/upload.ts';
import { Pacer } from '../../../appliance/src/discovery/pacer.ts';

const ok = (text: string): Target => { const r = parseTarget(text); if (!r.ok) throw new Error(`${text}: ${r.message}`); return r.target; };
const why = (text: string): string => { const r = parseTarget(text); if (r.ok) throw new Error(`${text} was accepted`); return r.message; };
const addresses = (targets: string[], resolved: Record<string, string> = {}) => [...plan(targets.map(ok), new Map(Object.entries(resolved))).addresses()];

test('a CIDR skips its network and broadcast addresses; /31 and /32 have none', (t) => {
  const a = addresses(['10.0.0.0/29']);
  t.deepEqual(a.map((x) => x.address), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  t.true(a.every((x) => x.way === 'discovery'));
  t.deepEqual(addresses(['10.0.0.6/31']).map((x) => x.address), ['10.0.0.6', '10.0.0.7']);
  t.deepEqual(addresses(['10.0.0.9/32']).map((x) => x.address), ['10.0.0.9']);
  t.is(countAddresses([ok('10.1.0.0/22')]), 1022);
  t.is(countAddresses([ok('10.1.0.77/24')]), 254, 'host bits are ignored: the network the address is in');
});

test('ranges: full and short form, literal ends; overlapping targets give each address once', (t) => {
  t.deepEqual(addresses(['10.0.1.10-10.0.1.13']).map((x) => x.address), ['10.0.1.10', '10.0.1.11', '10.0.1.12', '10.0.1.13']);
  t.is(why('10.0.1.254 - 2'), 'the range ends before it starts');
  t.deepEqual(addresses(['10.0.1.10-12']).map((x) => x.address), ['10.0.1.10', '10.0.1.11', '10.0.1.12']);
  t.deepEqual(addresses(['10.0.0.255-10.0.1.1']).map((x) => x.address), ['10.0.0.255', '10.0.1.0', '10.0.1.1'], 'a range is taken literally, across octets');
  const mixed = addresses(['10.0.0.0/30', '10.0.0.1-10.0.0.5', '10.0.0.2', 'prn-3.branch.lan', '2001:db8::10', '2001:DB8::10'], { 'prn-3.branch.lan': '10.0.0.3' });
  t.deepEqual(mixed.map((x) => `${x.address}/${x.way}`), ['10.0.0.1/discovery', '10.0.0.2/manual', '10.0.0.3/manual', '10.0.0.4/discovery', '10.0.0.5/discovery', '2001:db8::10/manual']);
  t.is(plan(['10.0.0.0/30', '10.0.0.2'].map(ok), new Map(), { way: 'discovery' }).total, 2);
});

test('refusals say why', (t) => {
  t.is(why('10.0.0.0/33'), 'prefix length must be 0–32');
  t.is(why('10.0.0.300'), 'is not a valid IPv4 address');
  t.is(why('10.0.0'), 'is not a valid IPv4 address');
  t.is(why('10.0.1.40-10.0.1.10'), 'the range ends before it starts');
  t.is(why('10.0.1.10-300'), '"300" is not an IPv4 address or a last octet');
  t.is(why('2001:db8::/64'), 'IPv6 is discovered by explicit address only (no prefixes)');
  t.is(why('ff02::1'), 'is an IPv6 multicast address');
  t.regex(why('224.0.0.0/24'), /multicast/);
  t.regex(why('255.255.255.255'), /broadcast/);
  t.regex(why('0.0.0.0/0'), /this-network/);
  t.regex(why('bad_host!'), /is not an IPv4 address, range/);
  t.regex(why('x'.repeat(300)), /longer than 255/);
  t.is(why('  '), 'is empty');
  t.is(why('10.0.0.0/8/1'), 'is not a CIDR (one / only)');
  t.like(ok('PRN-3.Branch.LAN.'), { kind: 'hostname', name: 'prn-3.branch.lan' });
  t.like(ok('fe80::1'), { kind: 'ipv6' });
});

test('property: a plan lists exactly `total` distinct addresses, all inside the targets', (t) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0x0a000000, max: 0x0a0003ff }), fc.integer({ min: 0, max: 40 }), fc.boolean()), { minLength: 1, maxLength: 6 }), (spec) => {
    const targets = spec.map(([start, len, cidr]) => cidr ? `${numberToIpv4(start)}/${27 + (len % 6)}` : `${numberToIpv4(start)}-${numberToIpv4(start + len)}`);
    const p = plan(targets.map(ok), new Map());
    const listed = [...p.addresses()].map((x) => x.address);
    return listed.length === p.total && new Set(listed).size === listed.length;
  }), { numRuns: 200 });
  t.pass();
});

test('upload: text and CSV, header and comments skipped, every bad line named', (t) => {
  const good = parseUpload('\uFEFFaddress;site\n10.0.0.1;HQ\n"10.0.0.2",lobby\n# the warehouse\n\n10.0.1.0/30\tstore\nprn-3.branch.lan\n');
  t.true(good.ok);
  if (good.ok) t.deepEqual(good.targets.map((x) => [x.line, x.text]), [[2, '10.0.0.1'], [3, '10.0.0.2'], [6, '10.0.1.0/30'], [7, 'prn-3.branch.lan']]);
  const bad = parseUpload('10.0.0.1\nnot an address\n10.0.0.0/40\n10.0.0.3\n\u0000\u0001binary');
  t.false(bad.ok);
  if (!bad.ok) t.deepEqual(bad.errors.map((e) => e.line), [2, 3, 5]);
  if (!bad.ok) t.regex(bad.errors[0].message, /^"not an address" is not an IPv4 address/);
  if (!bad.ok) t.regex(bad.errors[2].message, /^"\.\.binary"/);
  const quote = parseUpload('10.0.0.1\n"unclosed\n10.0.0.3\n');
  t.false(quote.ok);
  if (!quote.ok) t.regex(quote.errors[0].message, /not readable as text or CSV/);
  const empty = parseUpload('# nothing\n\n');
  t.false(empty.ok);
  const many = parseUpload(Array.from({ length: 500 }, (_, i) => `junk-${i}!`).join('\n'));
  if (!many.ok) { t.is(many.errors.length, 100); t.is(many.total, 500); } else t.fail();
});

test.serial('pacer: probes evenly spaced at the rate, however many ask at once', async (t) => {
  // A fake clock drives both the pacer's time and its timers, so the spacing is checked exactly, not timed.
  const clock = FakeTimers.install({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  t.teardown(() => clock.uninstall());
  const pacer = new Pacer(() => 100, () => clock.now);
  const went: number[] = [];
  // At 100/s, three asking at once go at 0, 10 and 20 ms.
  const waits = [0, 1, 2].map((i) => pacer.next().then((ok) => { if (ok) went[i] = clock.now; return ok; }));
  await clock.tickAsync(25);
  t.deepEqual(await Promise.all(waits), [true, true, true]);
  t.deepEqual(went, [0, 10, 20]);
  // Idle time is not banked: after a pause the next goes at once, the one after a gap later.
  await clock.tickAsync(1000);
  const later = [pacer.next(), pacer.next()];
  const at = clock.now;
  let second = -1;
  void later[1].then(() => { second = clock.now; });
  await clock.tickAsync(9);
  t.is(second, -1, 'not before the gap');
  await clock.tickAsync(1);
  t.is(second, at + 10);
  const ac = new AbortController();
  const blocked = pacer.next(ac.signal);
  ac.abort();
  t.false(await blocked);
});
