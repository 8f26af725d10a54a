// The settings catalog (titles, help, allowed values), fetched once per page load.
import { call, type Answer } from './api.ts';

export type CatalogEntry = Answer<'GET /api/v1/catalog'>['settings'][number];

let cached: Promise<CatalogEntry[]> | undefined;
export function loadCatalog(): Promise<CatalogEntry[]> {
  cached ??= call('GET /api/v1/catalog').then((r) => r.settings, (e: unknown) => { cached = undefined; throw e; });
  return cached;
}
