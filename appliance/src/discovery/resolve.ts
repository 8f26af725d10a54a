// Host names for manual discovery, resolved with the system resolver (as a printer's own name would be):
// one address per name, IPv4 preferred (a printer's SNMP agent answers on every address it has).
import { lookup as dnsLookup } from 'node:dns/promises';

export type Lookup = (name: string) => Promise<Array<{ address: string; family: number }>>;

export const systemLookup: Lookup = (name) => dnsLookup(name, { all: true, verbatim: true });

// dns.lookup is getaddrinfo on libuv's thread pool (4 threads), which LevelDB, scrypt (sign-in) and zlib share.
// At most two lookups are in flight, and a lookup that timed out still holds its slot until it really ends:
// the timeout answers the caller, it cannot stop the thread. (Before: 8 at once, and each timeout started
// another while the old one kept its thread, so a list of slow names took every thread from the store.)
const CONCURRENT = 2;
/** Host names one job may name: each may cost a resolver timeout. */
export const MAX_HOST_NAMES = 1000;

/** name → address, or name → why not (unknown name, no address, timed out). */
export async function resolveNames(names: string[], opts: { lookup?: Lookup; timeoutMs?: number } = {}): Promise<Map<string, { address: string } | { error: string }>> {
  const lookup = opts.lookup ?? systemLookup;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const out = new Map<string, { address: string } | { error: string }>();
  const queue = [...new Set(names)];
  const one = async (name: string) => {
    let timer: NodeJS.Timeout | undefined;
    const pending = lookup(name);
    const settled = pending.then(() => undefined, () => undefined);
    try {
      const found = await Promise.race([pending, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), timeoutMs); })]);
      const pick = found.find((a) => a.family === 4) ?? found[0];
      out.set(name, pick ? { address: pick.address } : { error: 'has no address' });
    } catch (err) {
      const code = (err as { code?: string }).code;
      out.set(name, { error: code === 'ENOTFOUND' || code === 'EAI_NONAME' ? 'does not resolve (no such host)' : `does not resolve (${code ?? (err as Error).message})` });
    } finally {
      clearTimeout(timer);
      await settled;
    }
  };
  const workers = Array.from({ length: Math.min(CONCURRENT, queue.length) }, async () => { for (let n = queue.shift(); n !== undefined; n = queue.shift()) await one(n); });
  await Promise.all(workers);
  return out;
}
