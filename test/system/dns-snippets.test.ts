// The records the DNS page gives admins to paste (issue 17 §6) are accepted by the real tools — BIND's
// named-checkzone, dnsmasq --test and ISC dhcpd -t — with and without search suffixes, with and without
// IPv6. A snippet for an existing zone is checked inside a minimal zone file of that name.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminRecords } from '../../appliance/src/dns/admin-records.ts';

const have = (bin: string) => { try { return statSync(bin).isFile(); } catch { return false; } };
const TOOLS = ['/usr/bin/named-checkzone', '/usr/sbin/dnsmasq', '/usr/sbin/dhcpd'];

const CASES = [
  { label: 'no search suffix, IPv4 and IPv6', searchSuffixes: [], addresses: { ipv4: ['192.0.2.10'], ipv6: ['2001:db8::10'] } },
  { label: 'no search suffix, IPv4 only', searchSuffixes: [], addresses: { ipv4: ['192.0.2.10', '198.51.100.7'], ipv6: [] } },
  { label: 'two search suffixes', searchSuffixes: ['corp.example', 'branch42.corp.example'], addresses: { ipv4: ['192.0.2.10'], ipv6: ['2001:db8::10'] } },
  { label: 'one suffix, IPv6 only', searchSuffixes: ['corp.example.'], addresses: { ipv4: [], ipv6: ['fd00::5'] } },
];

function run(bin: string, args: string[]): { code: number; out: string } {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

for (const c of CASES) {
  test(`${c.label}: BIND, dnsmasq and DHCP snippets pass the real tools`, (t) => {
    if (!TOOLS.every(have)) { t.fail(`needs ${TOOLS.join(', ')} (scripts/setup.sh installs bind9-utils, dnsmasq-base, isc-dhcp-server)`); return; }
    const dir = mkdtempSync(join(tmpdir(), 'ioe-snippets-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const r = adminRecords({ names: ['hp-print-mgmt'], searchSuffixes: c.searchSuffixes, addresses: c.addresses, ttl: 300, applianceHostname: 'edge1' });

    t.is(r.bindZones.filter((z) => z.kind === 'records').length, c.searchSuffixes.length);
    t.is(r.bindZones.filter((z) => z.kind === 'zone').length, 1, 'the bare name always gets a zone of its own');
    for (const z of r.bindZones) {
      const name = z.zone.replace(/\.$/, '');
      // An existing zone of the admin's: SOA and NS of its own, then our lines, as they would be pasted.
      const file = z.kind === 'zone' ? z.lines : ['$TTL 3600', `@ IN SOA ns1.${z.zone} hostmaster.${z.zone} 1 3600 600 86400 300`, `@ IN NS ns1.${z.zone}`,
        'ns1 IN A 192.0.2.53', ...z.lines];
      const path = join(dir, `db.${name}`);
      writeFileSync(path, `${file.join('\n')}\n`);
      const check = run('/usr/bin/named-checkzone', [name, path]);
      t.is(check.code, 0, `${z.zone}: ${check.out}`);
      t.regex(check.out, /OK/);
      if (z.kind === 'zone') t.regex(z.namedConf!, new RegExp(`^zone "${name}" \\{ type master; file "/etc/bind/db\\.${name}"; \\};$`));
    }
    t.deepEqual(r.bind.filter((l) => !l.startsWith(';')), r.bindZones.flatMap((z) => z.lines), 'the copy-all text is the zones in order');

    const dnsmasqConf = join(dir, 'dnsmasq.conf');
    writeFileSync(dnsmasqConf, `${[...r.dnsmasq, r.dhcpOption119.dnsmasq, r.dhcpDnsServer.dnsmasq].join('\n')}\n`);
    const dm = run('/usr/sbin/dnsmasq', ['--test', `--conf-file=${dnsmasqConf}`]);
    t.is(dm.code, 0, dm.out);
    t.regex(dm.out, /syntax check OK/);

    const dhcpConf = join(dir, 'dhcpd.conf');
    writeFileSync(dhcpConf, `${[r.dhcpOption119.iscDhcpd, r.dhcpDnsServer.iscDhcpd].join('\n')}\n`);
    const isc = run('/usr/sbin/dhcpd', ['-t', '-4', '-cf', dhcpConf]);
    t.is(isc.code, 0, isc.out);

    // No DHCP option is handed out empty (dnsmasq itself accepts "domain-search," with nothing after it).
    for (const line of [r.dhcpOption119.dnsmasq, r.dhcpOption119.iscDhcpd, ...r.dhcpOption119.windows, r.dhcpDnsServer.dnsmasq, r.dhcpDnsServer.iscDhcpd, ...r.dhcpDnsServer.windows]) {
      t.false(/(,|-Value|domain-search|domain-name-servers)\s*;?$/.test(line), line);
    }
    if (c.searchSuffixes.length === 0) t.true(r.dhcpOption119.dnsmasq.startsWith('#'));
    else t.is(r.dhcpOption119.dnsmasq, `dhcp-option=option:domain-search,${c.searchSuffixes.map((s) => s.replace(/\.$/, '')).join(',')}`);
    t.true(r.windows.some((l) => l === 'Add-DnsServerPrimaryZone -Name "hp-print-mgmt" -ZoneFile "hp-print-mgmt.dns"'));
  });
}

test('the checks can fail: the snippets of before (an empty option 119, a record with no zone) are refused', (t) => {
  if (!TOOLS.every(have)) { t.fail('tools missing'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'ioe-snippets-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'dhcpd.conf'), 'option domain-search ;\n');
  t.not(run('/usr/sbin/dhcpd', ['-t', '-4', '-cf', join(dir, 'dhcpd.conf')]).code, 0);
  writeFileSync(join(dir, 'db'), '$TTL 300\nhp-print-mgmt. 300 IN A 192.0.2.10\n');
  t.not(run('/usr/bin/named-checkzone', ['corp.example', join(dir, 'db')]).code, 0);
});
