// The settings catalog (titles, help, values, areas, what no policy can set and why), fetched once per page
// load; typed by the API contract.
import { api } from './api.ts';
import type { CatalogEntryView, CatalogView } from '../../appliance/src/contract/compliance.ts';

export type CatalogEntry = CatalogEntryView;

let cached: Promise<CatalogView> | undefined;
export function loadCatalogView(): Promise<CatalogView> {
  cached ??= api<CatalogView>('GET', '/api/v1/catalog').catch((e) => { cached = undefined; throw e; });
  return cached;
}

export const loadCatalog = (): Promise<CatalogEntry[]> => loadCatalogView().then((v) => v.settings);
