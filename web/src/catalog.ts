// The settings catalog (titles, help, values, areas, what no policy can set and why), fetched once per page
// load; typed by the API contract.
import { call, type Answer } from './api.ts';

export type CatalogView = Answer<'GET /api/v1/catalog'>;
export type CatalogEntry = CatalogView['settings'][number];

let cached: Promise<CatalogView> | undefined;
export function loadCatalogView(): Promise<CatalogView> {
  cached ??= call('GET /api/v1/catalog').catch((e: unknown) => { cached = undefined; throw e; });
  return cached;
}

export const loadCatalog = (): Promise<CatalogEntry[]> => loadCatalogView().then((v) => v.settings);
