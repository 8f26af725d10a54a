// Ready-to-paste records for admins who keep their own DNS instead of pointing printers at the appliance.
// Pure text generation: no network. Names are absolute so each line works whatever $ORIGIN the zone has.
import type { ApplianceAddresses } from './local-zone.ts';
import { canonicalName } from './local-zone.ts';

export interface AdminRecords {
  /** Every BIND snippet below, one after the other with a comment naming its zone (to copy at once). */
  bind: string[];
  bindZones: ZoneSnippet[];
  dnsmasq: string[];
  windows: string[];
  dhcpOption119: DhcpSearchNote;
  /** DHCP option 6: the appliance as the branch's DNS server, which answers the bare name too (valid with or without suffixes). */
  dhcpDnsServer: DhcpServerNote;
}

/**
 * BIND: `records` are lines for a zone the admin already runs (one per search suffix); `zone` is a complete
 * zone file of its own for the bare name (with SOA and NS), because no existing zone can hold a single-label name.
 */
export interface ZoneSnippet { zone: string; kind: 'records' | 'zone'; lines: string[]; namedConf?: string }

export interface DhcpSearchNote {
  note: string;
  /** RFC 3397 wire encoding of the search list, as hex bytes (what Windows DHCP needs). */
  encodedHex: string[];
  /** Without a search suffix these are comments: there is no list to hand out, and an empty one is invalid. */
  dnsmasq: string;
  iscDhcpd: string;
  windows: string[];
}

export interface DhcpServerNote { note: string; dnsmasq: string; iscDhcpd: string; windows: string[] }

export interface AdminRecordInput {
  names: string[];
  searchSuffixes: string[];
  addresses: ApplianceAddresses;
  ttl: number;
  /** The appliance's own DNS name (short hostname); used for the CNAME alternative. */
  applianceHostname: string;
}

export function adminRecords(input: AdminRecordInput): AdminRecords {
  const suffixes = input.searchSuffixes.map(canonicalName).filter(Boolean);
  const names = input.names.map(canonicalName).filter(Boolean);
  const { ipv4, ipv6 } = input.addresses;
  const windows: string[] = [];
  const dnsmasq: string[] = [];
  const zones: ZoneSnippet[] = [];
  const minutes = Math.max(1, Math.round(input.ttl / 60));
  const ttlSpan = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
  const rr = (owner: string) => [...ipv4.map((a) => `${owner} ${input.ttl} IN A ${a}`), ...ipv6.map((a) => `${owner} ${input.ttl} IN AAAA ${a}`)];
  const psA = (zone: string, name: string) => [
    ...ipv4.map((a) => `Add-DnsServerResourceRecordA -ZoneName "${zone}" -Name "${name}" -IPv4Address "${a}" -TimeToLive ${ttlSpan}`),
    ...ipv6.map((a) => `Add-DnsServerResourceRecordAAAA -ZoneName "${zone}" -Name "${name}" -IPv6Address "${a}" -TimeToLive ${ttlSpan}`)];
  for (const suffix of suffixes) {
    zones.push({ zone: `${suffix}.`, kind: 'records', lines: names.flatMap((name) => rr(`${name}.${suffix}.`)) });
    for (const name of names) {
      windows.push(...psA(suffix, name));
      windows.push(
        `# or, instead of the A/AAAA records above, an alias to the appliance's own record:\n` +
          `Add-DnsServerResourceRecordCName -ZoneName "${suffix}" -Name "${name}" -HostNameAlias "${input.applianceHostname}.${suffix}"`,
      );
    }
  }
  // The bare name (what printers try first, and the only one without a suffix) lives in a zone of its own.
  if (ipv4.length + ipv6.length > 0) {
    for (const name of names) {
      zones.push({
        zone: `${name}.`, kind: 'zone', namedConf: `zone "${name}" { type master; file "/etc/bind/db.${name}"; };`,
        lines: [`$TTL ${input.ttl}`, `@ IN SOA ns.${name}. hostmaster.${name}. 1 3600 600 86400 ${input.ttl}`, `@ IN NS ns.${name}.`, ...rr('ns'), ...rr('@')],
      });
      windows.push(`# the bare name ${name} needs a zone of its own:`, `Add-DnsServerPrimaryZone -Name "${name}" -ZoneFile "${name}.dns"`, ...psA(name, '@'));
    }
  }
  const bind = zones.flatMap((z) => [z.kind === 'records' ? `; add to the zone ${z.zone}` : `; a zone of its own, ${z.zone} (named.conf: ${z.namedConf})`, ...z.lines]);
  // dnsmasq's host-record answers the bare name and every listed FQDN; it takes one IPv4 and one IPv6 each.
  const hostNames = names.flatMap((n) => [n, ...suffixes.map((s) => `${n}.${s}`)]).join(',');
  const pairs = Math.max(ipv4.length, ipv6.length);
  for (let i = 0; i < pairs; i++) {
    dnsmasq.push(`host-record=${[hostNames, ipv4[i], ipv6[i]].filter(Boolean).join(',')},${input.ttl}`);
  }
  for (const name of names) for (const a of [...ipv4, ...ipv6]) dnsmasq.push(`# alternative: address=/${name}/${a}`);
  return { bind, bindZones: zones, dnsmasq, windows, dhcpOption119: dhcpSearchNote(suffixes), dhcpDnsServer: dhcpDnsServer(ipv4) };
}

export function dhcpSearchNote(suffixes: string[]): DhcpSearchNote {
  const encoded = encodeSearchList(suffixes);
  const hex = [...encoded].map((b) => `0x${b.toString(16).padStart(2, '0')}`);
  const list = suffixes.join(',');
  const none = '# no search suffix is configured (setting dnsSearchSuffixes): there is no domain search list to hand out';
  return {
    note:
      'Printers try hp-print-mgmt.<suffix> only for the search suffixes they know. Most learn them from DHCP option 119 ' +
      '(domain search list, RFC 3397); option 15 (domain name) alone is not used by every device. ' +
      (suffixes.length === 0
        ? 'No search suffix is configured: printers will try only the bare name hp-print-mgmt. Serve it with the zone above, or make this appliance their DNS server (option 6 below).'
        : `Hand out ${list} in option 119 from the branch DHCP server.`),
    encodedHex: hex,
    dnsmasq: suffixes.length ? `dhcp-option=option:domain-search,${list}` : none,
    iscDhcpd: suffixes.length ? `option domain-search ${suffixes.map((s) => `"${s}"`).join(', ')};` : none,
    windows: suffixes.length ? [
      '# Windows DHCP has no built-in definition for option 119; define it once, then set the encoded list:',
      'Add-DhcpServerv4OptionDefinition -OptionId 119 -Name "Domain Search List" -Type Byte -MultiValued',
      `Set-DhcpServerv4OptionValue -OptionId 119 -Value ${hex.join(',')}`,
    ] : [none],
  };
}

export function dhcpDnsServer(ipv4: string[]): DhcpServerNote {
  const none = '# this appliance has no IPv4 address to hand out as a DNS server';
  return {
    note: 'Alternatively hand out this appliance as the DNS server (option 6): it answers hp-print-mgmt, bare or with any suffix, ' +
      'and forwards other names to dnsUpstreams when that is set.',
    dnsmasq: ipv4.length ? `dhcp-option=option:dns-server,${ipv4.join(',')}` : none,
    iscDhcpd: ipv4.length ? `option domain-name-servers ${ipv4.join(', ')};` : none,
    windows: ipv4.length ? [`Set-DhcpServerv4OptionValue -OptionId 6 -Value ${ipv4.map((a) => `"${a}"`).join(',')}`] : [none],
  };
}

/** RFC 3397 §2: the search list as a sequence of uncompressed DNS names. */
export function encodeSearchList(suffixes: string[]): Buffer {
  const parts: Buffer[] = [];
  for (const suffix of suffixes) {
    for (const label of canonicalName(suffix).split('.').filter(Boolean)) {
      const bytes = Buffer.from(label, 'ascii').subarray(0, 63);
      parts.push(Buffer.from([bytes.length]), bytes);
    }
    parts.push(Buffer.from([0]));
  }
  return Buffer.concat(parts);
}
