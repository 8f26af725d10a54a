// Who may read GET /metrics: a scraper presenting the metricsToken (or a signed-in API token) as a bearer
// token, or a source address in metricsAllowFrom. Nothing configured and no API token = refused, because the
// numbers tell an outsider how big the fleet is and which devices fail.
import { timingSafeEqual, createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

export interface MetricsAccess {
  token: () => string;
  allowFrom: () => string[];
  /** A bearer token the API itself accepts (a signed-in session, a named API token). */
  apiToken: (token: string) => boolean;
}

export type AccessResult = { ok: true; via: 'token' | 'api-token' | 'address' } | { ok: false; status: 401 | 403; code: string; message: string };

const digest = (s: string) => createHash('sha256').update(s).digest();

let cachedKey = '';
let cachedList = new BlockList();

function allowList(entries: string[]): BlockList {
  const key = entries.join(',');
  if (key === cachedKey) return cachedList;
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(addr)) continue;
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  cachedKey = key;
  cachedList = list;
  return list;
}

/** `ip` as Koa reports it (an IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d). */
export function checkMetricsAccess(access: MetricsAccess, authorization: string | undefined, ip: string): AccessResult {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (m) {
    const configured = access.token();
    // Compared as digests so the time taken says nothing about the token's length or prefix.
    if (configured && timingSafeEqual(digest(m[1]), digest(configured))) return { ok: true, via: 'token' };
    if (access.apiToken(m[1])) return { ok: true, via: 'api-token' };
    return { ok: false, status: 401, code: 'unauthenticated', message: 'the bearer token is not valid for /metrics' };
  }
  const addr = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  const family = isIP(addr);
  if (family && allowList(access.allowFrom()).check(addr, family === 6 ? 'ipv6' : 'ipv4')) return { ok: true, via: 'address' };
  if (!access.token() && !access.allowFrom().length) {
    return { ok: false, status: 401, code: 'unauthenticated', message: 'send Authorization: Bearer <token> (an API token, or set metricsToken), or list this address in metricsAllowFrom' };
  }
  return { ok: false, status: 401, code: 'unauthenticated', message: `send Authorization: Bearer <metricsToken>; ${addr || 'this address'} is not in metricsAllowFrom` };
}
