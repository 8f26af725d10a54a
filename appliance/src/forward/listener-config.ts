// Secondary listeners (the vendor's term): central Security Manager / Web Jetadmin servers or hub appliances
// that get a copy of every accepted announcement. Each has its own host and port (the per-host port map;
// 3329 by default) and may require its identity certificate to chain to our trusted CAs.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Store } from '../store/index.ts';

// The request schemas are the API contract's (one description for the route, this room and the page).
import { listenerInput as listenerInputSchema, listenerPatch as listenerPatchSchema } from '../contract/forwarding.ts';
export { listenerInputSchema, listenerPatchSchema };
export type ListenerInput = z.input<typeof listenerInputSchema>;


export interface ListenerConfig {
  id: string;
  host: string;
  port: number;
  validateIdentityCertificate: boolean;
  enabled: boolean;
  name?: string;
  createdAt: string;
}

/** The stored list of secondary listeners (sublevel `listeners`), mirrored in memory. */
export class ListenerRepo {
  private items = new Map<string, ListenerConfig>();

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    for (const l of await this.store.values<ListenerConfig>('listeners')) this.items.set(l.id, l);
  }

  list(): ListenerConfig[] { return [...this.items.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)); }
  get(id: string): ListenerConfig | undefined { return this.items.get(id); }
  enabled(): ListenerConfig[] { return this.list().filter((l) => l.enabled); }

  async create(input: unknown): Promise<ListenerConfig> {
    const v = listenerInputSchema.parse(input);
    const l: ListenerConfig = { id: randomUUID(), ...v, createdAt: new Date().toISOString() };
    await this.store.commit([{ type: 'put', sublevel: this.store.sub('listeners'), key: l.id, value: l }]);
    this.items.set(l.id, l);
    return l;
  }

  async update(id: string, patch: unknown): Promise<ListenerConfig | undefined> {
    const cur = this.items.get(id);
    if (!cur) return undefined;
    const next: ListenerConfig = { ...cur, ...listenerPatchSchema.parse(patch), id };
    await this.store.commit([{ type: 'put', sublevel: this.store.sub('listeners'), key: id, value: next }]);
    this.items.set(id, next);
    return next;
  }

  async remove(id: string): Promise<boolean> {
    if (!this.items.has(id)) return false;
    await this.store.commit([{ type: 'del', sublevel: this.store.sub('listeners'), key: id }]);
    this.items.delete(id);
    return true;
  }
}
