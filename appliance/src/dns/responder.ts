// The appliance's DNS service: answers `hp-print-mgmt` (bare and per search suffix) with the appliance's own
// addresses, forwards or refuses the rest, and guards both sockets against hostile packets.
import type dgram from 'node:dgram';
import { isIP } from 'node:net';
import type net from 'node:net';
import { z } from 'zod';
import type { Logger } from '../util/log.ts';
import { defaultApplianceAddresses } from './appliance-addresses.ts';
import { AnswerCache } from './answer-cache.ts';
import { ClientAllowList, parseCidr } from './client-allow.ts';
import { Forwarder, type ForwarderStats } from './forwarder.ts';
import { startTcpListener, startUdpListener, type TcpListener } from './listeners.ts';
import { LocalZone, localNames } from './local-zone.ts';
import { PacketGuard, type DropReason } from './packet-guard.ts';
import { QueryHandler, type AnswerCounters } from './query-handler.ts';
import { parseUpstream, type Upstream } from './upstream-client.ts';

export const dnsResponderOptionsSchema = z.object({
  /** Bind address: a specific IP, or '0.0.0.0' / '::' for all. */
  host: z.string().refine((h) => isIP(h) !== 0, 'host must be an IP address'),
  /** 0 picks a free port (UDP and TCP get the same number). */
  port: z.number().int().min(0).max(65535),
  names: z.array(z.string().min(1)).default(['hp-print-mgmt']),
  searchSuffixes: z.array(z.string().min(1)).default([]),
  /** What the names answer; default: defaultApplianceAddresses(host). */
  addresses: z.object({ ipv4: z.array(z.ipv4()), ipv6: z.array(z.ipv6()) }).optional(),
  ttl: z.number().int().min(0).max(0x7fffffff).default(300),
  /** 'host:port' resolvers for every other name; empty means REFUSED. */
  upstreams: z.array(z.string()).default([]),
  upstreamTimeoutMs: z.number().int().positive().default(2000),
  /** Queries per second per source address; 0 disables the limit. */
  rateLimitPerSecond: z.number().min(0).default(200),
  maxInFlight: z.number().int().positive().default(1024),
  maxTcpConnections: z.number().int().positive().default(100),
  /** Open TCP connections from one address. */
  maxTcpPerSource: z.number().int().positive().default(8),
  /** Clients (addresses or CIDR blocks) whose other names are forwarded; empty = our own subnets and loopback. */
  allowFrom: z.array(z.string().refine((s) => parseCidr(s) !== null, 'must be an IP address or CIDR block')).default([]),
  tcpIdleTimeoutMs: z.number().int().positive().default(10_000),
});

export type DnsResponderOptions = z.input<typeof dnsResponderOptionsSchema>;

export interface DnsResponderStats extends AnswerCounters {
  dropped: Record<DropReason, number>;
  droppedTotal: number;
  upstream: ForwarderStats & { cacheEntries: number };
}

export interface DnsResponder {
  udpPort: number;
  tcpPort: number;
  host: string;
  /** Names answered locally, bare first. */
  names: string[];
  addresses: { ipv4: string[]; ipv6: string[] };
  stats(): DnsResponderStats;
  stop(): Promise<void>;
}

/** Issue 3: the DNS port is 53 when we may bind it (root), else 5300; `--dns-port` overrides. */
export function defaultDnsPort(): number {
  return process.getuid?.() === 0 ? 53 : 5300;
}

export async function startDnsResponder(input: DnsResponderOptions, log: Logger): Promise<DnsResponder> {
  const opts = dnsResponderOptionsSchema.parse(input);
  const upstreams = opts.upstreams.map(parseUpstream);
  const self = upstreams.find((up) => isSelf(up, opts.host, opts.port));
  // Forwarding to ourselves would bounce every unknown name around until the in-flight cap is hit.
  if (self) throw new Error(`upstream ${self.label} is this responder itself`);
  const addresses = opts.addresses ?? defaultApplianceAddresses(opts.host);
  const zone = new LocalZone({ names: opts.names, searchSuffixes: opts.searchSuffixes, addresses, ttl: opts.ttl });
  const forwarder = new Forwarder(upstreams, opts.upstreamTimeoutMs, log, new AnswerCache());
  const guard = new PacketGuard(opts.rateLimitPerSecond, log);
  const allowed = new ClientAllowList(opts.allowFrom);
  const handler = new QueryHandler(zone, forwarder, log, allowed);
  const shared = {
    guard,
    handler,
    log,
    limits: { maxInFlight: opts.maxInFlight, maxTcpConnections: opts.maxTcpConnections, maxTcpPerSource: opts.maxTcpPerSource, tcpIdleTimeoutMs: opts.tcpIdleTimeoutMs },
    inFlight: { n: 0 },
  };
  const { udp, tcp } = await bindBoth(opts.host, opts.port, shared).catch((err: NodeJS.ErrnoException) => {
    // A Pi with IPv6 disabled cannot bind '::'; the appliance is still useful on IPv4.
    if (opts.host !== '::' || (err.code !== 'EAFNOSUPPORT' && err.code !== 'EADDRNOTAVAIL')) throw err;
    log.warn({ err: err.message }, 'dns: IPv6 unavailable, listening on 0.0.0.0 only');
    return bindBoth('0.0.0.0', opts.port, shared);
  });
  const udpPort = udp.address().port;
  const tcpPort = (tcp.server.address() as net.AddressInfo).port;
  const names = localNames(opts.names, opts.searchSuffixes);
  log.info({ host: opts.host, udpPort, tcpPort, names, addresses: zone.addresses, upstreams: opts.upstreams,
    forwardFor: opts.upstreams.length ? allowed.blocks() : [] }, 'dns responder listening');
  return {
    udpPort,
    tcpPort,
    host: opts.host,
    names,
    addresses: zone.addresses,
    stats() {
      const dropped = guard.dropped();
      return {
        ...handler.counters,
        dropped,
        droppedTotal: Object.values(dropped).reduce((a, b) => a + b, 0),
        upstream: forwarder.stats(),
      };
    },
    async stop() {
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        tcp.close(),
      ]);
      guard.close();
      log.info({ udpPort, tcpPort }, 'dns responder stopped');
    },
  };
}

/** UDP and TCP on the same port number; with port 0, retry when TCP finds the UDP-chosen port taken. */
async function bindBoth(host: string, port: number, shared: Parameters<typeof startUdpListener>[2]): Promise<{ udp: dgram.Socket; tcp: TcpListener }> {
  for (let attempt = 0; ; attempt++) {
    const udp = await startUdpListener(host, port, shared);
    try {
      const tcp = await startTcpListener(host, udp.address().port, shared);
      return { udp, tcp };
    } catch (err) {
      udp.close();
      if (port !== 0 || attempt >= 20 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

function isSelf(up: Upstream, host: string, port: number): boolean {
  if (port === 0 || up.port !== port) return false;
  if (up.host === host) return true;
  if (host !== '0.0.0.0' && host !== '::') return false;
  const own = defaultApplianceAddresses();
  return /^(127\.|::1$)/.test(up.host) || own.ipv4.includes(up.host) || own.ipv6.includes(up.host);
}
