import { AppError, catalogAt, type CatalogEntry } from '@autoprov/contract';

/** How this installation reaches the catalog's apps (from the environment). */
export interface AppsSettings {
  /** Per app key, where the vendor's services answer (replaces the demo app's address). */
  vendorUrls: Partial<Record<string, string>>;
  /** Per app key, autoprov's own OAuth client at the vendor (W-2). */
  oauthClients: Partial<Record<string, { clientId: string; clientSecret: string }>>;
}

export function appCatalog(settings: AppsSettings): CatalogEntry[] {
  return catalogAt(settings.vendorUrls);
}

export function requireEntry(settings: AppsSettings, key: string): CatalogEntry {
  const entry = appCatalog(settings).find((e) => e.key === key);
  if (!entry) throw new AppError('not_found', `There is no app "${key}" in the catalog.`);
  return entry;
}
