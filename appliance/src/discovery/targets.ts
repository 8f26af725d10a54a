// What an admin may ask discovery to look at, and the list of addresses that makes: single IPv4 addresses,
// IPv4 ranges (10.0.1.10-10.0.1.40 or 10.0.1.10-40), CIDRs (10.0.0.0/24, network and broadcast addresses
// skipped), IPv6 by explicit address, and host names. Pure: host names are resolved by the caller.
// Every refusal names the target and says why; the size of a job is known (and capped) before one address
// is listed, so a /8 costs nothing but its refusal.
import { isIPv4, isIPv6 } from 'node:net';

export type Target =
  | { kind: 'ipv4'; text: string; address: number }
  | { kind: 'range'; text: string; first: number; last: number }
  | { kind: 'cidr'; text: string; first: number; last: number }
  | { kind: 'ipv6'; text: string; address: string }
  | { kind: 'hostname'; text: string; name: string };

/** A single host asked for by name or address is "manual" discovery; ranges and CIDRs are sweeps. */
export type Way = 'manual' | 'discovery';

export const MAX_TARGET_LENGTH = 255;
const HOSTNAME = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/;

export function ipv4ToNumber(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Addresses no printer has: this-network 0/8, multicast 224/4, reserved 240/4 (and the broadcast address). */
function forbidden(first: number, last: number): string | undefined {
  const blocks: [number, number, string][] = [[0, 0x00ffffff, 'this-network (0.0.0.0/8)'], [0xe0000000, 0xefffffff, 'multicast (224.0.0.0/4)'],
    [0xf0000000, 0xffffffff, 'reserved or broadcast (240.0.0.0/4)']];
  const hit = blocks.find(([a, b]) => first <= b && last >= a);
  return hit ? `includes ${hit[2]} addresses, which are never printers` : undefined;
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) reaches, as a number; undefined otherwise. */
function mappedIpv4(v6: string): number | undefined {
  let canonical: string;
  try { canonical = new URL(`http://[${v6}]/`).hostname.slice(1, -1); } catch { return undefined; }
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  return m ? parseInt(m[1], 16) * 65536 + parseInt(m[2], 16) : undefined;
}

/**
 * Why SNMP (and the communities in it) must not go to this single address, or undefined: the blocks of
 * `forbidden`, also when written as IPv4-mapped IPv6, and IPv6 multicast and unspecified. Used for what an
 * admin typed and for what a host name resolved to — a name's DNS answer is not the admin's choice, and a
 * multicast or broadcast answer would hand the communities to every host on the segment.
 */
export function addressProblem(address: string): string | undefined {
  const v4 = ipv4ToNumber(address) ?? (isIPv6(address) ? mappedIpv4(address) : undefined);
  if (v4 !== undefined) return forbidden(v4, v4)?.replace('includes', 'is one of the');
  if (!isIPv6(address)) return 'is not an IP address';
  if (/^ff/i.test(address)) return 'is an IPv6 multicast address';
  if (mappedIpv4(address) === undefined && /^[0:]+$/.test(address)) return 'is the unspecified IPv6 address';
  return undefined;
}

export function parseTarget(raw: string): { ok: true; target: Target } | { ok: false; message: string } {
  const text = raw.trim();
  if (!text) return { ok: false, message: 'is empty' };
  if (text.length > MAX_TARGET_LENGTH) return { ok: false, message: `is longer than ${MAX_TARGET_LENGTH} characters` };
  if (text.includes('/')) {
    const [net, bits, extra] = text.split('/');
    if (extra !== undefined) return { ok: false, message: 'is not a CIDR (one / only)' };
    if (isIPv6(net)) return { ok: false, message: 'IPv6 is discovered by explicit address only (no prefixes)' };
    const base = ipv4ToNumber(net);
    if (base === undefined) return { ok: false, message: `"${net}" is not an IPv4 address` };
    if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) return { ok: false, message: 'prefix length must be 0–32' };
    const prefix = Number(bits);
    const size = 2 ** (32 - prefix);
    const network = Math.floor(base / size) * size;
    // Network and broadcast addresses are skipped; /31 and /32 have none (RFC 3021).
    const [first, last] = prefix <= 30 ? [network + 1, network + size - 2] : [network, network + size - 1];
    const bad = forbidden(network, network + size - 1);
    return bad ? { ok: false, message: bad } : { ok: true, target: { kind: 'cidr', text, first, last } };
  }
  const range = /^(\d{1,3}(?:\.\d{1,3}){3})\s*-\s*(\S+)$/.exec(text);
  if (range) {
    const first = ipv4ToNumber(range[1]);
    if (first === undefined) return { ok: false, message: `"${range[1]}" is not an IPv4 address` };
    // The short form 10.0.1.10-40 keeps the first three octets.
    const endText = /^\d{1,3}$/.test(range[2]) ? `${range[1].split('.').slice(0, 3).join('.')}.${range[2]}` : range[2];
    const last = ipv4ToNumber(endText);
    if (last === undefined) return { ok: false, message: `"${range[2]}" is not an IPv4 address or a last octet` };
    if (last < first) return { ok: false, message: 'the range ends before it starts' };
    const bad = forbidden(first, last);
    return bad ? { ok: false, message: bad } : { ok: true, target: { kind: 'range', text, first, last } };
  }
  if (isIPv6(text)) {
    const bad = addressProblem(text);
    return bad ? { ok: false, message: bad } : { ok: true, target: { kind: 'ipv6', text, address: text } };
  }
  if (/^[\d.]+$/.test(text)) {
    const address = ipv4ToNumber(text);
    if (address === undefined) return { ok: false, message: 'is not a valid IPv4 address' };
    const bad = forbidden(address, address);
    return bad ? { ok: false, message: bad.replace('includes', 'is one of the') } : { ok: true, target: { kind: 'ipv4', text, address } };
  }
  if (text.length <= 253 && HOSTNAME.test(text)) return { ok: true, target: { kind: 'hostname', text, name: text.replace(/\.$/, '').toLowerCase() } };
  return { ok: false, message: 'is not an IPv4 address, range (a-b), CIDR (a/n), IPv6 address or host name' };
}

/** Disjoint, sorted intervals covering every range and CIDR. */
function merge(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const top = out[out.length - 1];
    if (top && a <= top[1] + 1) top[1] = Math.max(top[1], b);
    else out.push([a, b]);
  }
  return out;
}

export interface Plan {
  /** Distinct addresses the job will probe. */
  total: number;
  /** The addresses, each once, in order: sweeps first (ascending), then single hosts. */
  addresses(): Generator<{ address: string; way: Way }>;
}

/**
 * The job's addresses. `resolved` maps each host-name target to the address it resolved to (names missing
 * from it are left out; the caller reports them). `way` forces one way for all (a schedule's sweep is
 * "discovery" even for single hosts).
 */
export function plan(targets: Target[], resolved: ReadonlyMap<string, string>, opts: { way?: Way } = {}): Plan {
  const intervals = merge(targets.flatMap((t): [number, number][] => (t.kind === 'range' || t.kind === 'cidr') && t.last >= t.first ? [[t.first, t.last]] : []));
  const single4 = new Set<number>();
  const single6 = new Set<string>();
  for (const t of targets) {
    const address = t.kind === 'hostname' ? resolved.get(t.name) : t.kind === 'ipv4' ? numberToIpv4(t.address) : t.kind === 'ipv6' ? t.address : undefined;
    if (address === undefined) continue;
    const n = ipv4ToNumber(address);
    if (n !== undefined) single4.add(n); else single6.add(address.toLowerCase());
  }
  const inIntervals = (n: number) => intervals.some(([a, b]) => n >= a && n <= b);
  const loose4 = [...single4].filter((n) => !inIntervals(n)).sort((a, b) => a - b);
  const total = intervals.reduce((s, [a, b]) => s + (b - a + 1), 0) + loose4.length + single6.size;
  const wayOf = (n: number): Way => opts.way ?? (single4.has(n) ? 'manual' : 'discovery');
  return {
    total,
    *addresses() {
      for (const [a, b] of intervals) for (let n = a; n <= b; n++) yield { address: numberToIpv4(n), way: wayOf(n) };
      for (const n of loose4) yield { address: numberToIpv4(n), way: opts.way ?? 'manual' };
      for (const a of single6) yield { address: a, way: opts.way ?? 'manual' };
    },
  };
}

/** How many addresses the targets make, without listing them (host names count one each). */
export function countAddresses(targets: Target[]): number {
  return plan(targets, new Map(targets.flatMap((t) => (t.kind === 'hostname' ? [[t.name, `host:${t.name}`]] : [])))).total;
}
