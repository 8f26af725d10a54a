// The settings catalog (titles, help, allowed values), fetched once per page load.
import { api } from './api.ts';

export interface CatalogEntry { id: string; title: string; help: string; oid: string; valueType: 'boolean' | 'string'; allowed: string; maxLength?: number; factoryDefault: unknown }

let cached: Promise<CatalogEntry[]> | undefined;
export function loadCatalog(): Promise<CatalogEntry[]> {
  cached ??= api<{ settings: CatalogEntry[] }>('GET', '/api/v1/catalog').then((r) => r.settings, (e) => { cached = undefined; throw e; });
  return cached;
}
