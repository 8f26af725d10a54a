import test from 'ava';
import { adminRecords, encodeSearchList } from '../../../appliance/src/dns/admin-records.ts';
import { defaultApplianceAddresses } from '../../../appliance/src/dns/appliance-addresses.ts';
import { LocalZone, localNames } from '../../../appliance/src/dns/local-zone.ts';

test('owned names: bare then each suffix, case-insensitive, trailing dot ignored', (t) => {
  t.deepEqual(localNames(['hp-print-mgmt'], ['Corp.Example.', '.branch.example']), ['hp-print-mgmt', 'hp-print-mgmt.corp.example', 'hp-print-mgmt.branch.example']);
  const zone = new LocalZone({ names: ['hp-print-mgmt'], searchSuffixes: ['corp.example'], addresses: { ipv4: ['192.0.2.1'], ipv6: [] }, ttl: 300 });
  t.true(zone.owns('HP-PRINT-MGMT.corp.EXAMPLE.'));
  t.false(zone.owns('x.hp-print-mgmt'));
  t.deepEqual(zone.records(28), []);
  t.deepEqual(zone.records(255).map((r) => r.address), ['192.0.2.1']);
});

test('default addresses: the specific --host, else non-loopback, non-link-local interface addresses', (t) => {
  t.deepEqual(defaultApplianceAddresses('192.0.2.5'), { ipv4: ['192.0.2.5'], ipv6: [] });
  t.deepEqual(defaultApplianceAddresses('2001:db8::5'), { ipv4: [], ipv6: ['2001:db8::5'] });
  const ifaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: '192.0.2.2', family: 'IPv4', internal: false },
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: 'fd00::2', family: 'IPv6', internal: false },
    ],
  } as never;
  t.deepEqual(defaultApplianceAddresses('0.0.0.0', ifaces), { ipv4: ['192.0.2.2'], ipv6: ['fd00::2'] });
  t.deepEqual(defaultApplianceAddresses(undefined, ifaces), { ipv4: ['192.0.2.2'], ipv6: ['fd00::2'] });
});

test('admin records: BIND, dnsmasq, PowerShell and the DHCP option 119 encoding', (t) => {
  const r = adminRecords({ names: ['hp-print-mgmt'], searchSuffixes: ['corp.example'], addresses: { ipv4: ['192.0.2.10'], ipv6: ['2001:db8::10'] }, ttl: 300, applianceHostname: 'edge1' });
  t.deepEqual(r.bindZones[0], { zone: 'corp.example.', kind: 'records', lines: ['hp-print-mgmt.corp.example. 300 IN A 192.0.2.10', 'hp-print-mgmt.corp.example. 300 IN AAAA 2001:db8::10'] });
  t.like(r.bindZones[1], { zone: 'hp-print-mgmt.', kind: 'zone' });
  t.is(r.dnsmasq[0], 'host-record=hp-print-mgmt,hp-print-mgmt.corp.example,192.0.2.10,2001:db8::10,300');
  t.true(r.windows.includes('Add-DnsServerResourceRecordA -ZoneName "corp.example" -Name "hp-print-mgmt" -IPv4Address "192.0.2.10" -TimeToLive 00:05:00'));
  t.true(r.windows.some((l) => l.includes('Add-DnsServerResourceRecordCName -ZoneName "corp.example" -Name "hp-print-mgmt" -HostNameAlias "edge1.corp.example"')));
  t.is(r.dhcpOption119.dnsmasq, 'dhcp-option=option:domain-search,corp.example');
  t.deepEqual([...encodeSearchList(['corp.example', 'b.example'])], [4, 99, 111, 114, 112, 7, 101, 120, 97, 109, 112, 108, 101, 0, 1, 98, 7, 101, 120, 97, 109, 112, 108, 101, 0]);
  t.regex(r.dhcpOption119.windows.at(-1)!, /^Set-DhcpServerv4OptionValue -OptionId 119 -Value 0x04,0x63,/);
});
