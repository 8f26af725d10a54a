// The device side (HDAP.md §1) and the self-check, both against a running responder.
import { Writable } from 'node:stream';
import test from 'ava';
import { dnsSelfCheck, startDnsResponder, type DnsResponder } from '../../appliance/src/dns/index.ts';
import { dnsTargetResolver, ManagementServerNotFound, resolveManagementServer } from '../../appliance/src/sim/dns-resolve.ts';
import { createRootLogger, silentLogger } from '../../appliance/src/util/log.ts';
import { startFakeUpstream, type FakeUpstream } from './dns-helpers.ts';

let branchOnly: DnsResponder; // answers only hp-print-mgmt.branch.example, refuses the bare name's zone
let dualStack: DnsResponder;
let upstream: FakeUpstream;

test.before(async () => {
  upstream = await startFakeUpstream();
  // Only the suffixed name exists here (given as the full name); the bare name and other suffixes are
  // REFUSED, so the device must walk its search list to find the server.
  branchOnly = await startDnsResponder(
    { host: '127.0.0.1', port: 0, names: ['hp-print-mgmt.branch.example'], addresses: { ipv4: ['192.0.2.20'], ipv6: [] }, rateLimitPerSecond: 0 },
    silentLogger(),
  );
  dualStack = await startDnsResponder(
    { host: '::1', port: 0, searchSuffixes: ['corp.example'], addresses: { ipv4: ['192.0.2.10'], ipv6: ['2001:db8::10'] }, rateLimitPerSecond: 0 },
    silentLogger(),
  );
});

test.after.always(async () => {
  await Promise.all([branchOnly?.stop(), dualStack?.stop(), upstream?.close()]);
});

test('a device with only --dns and a search suffix finds the server via the suffix, and logs its trace', async (t) => {
  const lines: string[] = [];
  const log = createRootLogger({
    level: 'info',
    destination: new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }),
  });
  const found = await resolveManagementServer({ dns: `127.0.0.1:${branchOnly.udpPort}`, searchDomains: ['other.example', 'branch.example'] }, log);
  t.is(found.name, 'hp-print-mgmt.branch.example');
  t.is(found.address, '192.0.2.20');
  t.is(found.family, 4);
  t.deepEqual(
    found.tried.map((x) => `${x.name} ${x.type} ${x.result}`),
    [
      'hp-print-mgmt AAAA refused',
      'hp-print-mgmt A refused',
      'hp-print-mgmt.other.example AAAA refused',
      'hp-print-mgmt.other.example A refused',
      'hp-print-mgmt.branch.example AAAA nodata',
      'hp-print-mgmt.branch.example A ok 192.0.2.20',
    ],
  );
  await new Promise((r) => setTimeout(r, 50));
  const entry = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'management server resolved');
  t.truthy(entry);
  t.is(entry.tried.length, 6);
});

test('IPv6 is preferred and the first resolving name wins (bare name over a suffix)', async (t) => {
  const found = await resolveManagementServer({ dns: `[::1]:${dualStack.udpPort}`, searchDomains: ['corp.example'] });
  t.is(found.name, 'hp-print-mgmt');
  t.is(found.family, 6);
  t.is(found.address, '2001:db8::10');
  t.deepEqual(found.candidates, ['2001:db8::10', '192.0.2.10']);
  t.is(found.tried.length, 2, 'stops after the first name that resolves');
});

test('nothing resolves: a typed error carrying the trace', async (t) => {
  const err = await t.throwsAsync(resolveManagementServer({ dns: `127.0.0.1:${branchOnly.udpPort}`, searchDomains: [] }), {
    instanceOf: ManagementServerNotFound,
  });
  t.is(err!.tried.length, 2);
});

test('self-check: system resolvers vs the responder, and whether each name points here', async (t) => {
  // The fake upstream plays the branch's DNS: it answers every name with 198.51.100.1 (a stale record).
  const report = await dnsSelfCheck({
    searchSuffixes: ['corp.example'],
    addresses: { ipv4: ['192.0.2.10'], ipv6: ['2001:db8::10'] },
    responder: { host: '::', port: dualStack.udpPort },
    systemServers: [`127.0.0.1:${upstream.port}`],
    timeoutMs: 1000,
    applianceHostname: 'edge1',
  });
  t.deepEqual(report.entries.map((e) => e.name), ['hp-print-mgmt', 'hp-print-mgmt.corp.example']);
  const bare = report.entries[0];
  t.deepEqual(bare.system.a.addresses, ['198.51.100.1']);
  t.false(bare.system.pointsAtAppliance);
  t.deepEqual(bare.system.foreignAddresses, ['198.51.100.1']);
  t.deepEqual(bare.appliance?.a.addresses, ['192.0.2.10']);
  t.deepEqual(bare.appliance?.aaaa.addresses, ['2001:db8::10']);
  t.true(bare.appliance?.pointsAtAppliance);
  t.false(report.printersWillFindAppliance);
  t.regex(report.summary, /not this appliance/);
  t.true(report.records.bind.includes('hp-print-mgmt.corp.example. 300 IN A 192.0.2.10'));
  t.true(report.records.windows.some((l) => l.includes('Add-DnsServerResourceRecordCName')));
  t.regex(report.records.dhcpOption119.note, /option 119/);

  // With the appliance itself as the branch's resolver, printers find it.
  const good = await dnsSelfCheck({
    searchSuffixes: ['corp.example'],
    addresses: { ipv4: ['192.0.2.10'], ipv6: ['2001:db8::10'] },
    systemServers: [`[::1]:${dualStack.udpPort}`],
    timeoutMs: 1000,
  });
  t.true(good.printersWillFindAppliance);
  t.true(good.entries.every((e) => e.system.pointsAtAppliance));
  t.is(good.entries[0].appliance, undefined);
});

test('dnsTargetResolver gives a printer its target (HDAP port 3329 unless told otherwise)', async (t) => {
  const target = dnsTargetResolver({ dns: `127.0.0.1:${branchOnly.udpPort}`, searchDomains: ['branch.example'] });
  t.deepEqual(await target(), { host: '192.0.2.20', port: 3329 });
  const custom = dnsTargetResolver({ dns: `[::1]:${dualStack.udpPort}`, searchDomains: [], port: 13329 });
  t.deepEqual(await custom(), { host: '2001:db8::10', port: 13329 });
});
