// Host names for manual discovery, resolved with the system resolver (as a printer's own name would be):
// one address per name, IPv4 preferred (a printer's SNMP agent answers on every address it has).
import { lookup as dnsLookup } from 'node:dns/promises';

export type Lookup = (name: string) => Promise<Array<{ address: string; family: number }>>;

export const systemLookup: Lookup = (name) => dnsLookup(name, { all: true, verbatim: true });

const CONCURRENT = 8;

/** name → address, or name → why not (unknown name, no address, timed out). */
export async function resolveNames(names: string[], opts: { lookup?: Lookup; timeoutMs?: number } = {}): Promise<Map<string, { address: string } | { error: string }>> {
  const lookup = opts.lookup ?? systemLookup;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const out = new Map<string, { address: string } | { error: string }>();
  const queue = [...new Set(names)];
  const one = async (name: string) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([lookup(name), new Promise<never>((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), timeoutMs); })]);
      const pick = found.find((a) => a.family === 4) ?? found[0];
      out.set(name, pick ? { address: pick.address } : { error: 'has no address' });
    } catch (err) {
      const code = (err as { code?: string }).code;
      out.set(name, { error: code === 'ENOTFOUND' || code === 'EAI_NONAME' ? 'does not resolve (no such host)' : `does not resolve (${code ?? (err as Error).message})` });
    } finally {
      clearTimeout(timer);
    }
  };
  const workers = Array.from({ length: Math.min(CONCURRENT, queue.length) }, async () => { for (let n = queue.shift(); n !== undefined; n = queue.shift()) await one(n); });
  await Promise.all(workers);
  return out;
}
