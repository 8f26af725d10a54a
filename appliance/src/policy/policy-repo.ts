// Stored policies. Validation is the catalog's (policy.ts); this file only keeps them.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.ts';
import type { Policy } from './policy.ts';

export interface StoredPolicy extends Policy { id: string; createdAt: string; updatedAt: string }

export class PolicyRepo {
  private cache = new Map<string, StoredPolicy>();
  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    for (const p of await this.store.values<StoredPolicy>('policies')) this.cache.set(p.id, p);
  }

  list(): StoredPolicy[] { return [...this.cache.values()].sort((a, b) => a.name.localeCompare(b.name)); }
  get(id: string): StoredPolicy | undefined { return this.cache.get(id); }

  async create(policy: Policy): Promise<StoredPolicy> {
    const now = new Date().toISOString();
    const rec: StoredPolicy = { id: randomUUID(), ...policy, createdAt: now, updatedAt: now };
    await this.put(rec);
    return rec;
  }

  async update(id: string, policy: Policy): Promise<StoredPolicy | undefined> {
    const cur = this.cache.get(id);
    if (!cur) return undefined;
    const rec: StoredPolicy = { ...cur, ...policy, id, updatedAt: new Date().toISOString() };
    await this.put(rec);
    return rec;
  }

  async remove(id: string): Promise<boolean> {
    if (!this.cache.has(id)) return false;
    await this.store.commit([{ type: 'del', sublevel: this.store.sub('policies'), key: id }]);
    this.cache.delete(id);
    return true;
  }

  private async put(rec: StoredPolicy) {
    await this.store.commit([{ type: 'put', sublevel: this.store.sub('policies'), key: rec.id, value: rec }]);
    this.cache.set(rec.id, rec);
  }
}
