// Server-side device lists (issue 17 §1): one page at a time, searched, filtered and sorted here, so the page
// never holds the whole fleet (100,000 devices are ~100 MB of JSON). Each sort order is an index built on
// first use and kept current from the registry's events: a few changed devices are moved in place, a burst
// rebuilds it. Pages are keyset cursors (sort value + serial of the last row), so a device announcing
// between two pages neither repeats nor skips a row.
import type { Device, FoundWay } from './device.ts';

export const DEVICE_SORTS = ['lastSeen', 'firstSeen', 'serial', 'model', 'ip', 'hostname', 'mac', 'compliance', 'policy'] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];
/** A compliance status, or `not-assessed` for a device never assessed. */
export type ComplianceFilter = NonNullable<Device['compliance']>['status'] | 'not-assessed';

export interface DeviceQuery {
  /** Words that must all appear in serial, model, MAC, IP, host name, policy or compliance (any case). */
  q?: string;
  sort: DeviceSort;
  dir: 'asc' | 'desc';
  compliance?: ComplianceFilter;
  foundBy?: FoundWay;
  /** Retired devices: listed with the others (default), left out, or alone. */
  retired?: 'include' | 'exclude' | 'only';
  limit: number;
  cursor?: string;
}

export interface DevicePage { total: number; matched: number; devices: Device[]; nextCursor: string | null }

/** Fleet counts for the dashboard: retired devices are counted apart, not in the fleet. */
export interface DeviceCounts {
  fleet: number; retired: number;
  compliance: Record<string, number>;
  foundBy: Record<FoundWay, number>;
}

export class CursorError extends Error {}

const pad = (n: string) => n.padStart(3, '0');
/** IPv4 sorts by number (10.0.0.9 before 10.0.0.10); devices without an address last. */
const ipKey = (d: Device) => (d.ipv4 ? d.ipv4.split('.').map(pad).join('.') : d.ipv6?.[0] ? `~${d.ipv6[0]}` : '~~');
export const complianceOf = (d: Device): string => d.compliance?.status ?? 'not-assessed';

const KEYS: Record<DeviceSort, (d: Device) => string> = {
  lastSeen: (d) => d.lastSeen,
  firstSeen: (d) => d.firstSeen,
  serial: (d) => d.serialNumber,
  model: (d) => d.model.toLowerCase(),
  ip: ipKey,
  hostname: (d) => (d.hostname ?? '~').toLowerCase(),
  mac: (d) => d.macAddress.toLowerCase() || '~',
  compliance: complianceOf,
  policy: (d) => (d.lastPolicy?.name ?? d.compliance?.policyName ?? '~').toLowerCase(),
};

/** Above this many changed devices since the last query an index is rebuilt rather than patched. */
const PATCH_LIMIT = 256;

interface SortIndex { keys: string[]; serials: string[]; keyOf: Map<string, string>; dirty: Set<string> | 'all' }

export interface DeviceSource {
  list(): Device[];
  get(serial: string): Device | undefined;
  on(event: 'device', fn: (e: { device: Device }) => void): unknown;
  on(event: 'removed', fn: (e: { serialNumber: string }) => void): unknown;
}

export class DeviceIndex {
  private indexes = new Map<DeviceSort, SortIndex>();
  private hay = new Map<string, string>();
  /** Bumped on every change: the counts are kept until the next one. */
  private version = 0;
  private countsCache?: { version: number; counts: DeviceCounts };

  constructor(private readonly source: DeviceSource) {
    source.on('device', (e) => this.touch(e.device.serialNumber));
    source.on('removed', (e) => this.touch(e.serialNumber));
  }

  query(q: DeviceQuery): DevicePage {
    const index = this.index(q.sort);
    const n = index.serials.length;
    const words = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const retired = q.retired ?? 'include';
    const filtered = words.length > 0 || !!q.compliance || !!q.foundBy || retired !== 'include';
    const keep = (d: Device) => (retired === 'include' || (retired === 'only') === !!d.retired)
      && (!q.compliance || complianceOf(d) === q.compliance)
      && (!q.foundBy || !!d.foundBy?.[q.foundBy])
      && (words.length === 0 || this.matches(d, words));
    const asc = q.dir === 'asc';
    const start = q.cursor ? this.resume(index, q, asc) : asc ? 0 : n - 1;
    const devices: Device[] = [];
    let last = -1, more = false, matched = n;
    if (!filtered) {
      // No filter: the page is the next `limit` positions of the order, and every device matches.
      const step = asc ? 1 : -1;
      for (let i = start; i >= 0 && i < n && devices.length < q.limit; i += step) { const d = this.source.get(index.serials[i]); if (d) { devices.push(d); last = i; } }
      more = last >= 0 && (asc ? last < n - 1 : last > 0);
    } else {
      // One pass over the whole order: counts the matches and takes the page from the cursor on.
      matched = 0;
      for (let k = 0; k < n; k++) {
        const i = asc ? k : n - 1 - k;
        const d = this.source.get(index.serials[i]);
        if (!d || !keep(d)) continue;
        matched++;
        if (asc ? i < start : i > start) continue;
        if (devices.length < q.limit) { devices.push(d); last = i; } else more = true;
      }
    }
    const nextCursor = more && devices.length ? encodeCursor(q, index.keys[last], index.serials[last]) : null;
    return { total: n, matched, devices, nextCursor };
  }

  /** Search text per device (serial, model, MAC, IP, host name, policy, compliance), lowercased once and kept until it changes. */
  private matches(d: Device, words: string[]): boolean {
    let hay = this.hay.get(d.serialNumber);
    if (hay === undefined) {
      hay = `${d.serialNumber} ${d.model} ${d.macAddress} ${d.ipv4 ?? ''} ${(d.ipv6 ?? []).join(' ')} ${d.hostname ?? ''} ${d.lastPolicy?.name ?? ''} ${complianceOf(d)}`.toLowerCase();
      this.hay.set(d.serialNumber, hay);
    }
    for (const w of words) if (!hay.includes(w)) return false;
    return true;
  }

  counts(): DeviceCounts {
    if (this.countsCache && this.countsCache.version === this.version) return this.countsCache.counts;
    const out: DeviceCounts = { fleet: 0, retired: 0, compliance: {}, foundBy: { announcement: 0, discovery: 0, manual: 0 } };
    for (const d of this.source.list()) {
      if (d.retired) { out.retired++; continue; }
      out.fleet++;
      const c = complianceOf(d);
      out.compliance[c] = (out.compliance[c] ?? 0) + 1;
      const by = d.foundBy;
      if (by?.announcement) out.foundBy.announcement++;
      if (by?.discovery) out.foundBy.discovery++;
      if (by?.manual) out.foundBy.manual++;
    }
    this.countsCache = { version: this.version, counts: out };
    return out;
  }

  private touch(serial: string) {
    this.version++;
    this.hay.delete(serial);
    for (const ix of this.indexes.values()) {
      if (ix.dirty === 'all') continue;
      ix.dirty.add(serial);
      if (ix.dirty.size > PATCH_LIMIT) ix.dirty = 'all';
    }
  }

  private index(sort: DeviceSort): SortIndex {
    let ix = this.indexes.get(sort);
    if (!ix || ix.dirty === 'all') { ix = this.build(sort); this.indexes.set(sort, ix); return ix; }
    if (ix.dirty.size) {
      const key = KEYS[sort];
      for (const serial of ix.dirty) {
        const old = ix.keyOf.get(serial);
        if (old !== undefined) {
          const at = lowerBound(ix, old, serial);
          ix.keys.splice(at, 1); ix.serials.splice(at, 1); ix.keyOf.delete(serial);
        }
        const d = this.source.get(serial);
        if (!d) continue;
        const k = key(d);
        const at = lowerBound(ix, k, serial);
        ix.keys.splice(at, 0, k); ix.serials.splice(at, 0, serial); ix.keyOf.set(serial, k);
      }
      ix.dirty = new Set();
    }
    return ix;
  }

  private build(sort: DeviceSort): SortIndex {
    const key = KEYS[sort];
    const rows = this.source.list().map((d) => ({ k: key(d), s: d.serialNumber }));
    rows.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
    const keys = rows.map((r) => r.k);
    const serials = rows.map((r) => r.s);
    return { keys, serials, keyOf: new Map(rows.map((r) => [r.s, r.k])), dirty: new Set() };
  }

  /** Where the page after the cursor starts: the first row past (key, serial) in the direction of the sort. */
  private resume(ix: SortIndex, q: DeviceQuery, asc: boolean): number {
    const c = decodeCursor(q.cursor!);
    if (c.sort !== q.sort || c.dir !== q.dir) throw new CursorError('the cursor belongs to another sort order; start from the first page');
    const at = lowerBound(ix, c.key, c.serial);
    const exact = ix.keys[at] === c.key && ix.serials[at] === c.serial;
    return asc ? (exact ? at + 1 : at) : at - 1;
  }
}

/** First position whose (key, serial) is not below the given one. */
function lowerBound(ix: SortIndex, key: string, serial: string): number {
  let lo = 0, hi = ix.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = ix.keys[mid];
    if (k < key || (k === key && ix.serials[mid] < serial)) lo = mid + 1; else hi = mid;
  }
  return lo;
}

interface Cursor { sort: DeviceSort; dir: 'asc' | 'desc'; key: string; serial: string }

function encodeCursor(q: DeviceQuery, key: string, serial: string): string {
  return Buffer.from(JSON.stringify([q.sort, q.dir, key, serial])).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const [sort, dir, key, serial] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if ((DEVICE_SORTS as readonly unknown[]).includes(sort) && (dir === 'asc' || dir === 'desc') && typeof key === 'string' && typeof serial === 'string') {
      return { sort: sort as DeviceSort, dir, key, serial };
    }
  } catch { /* fall through */ }
  throw new CursorError('the cursor is not one this appliance made');
}
