// How a simulated printer's DAA finds its management server when none is configured (HDAP.md §1 step 2):
// `hp-print-mgmt`, then `hp-print-mgmt.<suffix>` per search suffix; AAAA then A for each name; the first
// name that resolves wins and IPv6 is preferred. Every attempt is kept in `tried` and logged, because
// "why did the printer not find the server" is the first question in the field.
import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';
import type { Logger } from '../util/log.ts';

export interface ResolveManagementOptions {
  /** The DNS server the device uses, 'host:port' or '[v6]:port'. */
  dns: string;
  searchDomains: string[];
  name?: string;
  timeoutMs?: number;
}

export interface ResolveAttempt {
  name: string;
  type: 'AAAA' | 'A';
  /** 'ok <addresses>', 'nodata', 'nxdomain', 'refused', 'servfail', 'timeout' or an error code. */
  result: string;
}

export interface ResolvedManagementServer {
  address: string;
  family: 4 | 6;
  name: string;
  /** Every address of the winning name, IPv6 first: connect in this order. */
  candidates: string[];
  tried: ResolveAttempt[];
}

export class ManagementServerNotFound extends Error {
  constructor(readonly tried: ResolveAttempt[]) {
    super(`no management server: ${tried.map((t) => `${t.name} ${t.type} ${t.result}`).join('; ')}`);
    this.name = 'ManagementServerNotFound';
  }
}

/** Names in the order a device tries them. */
export function candidateNames(name: string, searchDomains: string[]): string[] {
  const bare = name.replace(/\.$/, '');
  const out = [bare];
  for (const d of searchDomains) {
    const suffix = d.replace(/^\.|\.$/g, '');
    if (suffix) out.push(`${bare}.${suffix}`);
  }
  return [...new Set(out)];
}

export async function resolveManagementServer(opts: ResolveManagementOptions, log?: Logger): Promise<ResolvedManagementServer> {
  const resolver = new dnsPromises.Resolver({ timeout: opts.timeoutMs ?? 2000, tries: 2 });
  resolver.setServers([opts.dns]);
  const tried: ResolveAttempt[] = [];
  for (const name of candidateNames(opts.name ?? 'hp-print-mgmt', opts.searchDomains)) {
    const v6 = await attempt(tried, name, 'AAAA', () => resolver.resolve6(name));
    const v4 = await attempt(tried, name, 'A', () => resolver.resolve4(name));
    if (v6.length + v4.length === 0) continue;
    const candidates = [...v6, ...v4];
    const found: ResolvedManagementServer = { address: candidates[0], family: v6.length > 0 ? 6 : 4, name, candidates, tried };
    log?.info({ dns: opts.dns, name, address: found.address, family: found.family, tried }, 'management server resolved');
    return found;
  }
  log?.warn({ dns: opts.dns, tried }, 'management server not found via DNS');
  throw new ManagementServerNotFound(tried);
}

async function attempt(tried: ResolveAttempt[], name: string, type: 'AAAA' | 'A', run: () => Promise<string[]>): Promise<string[]> {
  try {
    const addresses = await run();
    tried.push({ name, type, result: addresses.length ? `ok ${addresses.join(',')}` : 'nodata' });
    return addresses;
  } catch (err) {
    tried.push({ name, type, result: describe((err as NodeJS.ErrnoException).code) });
    return [];
  }
}

function describe(code: string | undefined): string {
  const known: Record<string, string> = {
    ENODATA: 'nodata',
    ENOTFOUND: 'nxdomain',
    EREFUSED: 'refused',
    ESERVFAIL: 'servfail',
    ETIMEOUT: 'timeout',
    ECONNREFUSED: 'unreachable',
  };
  return (code && known[code]) ?? code ?? 'error';
}

/**
 * A simulated printer's `resolveTarget`: like a device, it resolves again on every announcement cycle, so
 * a DNS change reaches printers without restarting them. A configured `--server` bypasses this entirely.
 */
export function dnsTargetResolver(
  opts: ResolveManagementOptions & { port?: number; /** A printer without an IPv6 address can only use A answers. */ ipv4Only?: boolean },
  log?: Logger,
): () => Promise<{ host: string; port: number }> {
  return async () => {
    const found = await resolveManagementServer(opts, log);
    const host = opts.ipv4Only ? found.candidates.find((a) => isIP(a) === 4) : found.address;
    if (!host) throw new ManagementServerNotFound(found.tried);
    return { host, port: opts.port ?? 3329 };
  };
}
