// Secondary listeners (the vendor's term): central Security Manager / Web Jetadmin servers or hub appliances
// that get a copy of every accepted announcement. Each has its own host and port (the per-host port map;
// 3329 by default) and may require its identity certificate to chain to our trusted CAs.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store/index.ts';

const hostSchema = z.string().trim().min(1).max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or an IP address');

export const listenerInputSchema = z.object({
  host: hostSchema,
  port: z.number().int().min(1).max(65535).default(3329),
  validateIdentityCertificate: z.boolean().default(true),
  enabled: z.boolean().default(true),
  name: z.string().max(100).optional(),
}).strict();
export type ListenerInput = z.input<typeof listenerInputSchema>;

export const listenerPatchSchema = z.object({
  host: hostSchema,
  port: z.number().int().min(1).max(65535),
  validateIdentityCertificate: z.boolean(),
  enabled: z.boolean(),
  name: z.string().max(100),
}).partial().strict();

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
