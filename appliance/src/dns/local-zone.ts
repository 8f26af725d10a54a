// What the appliance itself is authoritative for: `hp-print-mgmt` bare and under each search suffix.
// Pure domain logic (no sockets): decides which names are ours and which records answer a question.
import { isIPv4, isIPv6 } from 'node:net';

export interface ApplianceAddresses {
  ipv4: string[];
  ipv6: string[];
}

export interface LocalZoneOptions {
  names: string[];
  searchSuffixes: string[];
  addresses: ApplianceAddresses;
  ttl: number;
}

export const TYPE_A = 1;
export const TYPE_AAAA = 28;
export const TYPE_ANY = 255;
export const TYPE_AXFR = 252;
export const TYPE_IXFR = 251;
export const CLASS_IN = 1;
export const CLASS_ANY = 255;

export interface LocalRecord {
  type: typeof TYPE_A | typeof TYPE_AAAA;
  address: string;
}

/** DNS names compare case-insensitively (RFC 4343); a trailing root dot is the same name. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export class LocalZone {
  private readonly owned: Set<string>;
  readonly ttl: number;
  readonly addresses: ApplianceAddresses;

  constructor(opts: LocalZoneOptions) {
    this.ttl = opts.ttl;
    this.addresses = {
      ipv4: opts.addresses.ipv4.filter((a) => isIPv4(a)),
      ipv6: opts.addresses.ipv6.filter((a) => isIPv6(a)),
    };
    this.owned = new Set(localNames(opts.names, opts.searchSuffixes));
  }

  owns(qname: string): boolean {
    return this.owned.has(canonicalName(qname));
  }

  /** Records for a question on an owned name; [] is a valid NODATA answer (the name exists, the family does not). */
  records(qtype: number): LocalRecord[] {
    const out: LocalRecord[] = [];
    if (qtype === TYPE_A || qtype === TYPE_ANY) for (const address of this.addresses.ipv4) out.push({ type: TYPE_A, address });
    if (qtype === TYPE_AAAA || qtype === TYPE_ANY) for (const address of this.addresses.ipv6) out.push({ type: TYPE_AAAA, address });
    return out;
  }
}

/** Every name the responder answers, bare first, in HDAP.md §1 order. */
export function localNames(names: string[], searchSuffixes: string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const name = canonicalName(raw);
    if (!name) continue;
    out.push(name);
    for (const suffix of searchSuffixes) {
      const s = canonicalName(suffix).replace(/^\./, '');
      if (s) out.push(`${name}.${s}`);
    }
  }
  return [...new Set(out)];
}
