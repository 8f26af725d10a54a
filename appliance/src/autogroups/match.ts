// The two small matchers filters need that a regular expression would do badly or a library would do
// differently: host-name globs and IPv4 ranges.

/**
 * `*` (any run) and `?` (one character), anchored, on already lower-cased text. Greedy with one
 * backtrack point, so the cost is at most pattern × text: a pattern full of stars cannot blow up the way a
 * backtracking RegExp can. Picomatch and friends treat `/` and leading dots as path syntax; host names,
 * models and firmware strings are not paths.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0, t = 0, star = -1, mark = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) { p++; t++; continue; }
    if (p < pattern.length && c === 42 /* * */) { star = p++; mark = t; continue; }
    if (star >= 0) { p = star + 1; t = ++mark; continue; }
    return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/**
 * A glob compiled for repeated use. Without `?` it is split at the stars: the first piece must start the
 * text, the last end it, the middle ones follow in order (native indexOf, leftmost match is always safe),
 * which is several times faster than stepping through the text; with `?` it falls back to globMatch.
 */
export function compileGlob(pattern: string): (text: string) => boolean {
  if (pattern.includes('?')) return (text) => globMatch(pattern, text);
  const parts = pattern.split('*');
  if (parts.length === 1) return (text) => text === pattern;
  const head = parts[0], tail = parts[parts.length - 1], middle = parts.slice(1, -1).filter(Boolean);
  const min = head.length + tail.length;
  return (text) => {
    if (text.length < min || !text.startsWith(head) || !text.endsWith(tail)) return false;
    let at = head.length;
    const end = text.length - tail.length;
    for (const m of middle) {
      const i = text.indexOf(m, at);
      if (i < 0 || i + m.length > end) return false;
      at = i + m.length;
    }
    return true;
  };
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted quad → unsigned 32-bit number; -1 when it is not one. */
export function ipv4ToNumber(text: string | undefined): number {
  const m = text ? OCTETS.exec(text) : null;
  if (!m) return -1;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255 || (m[i].length > 1 && m[i][0] === '0')) return -1; // no leading zeros: 010 is octal to some tools
    n = n * 256 + o;
  }
  return n;
}

export interface Ipv4Range { lo: number; hi: number }

/** `10.1.2.0/24`, `10.0.1.10-10.0.1.40` or one address; null with a reason when malformed. */
export function parseIpv4Range(text: string): Ipv4Range | { error: string } {
  const s = text.trim();
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const base = ipv4ToNumber(s.slice(0, slash));
    const bitsText = s.slice(slash + 1);
    const bits = /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : -1;
    if (base < 0) return { error: `"${s.slice(0, slash)}" is not an IPv4 address` };
    if (bits < 0 || bits > 32) return { error: 'the prefix length must be 0 to 32' };
    const size = 2 ** (32 - bits);
    const lo = Math.floor(base / size) * size;
    return { lo, hi: lo + size - 1 };
  }
  const dash = s.indexOf('-');
  if (dash >= 0) {
    const lo = ipv4ToNumber(s.slice(0, dash).trim());
    const hi = ipv4ToNumber(s.slice(dash + 1).trim());
    if (lo < 0 || hi < 0) return { error: 'a range is two IPv4 addresses joined by "-"' };
    if (lo > hi) return { error: 'the range ends before it starts' };
    return { lo, hi };
  }
  const one = ipv4ToNumber(s);
  if (one < 0) return { error: 'must be a CIDR (10.1.2.0/24), a range (10.0.1.10-10.0.1.40) or one IPv4 address' };
  return { lo: one, hi: one };
}

/** MAC text as the registry stores it: lower case, colon-separated; bare hex gets colons every two digits. */
export function normalizeMac(text: string): string {
  const s = text.trim().toLowerCase().replace(/-/g, ':');
  if (/^[0-9a-f]+$/.test(s) && s.length % 2 === 0) return s.match(/../g)!.join(':');
  return s;
}
