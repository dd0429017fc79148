import type { ObjectStore } from '../../ports/index.ts';
import type { ResolvedCatalogObjects } from './stage-json-options.ts';

/**
 * The last full listing of each catalog, per process: when it was made and its fingerprint. A
 * backfill's runs follow each other closely, and each would otherwise list the whole catalog.
 */
const recentListings = new Map<string, { at: number; fingerprint: string }>();

/** Names one catalog staged into one table (the same prefix staged elsewhere is another). */
export function listingKey(store: ObjectStore, objects: ResolvedCatalogObjects, table: string): string {
  return `${store.location}\0${objects.prefix}\0${objects.suffix}\0${table}`;
}

/** The fingerprint of the catalog's last listing, if it was made less than `maxAgeMs` before `now`. */
export function recentFingerprint(key: string, now: number, maxAgeMs: number): string | undefined {
  const recent = recentListings.get(key);
  return recent && now - recent.at < maxAgeMs ? recent.fingerprint : undefined;
}

/** Remembers a full listing of the catalog, made at `at`. */
export function rememberListing(key: string, at: number, fingerprint: string): void {
  recentListings.set(key, { at, fingerprint });
}
