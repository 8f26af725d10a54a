// Other spellings of an API path: the ways a lenient router, a decoding proxy or a normalising server could
// take a request for the same route (letter case, trailing and doubled slashes, dot segments, percent-
// encoding, encoded slashes, double encoding, backslashes, Unicode look-alikes and case tricks, overlong
// UTF-8, NUL and other suffixes, absolute-form targets). Each is a request target for RawHttps.

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** `path` is a concrete path under /api/v1/ (parameters filled in). */
export function spellings(path: string, port: number): (string | Buffer)[] {
  if (!path.startsWith('/api/v1/')) throw new Error(`not an API path: ${path}`);
  const rest = path.slice('/api/v1'.length); // "/devices/X"
  const last = path.slice(path.lastIndexOf('/') + 1);
  const head = path.slice(0, path.length - last.length);
  const firstLetter = /[a-z]/i.exec(last)?.index ?? 0;
  const swapLast = (to: string) => `${head}${last.slice(0, firstLetter)}${to}${last.slice(firstLetter + 1)}`;
  const out: (string | Buffer)[] = [
    // Letter case.
    path.toUpperCase(), `/API${path.slice(4)}`, `/Api${path.slice(4)}`, `/api/V1${rest}`, swapLast(last[firstLetter].toUpperCase()),
    // Slashes.
    `${path}/`, `${path}//`, `/${path}`, `/api//v1${rest}`, `/api/v1/${rest}`, `${head}/${last}`,
    // Dot segments, also through a public route and encoded.
    `/api/./v1${rest}`, `/api/v1/.${rest}`, `/api/v1/x/..${rest}`, `/api/v1/health/..${rest}`, `/api/v1/login/..${rest}`,
    `/api/v1/health/%2e%2e${rest}`, `/api/v1/health/%2E%2E${rest}`, `/api/v1/health/.%2e${rest}`, `/api/v1/health/%2e.${rest}`,
    `${path}/.`, `${path}/%2e`, `${path}/x/..`, `${path}/x/%2e%2e`,
    // Encoded slashes and percent-encoding.
    `/api/v1/health%2F..${rest}`, `/api/v1/health%2f..%2f${rest.slice(1)}`, `/api/v1/health/..%2F${rest.slice(1)}`,
    `/api/v1%2F${rest.slice(1)}`, `/api%2Fv1${rest}`, `/api%2fv1${rest}`, path.replace(/\//g, '%2F'), `/api/v1${rest.replace(/\//g, '%2F')}`,
    `/%61%70%69/v1${rest}`, `/api/%76%31${rest}`, swapLast(hex(last[firstLetter])), swapLast(hex(last[firstLetter]).toLowerCase()),
    swapLast(`%25${hex(last[firstLetter]).slice(1)}`), `/api/v1/health%252F..%252F${rest.slice(1)}`, `/api/v1/health/%252e%252e${rest}`,
    // Backslashes.
    `/api\\v1${rest}`, path.replace(/\//g, '\\'), `/api/v1/health\\..${rest}`,
    // Unicode: dotless i (uppercases to I), long s (to S), Kelvin sign (lowercases to k), full-width letters,
    // as UTF-8 both percent-encoded and raw; overlong UTF-8 for "/" and ".".
    `/ap%C4%B1/v1${rest}`, `/%EF%BD%81pi/v1${rest}`, Buffer.from(`/ap\u0131/v1${rest}`, 'utf8'), Buffer.from(`/\uff41pi/v1${rest}`, 'utf8'),
    ...(path.includes('s') ? [path.replace('s', '%C5%BF'), Buffer.from(path.replace('s', '\u017f'), 'utf8')] : []),
    ...(path.includes('k') ? [path.replace('k', '%E2%84%AA'), Buffer.from(path.replace('k', '\u212a'), 'utf8')] : []),
    `/api%C0%AFv1${rest}`, `/api/v1/health/%C0%AE%C0%AE${rest}`, `/api/v1/health/%E0%80%AE%E0%80%AE${rest}`,
    // Suffixes a lenient matcher might drop.
    `${path}%00`, `${path}%20`, `${path}%09`, `${path};`, `${path};jsessionid=1`, `${path}.`, `${path}%2e`, `${path}~`, `${path}.json`,
    // Spellings Koa itself reduces to the route (query, fragment, absolute form): they must meet its checks.
    `${path}?`, `${path}?a=1&csrf=x`, `${path}#x`, `https://127.0.0.1:${port}${path}`, `http://attacker.example${path}`,
  ];
  const seen = new Set<string>();
  return [path, ...out].filter((x) => {
    const k = Buffer.isBuffer(x) ? x.toString('hex') : x;
    if (x === path && seen.size) return false;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
