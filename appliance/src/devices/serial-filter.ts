// The serial-number list (issue 7 §4): when on, only listed serials are processed. Serials that announce
// without being listed are kept as "unlisted announcers" an admin can promote with one action. A listed
// serial that has been discovered leaves the pending view but stays in the filter, so it keeps passing.
import type { Store } from '../store/index.ts';
import type { Logger } from '../util/log.ts';
import { parseSerialList, SerialListReader, type SerialImport, type SerialListReport } from './serial-list.ts';

/** Most serials the list may hold: every one is in memory (the filter checks each announcement). */
export const MAX_LISTED_SERIALS = 20_000;
/** Serials written per store batch while importing. */
const IMPORT_BATCH = 2000;

export type SerialImportAnswer = Omit<SerialListReport, 'added'> & { added: number; maxListed: number };

export interface ListedSerial { serial: string; addedAt: string; discoveredAt?: string }
export interface UnlistedAnnouncer { serial: string; firstSeen: string; lastSeen: string; count: number; peerAddress: string; model?: string }

export class SerialFilter {
  private listed = new Map<string, ListedSerial>();
  private unlisted = new Map<string, UnlistedAnnouncer>();
  private importing: Promise<unknown> = Promise.resolve();
  // The two bookkeeping writes below run after the announcement was answered, so nobody awaits them: a
  // failure is logged here with what was not kept (the store counts it, and ends the process if it is failing).
  constructor(private readonly store: Store, private readonly log?: Logger) {}

  get size(): number { return this.listed.size; }

  async load() {
    for (const [k, v] of await this.store.entries<any>('serials')) {
      if (k.startsWith('listed!')) this.listed.set(v.serial, v); else if (k.startsWith('unlisted!')) this.unlisted.set(v.serial, v);
    }
  }

  has(serial: string) { return this.listed.has(serial); }

  view() {
    const all = [...this.listed.values()].sort((a, b) => a.serial.localeCompare(b.serial));
    return { total: all.length, serials: all, pending: all.filter((s) => !s.discoveredAt).map((s) => s.serial),
      unlisted: [...this.unlisted.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen)) };
  }

  async importText(text: string): Promise<{ added: number; duplicates: number; invalid: SerialImport['invalid'] }> {
    const r = parseSerialList(text, new Set(this.listed.keys()));
    await this.add(r.added);
    return { added: r.added.length, duplicates: r.duplicates, invalid: r.invalid };
  }

  /**
   * Imports a list arriving in chunks (an upload), holding one line at a time and a bounded report. Nothing
   * is stored unless the whole stream was read (a refused or broken upload changes nothing). The list never
   * grows past MAX_LISTED_SERIALS: serials beyond are counted as `listFull`.
   */
  async importStream(chunks: AsyncIterable<Buffer>): Promise<SerialImportAnswer> {
    const reader = new SerialListReader({ isListed: (x) => this.listed.has(x), maxNew: Math.max(0, MAX_LISTED_SERIALS - this.listed.size) });
    for await (const chunk of chunks) reader.push(chunk);
    const r = reader.end();
    // Imports read in parallel but commit one at a time: each adds only what is still new and still fits.
    const commit = this.importing.then(async () => {
      const fresh = r.added.filter((x) => !this.listed.has(x));
      const take = fresh.slice(0, Math.max(0, MAX_LISTED_SERIALS - this.listed.size));
      for (let i = 0; i < take.length; i += IMPORT_BATCH) await this.add(take.slice(i, i + IMPORT_BATCH));
      return { fresh, take };
    });
    this.importing = commit.catch(() => undefined);
    const { fresh, take } = await commit;
    const { added: _added, ...rest } = r;
    return { ...rest, added: take.length, duplicates: r.duplicates + (r.added.length - fresh.length), listFull: r.listFull + (fresh.length - take.length), maxListed: MAX_LISTED_SERIALS };
  }

  async add(serials: string[]) {
    const now = new Date().toISOString();
    const recs = serials.map((serial) => ({ serial, addedAt: now }));
    const sub = this.store.sub('serials');
    await this.store.commit([...recs.map((r) => ({ type: 'put' as const, sublevel: sub, key: `listed!${r.serial}`, value: r })),
      ...serials.filter((s) => this.unlisted.has(s)).map((s) => ({ type: 'del' as const, sublevel: sub, key: `unlisted!${s}` }))]);
    for (const r of recs) { this.listed.set(r.serial, r); this.unlisted.delete(r.serial); }
  }

  async remove(serial: string): Promise<boolean> {
    if (!this.listed.has(serial)) return false;
    await this.store.commit([{ type: 'del', sublevel: this.store.sub('serials'), key: `listed!${serial}` }]);
    this.listed.delete(serial);
    return true;
  }

  /** A listed serial announced and was accepted: out of the pending view, still in the filter. */
  markDiscovered(serial: string) {
    const l = this.listed.get(serial);
    if (!l || l.discoveredAt) return;
    l.discoveredAt = new Date().toISOString();
    void this.store.commit([{ type: 'put', sublevel: this.store.sub('serials'), key: `listed!${serial}`, value: l }])
      .catch((err) => this.log?.error({ err: (err as Error).message, serial }, 'could not store that a listed serial was discovered (it shows as pending after a restart)'));
  }

  /** Remembers a refused announcer (bounded: the 1,000 most recent). */
  noteUnlisted(serial: string, peerAddress: string, model?: string) {
    const now = new Date().toISOString();
    const cur = this.unlisted.get(serial);
    const rec = { serial, firstSeen: cur?.firstSeen ?? now, lastSeen: now, count: (cur?.count ?? 0) + 1, peerAddress, model };
    this.unlisted.set(serial, rec);
    const ops: any[] = [{ type: 'put', sublevel: this.store.sub('serials'), key: `unlisted!${serial}`, value: rec }];
    if (this.unlisted.size > 1000) {
      const oldest = [...this.unlisted.values()].sort((a, b) => a.lastSeen.localeCompare(b.lastSeen))[0];
      this.unlisted.delete(oldest.serial);
      ops.push({ type: 'del', sublevel: this.store.sub('serials'), key: `unlisted!${oldest.serial}` });
    }
    void this.store.commit(ops).catch((err) => this.log?.error({ err: (err as Error).message, serial }, 'could not store an unlisted announcer (it is shown until a restart)'));
  }
}
