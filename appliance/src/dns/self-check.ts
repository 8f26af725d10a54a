// GET /api/v1/dns/check: does `hp-print-mgmt` (bare and per suffix) lead printers to this appliance?
// Asks the machine's own resolvers — the best stand-in for what printers on the same network see — and
// the appliance's responder, then says what to paste into the branch's DNS/DHCP if it does not.
import { promises as dnsPromises } from 'node:dns';
import { hostname } from 'node:os';
import { adminRecords, type AdminRecords } from './admin-records.ts';
import { localNames, type ApplianceAddresses } from './local-zone.ts';

export interface DnsCheckOptions {
  names?: string[];
  searchSuffixes: string[];
  /** The addresses that count as "this appliance". */
  addresses: ApplianceAddresses;
  /** Where the appliance's responder listens; omitted when it is not running. */
  responder?: { host: string; port: number };
  /** Resolvers to ask as "the network's DNS"; default: the system's (node:dns getServers()). */
  systemServers?: string[];
  timeoutMs?: number;
  ttl?: number;
  applianceHostname?: string;
}

export type LookupStatus = 'ok' | 'nodata' | 'nxdomain' | 'refused' | 'servfail' | 'timeout' | 'unreachable' | 'error';

export interface FamilyLookup {
  status: LookupStatus;
  addresses: string[];
  detail?: string;
}

export interface NameLookup {
  a: FamilyLookup;
  aaaa: FamilyLookup;
  /** At least one returned address is one of the appliance's. */
  pointsAtAppliance: boolean;
  /** Returned addresses that are not the appliance's (stale record, another server). */
  foreignAddresses: string[];
}

export interface DnsCheckEntry {
  name: string;
  system: NameLookup;
  appliance?: NameLookup;
}

export interface DnsCheckReport {
  checkedAt: string;
  systemResolvers: string[];
  responder?: string;
  applianceAddresses: ApplianceAddresses;
  entries: DnsCheckEntry[];
  /** Some name, in device search order, resolves to this appliance through the system resolvers. */
  printersWillFindAppliance: boolean;
  summary: string;
  records: AdminRecords;
}

export async function dnsSelfCheck(opts: DnsCheckOptions): Promise<DnsCheckReport> {
  const names = localNames(opts.names ?? ['hp-print-mgmt'], opts.searchSuffixes);
  const timeout = opts.timeoutMs ?? 2000;
  const systemResolvers = opts.systemServers ?? dnsPromises.getServers();
  const responder = opts.responder ? serverSpec(loopbackFor(opts.responder.host), opts.responder.port) : undefined;
  const mine = new Set([...opts.addresses.ipv4, ...opts.addresses.ipv6]);
  const entries = await Promise.all(
    names.map(async (name): Promise<DnsCheckEntry> => {
      const [system, appliance] = await Promise.all([
        lookupName(name, systemResolvers, timeout, mine),
        responder ? lookupName(name, [responder], timeout, mine) : Promise.resolve(undefined),
      ]);
      return appliance ? { name, system, appliance } : { name, system };
    }),
  );
  // HDAP.md §1: the first name that resolves wins, so a stale record for an earlier name hides a good later one.
  const first = entries.find((e) => e.system.a.addresses.length + e.system.aaaa.addresses.length > 0);
  const printersWillFindAppliance = !!first?.system.pointsAtAppliance;
  return {
    checkedAt: new Date().toISOString(),
    systemResolvers,
    ...(responder ? { responder } : {}),
    applianceAddresses: opts.addresses,
    entries,
    printersWillFindAppliance,
    summary: summarize(first, printersWillFindAppliance, opts.searchSuffixes.length),
    records: adminRecords({
      names: opts.names ?? ['hp-print-mgmt'],
      searchSuffixes: opts.searchSuffixes,
      addresses: opts.addresses,
      ttl: opts.ttl ?? 300,
      applianceHostname: opts.applianceHostname ?? hostname().split('.')[0],
    }),
  };
}

function summarize(first: DnsCheckEntry | undefined, ok: boolean, suffixCount: number): string {
  if (ok) return `Printers resolving ${first!.name} reach this appliance.`;
  if (first) {
    return `${first.name} resolves to ${[...first.system.aaaa.addresses, ...first.system.a.addresses].join(', ')}, not this appliance: ` +
      'printers will announce elsewhere. Fix or remove that record, or point the branch DNS at this appliance.';
  }
  return suffixCount === 0
    ? 'No name resolves through the system resolvers and no search suffix is configured: add one, then a record (below) or make this appliance the branch DNS server.'
    : 'No name resolves through the system resolvers: add the records below, or make this appliance the branch DNS server.';
}

async function lookupName(name: string, servers: string[], timeout: number, mine: Set<string>): Promise<NameLookup> {
  const resolver = new dnsPromises.Resolver({ timeout, tries: 1 });
  try {
    resolver.setServers(servers);
  } catch (err) {
    const failed: FamilyLookup = { status: 'error', addresses: [], detail: (err as Error).message };
    return { a: failed, aaaa: failed, pointsAtAppliance: false, foreignAddresses: [] };
  }
  const [a, aaaa] = await Promise.all([family(() => resolver.resolve4(name)), family(() => resolver.resolve6(name))]);
  const all = [...a.addresses, ...aaaa.addresses];
  return { a, aaaa, pointsAtAppliance: all.some((x) => mine.has(x)), foreignAddresses: all.filter((x) => !mine.has(x)) };
}

async function family(run: () => Promise<string[]>): Promise<FamilyLookup> {
  try {
    return { status: 'ok', addresses: await run() };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    return { status: statusOf(code), addresses: [], detail: code || (err as Error).message };
  }
}

export function statusOf(code: string): LookupStatus {
  switch (code) {
    case 'ENODATA':
      return 'nodata';
    case 'ENOTFOUND':
      return 'nxdomain';
    case 'EREFUSED':
      return 'refused';
    case 'ESERVFAIL':
      return 'servfail';
    case 'ETIMEOUT':
      return 'timeout';
    case 'ECONNREFUSED':
      return 'unreachable';
    default:
      return 'error';
  }
}

function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function serverSpec(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
