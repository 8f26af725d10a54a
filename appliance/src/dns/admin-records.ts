// Ready-to-paste records for admins who keep their own DNS instead of pointing printers at the appliance.
// Pure text generation: no network. Names are absolute so each line works whatever $ORIGIN the zone has.
import type { ApplianceAddresses } from './local-zone.ts';
import { canonicalName } from './local-zone.ts';

export interface AdminRecords {
  bind: string[];
  dnsmasq: string[];
  windows: string[];
  dhcpOption119: DhcpSearchNote;
}

export interface DhcpSearchNote {
  note: string;
  /** RFC 3397 wire encoding of the search list, as hex bytes (what Windows DHCP needs). */
  encodedHex: string[];
  dnsmasq: string;
  iscDhcpd: string;
  windows: string[];
}

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
  const bind: string[] = [];
  const windows: string[] = [];
  const dnsmasq: string[] = [];
  const minutes = Math.max(1, Math.round(input.ttl / 60));
  const ttlSpan = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
  for (const suffix of suffixes) {
    for (const name of names) {
      for (const a of ipv4) bind.push(`${name}.${suffix}. ${input.ttl} IN A ${a}`);
      for (const a of ipv6) bind.push(`${name}.${suffix}. ${input.ttl} IN AAAA ${a}`);
      for (const a of ipv4) windows.push(`Add-DnsServerResourceRecordA -ZoneName "${suffix}" -Name "${name}" -IPv4Address "${a}" -TimeToLive ${ttlSpan}`);
      for (const a of ipv6) windows.push(`Add-DnsServerResourceRecordAAAA -ZoneName "${suffix}" -Name "${name}" -IPv6Address "${a}" -TimeToLive ${ttlSpan}`);
      windows.push(
        `# or, instead of the A/AAAA records above, an alias to the appliance's own record:\n` +
          `Add-DnsServerResourceRecordCName -ZoneName "${suffix}" -Name "${name}" -HostNameAlias "${input.applianceHostname}.${suffix}"`,
      );
    }
  }
  // dnsmasq's host-record answers the bare name and every listed FQDN; it takes one IPv4 and one IPv6 each.
  const hostNames = names.flatMap((n) => [n, ...suffixes.map((s) => `${n}.${s}`)]).join(',');
  const pairs = Math.max(ipv4.length, ipv6.length);
  for (let i = 0; i < pairs; i++) {
    dnsmasq.push(`host-record=${[hostNames, ipv4[i], ipv6[i]].filter(Boolean).join(',')},${input.ttl}`);
  }
  for (const name of names) for (const a of [...ipv4, ...ipv6]) dnsmasq.push(`# alternative: address=/${name}/${a}`);
  return { bind, dnsmasq, windows, dhcpOption119: dhcpSearchNote(suffixes) };
}

export function dhcpSearchNote(suffixes: string[]): DhcpSearchNote {
  const encoded = encodeSearchList(suffixes);
  const hex = [...encoded].map((b) => `0x${b.toString(16).padStart(2, '0')}`);
  const list = suffixes.join(',');
  return {
    note:
      'Printers try hp-print-mgmt.<suffix> only for the search suffixes they know. Most learn them from DHCP option 119 ' +
      '(domain search list, RFC 3397); option 15 (domain name) alone is not used by every device. ' +
      (suffixes.length === 0
        ? 'No search suffix is configured: only the bare name hp-print-mgmt will be tried, which corporate DNS rarely answers.'
        : `Hand out ${list} in option 119 from the branch DHCP server.`),
    encodedHex: hex,
    dnsmasq: `dhcp-option=option:domain-search,${list}`,
    iscDhcpd: `option domain-search ${suffixes.map((s) => `"${s}"`).join(', ')};`,
    windows: [
      '# Windows DHCP has no built-in definition for option 119; define it once, then set the encoded list:',
      'Add-DhcpServerv4OptionDefinition -OptionId 119 -Name "Domain Search List" -Type Byte -MultiValued',
      `Set-DhcpServerv4OptionValue -OptionId 119 -Value ${hex.join(',')}`,
    ],
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
