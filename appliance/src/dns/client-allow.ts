// Who may use the appliance as a resolver for names other than hp-print-mgmt (setting dnsAllowFrom). An
// appliance that forwards for anyone is an open resolver: a reflector for amplification attacks and a way
// for any host that reaches port 53 to use (and probe the cache of) the branch's corporate DNS.
// Default: the subnets of the appliance's own interfaces and loopback — the branch LAN it serves. Those are
// read again every minute, since DHCP may change them after start.
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

type Interfaces = ReturnType<typeof networkInterfaces>;

const REFRESH_MS = 60_000;

/** 'a.b.c.d', 'a.b.c.d/n', an IPv6 address or 'v6/n'; null when it is none of them. */
export function parseCidr(spec: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText, extra] = spec.trim().split('/');
  if (extra !== undefined) return null;
  const v = isIP(address);
  if (v === 0) return null;
  const max = v === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/** The subnets of every interface address, loopback included (e.g. 192.168.1.0/24, 127.0.0.0/8, ::1/128). */
export function ownSubnets(interfaces: Interfaces = networkInterfaces()): string[] {
  const out = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      // Link-local (fe80::/10) peers cannot be told apart per interface by address alone; leave them out.
      if (info.cidr && !/^fe[89ab]/i.test(info.address)) out.add(info.cidr);
    }
  }
  return [...out];
}

export class ClientAllowList {
  private list = new BlockList();
  private described: string[] = [];
  private builtAt = -Infinity;

  /** `spec` empty: the appliance's own subnets and loopback. Throws on an entry that is not an address or CIDR. */
  constructor(
    private readonly spec: readonly string[],
    private readonly interfaces: () => Interfaces = networkInterfaces,
    private readonly now: () => number = () => performance.now(),
  ) {
    for (const s of spec) if (!parseCidr(s)) throw new Error(`dnsAllowFrom: ${JSON.stringify(s)} is not an IP address or CIDR block`);
    this.rebuild();
  }

  /** Whether `address` (as a socket reports it; IPv4-mapped IPv6 included) may have names forwarded. */
  allows(address: string): boolean {
    if (this.spec.length === 0 && this.now() - this.builtAt >= REFRESH_MS) this.rebuild();
    const plain = address.replace(/^::ffff:(?=\d+\.)/i, '');
    const v = isIP(plain);
    if (v === 0) return false;
    return this.list.check(plain, v === 4 ? 'ipv4' : 'ipv6');
  }

  /** The blocks in force, for the startup log. */
  blocks(): string[] {
    return [...this.described];
  }

  private rebuild() {
    const entries = this.spec.length ? [...this.spec] : ownSubnets(this.interfaces());
    const list = new BlockList();
    for (const e of entries) {
      const c = parseCidr(e);
      if (c) list.addSubnet(c.address, c.prefix, c.family);
    }
    this.list = list;
    this.described = entries;
    this.builtAt = this.now();
  }
}
