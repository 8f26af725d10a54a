// Public surface of the DNS room; the CLI and API import only from here.
export { startDnsResponder, dnsResponderOptionsSchema, defaultDnsPort } from './responder.ts';
export type { DnsResponder, DnsResponderOptions, DnsResponderStats } from './responder.ts';
export { defaultApplianceAddresses } from './appliance-addresses.ts';
export { dnsSelfCheck } from './self-check.ts';
export type { DnsCheckOptions, DnsCheckReport, DnsCheckEntry, NameLookup, FamilyLookup } from './self-check.ts';
export { adminRecords, dhcpSearchNote, encodeSearchList } from './admin-records.ts';
export type { ApplianceAddresses } from './local-zone.ts';
export type { DropReason } from './packet-guard.ts';
export { DROP_REASONS } from './packet-guard.ts';
