// De-duplication by messageId (HDAP.md §4: the key forwarders keep unchanged). Relays are at-least-once: a
// branch that crashed between the hub's Acknowledge and deleting its outbox entry sends the entry again.
// The ids of recently stored announcements are kept, bounded, in the `messages` sublevel, written in the
// same batch as the device, so a repeat is acknowledged without creating a device, history or a task.
import type { Store, StoreOp, Sub } from '../store/index.ts';

export class MessageDedup {
  /** messageId → time stored; a Map keeps insertion order, so the oldest come first. */
  private readonly seen = new Map<string, number>();
  private readonly sub: Sub<number>;
  duplicates = 0;

  constructor(private readonly store: Store, private readonly limit: () => number, private readonly now: () => number = Date.now) {
    this.sub = store.sub<number>('messages');
  }

  async load(): Promise<void> {
    const all = await this.sub.iterator().all();
    all.sort((a, b) => a[1] - b[1]);
    for (const [id, at] of all) this.seen.set(id, at);
    const excess = this.trim();
    if (excess.length) await this.store.commit(excess);
  }

  get size(): number { return this.seen.size; }

  /** True when this messageId was already stored (the caller acknowledges it again and records nothing). */
  has(messageId: string): boolean {
    const hit = this.seen.has(messageId);
    if (hit) this.duplicates++;
    return hit;
  }

  /** Operations that remember `messageId`, for the device's batch; the oldest ids beyond the limit go. */
  remember(messageId: string): StoreOp[] {
    const at = this.now();
    // Counted as seen only once the batch is on disk (confirm): an Acknowledge never outruns the store.
    return [{ type: 'put', sublevel: this.sub, key: messageId, value: at }, ...this.trim(1)];
  }

  /** The batch holding `remember`'s operations is on disk. */
  confirm(messageId: string): void { this.seen.set(messageId, this.now()); }

  /** Ids trimmed from memory whose delete was in a failed batch stay on disk until the next load trims them. */
  forget(messageId: string): void { this.seen.delete(messageId); }

  private trim(room = 0): StoreOp[] {
    const ops: StoreOp[] = [];
    const max = Math.max(1, this.limit() - room);
    for (const id of this.seen.keys()) {
      if (this.seen.size <= max) break;
      this.seen.delete(id);
      ops.push({ type: 'del', sublevel: this.sub, key: id });
    }
    return ops;
  }
}
