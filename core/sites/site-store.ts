import { NotFoundError } from '../errors.js';
import type { BlobInfo, BlobStore, CallOptions } from '../ports/blob-store.js';
import { createLimiter } from '../net/limiter.js';
import { SITE_ID, SITE_KEYS, type SiteRecord } from './site.js';

/** Parallel store calls of one site operation (reading observations, deleting a site). */
export const STORE_CONCURRENCY = 16;

const JSON_TYPE = { contentType: 'application/json' };

/** The JSON object at `key`, or undefined when there is none. */
export async function readJson<T>(store: BlobStore, key: string, options: CallOptions = {}): Promise<T | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(key, options))) as T;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Writes `value` as JSON at `key` (one atomic put). */
export async function writeJson(store: BlobStore, key: string, value: unknown, options: CallOptions = {}): Promise<BlobInfo> {
  return store.put(key, JSON.stringify(value), { ...JSON_TYPE, signal: options.signal });
}

/** Every object under `prefix`, all pages. */
export async function listAll(store: BlobStore, prefix: string, options: CallOptions = {}): Promise<BlobInfo[]> {
  const items: BlobInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(prefix, { cursor, signal: options.signal });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** The site `id`; `NotFoundError` (404) when there is none, saying how ids look. */
export async function readSite(store: BlobStore, id: string, options: CallOptions = {}): Promise<SiteRecord> {
  const site = SITE_ID.test(id) ? await readJson<SiteRecord>(store, SITE_KEYS.site(id), options) : undefined;
  if (!site) throw new NotFoundError(`no site "${id.slice(0, 64)}"${SITE_ID.test(id) ? '' : '; site ids look like site-0190f3a2b4c19f3e2a1b, as POST /api/sites returns'}`, { id: id.slice(0, 64) });
  return site;
}

/** Writes the site's record, then its listing entry (so a listed site always has a record). */
export async function writeSite(store: BlobStore, site: SiteRecord, options: CallOptions = {}): Promise<void> {
  await writeJson(store, SITE_KEYS.site(site.id), site, options);
  await writeJson(store, SITE_KEYS.index(site.id), { id: site.id, name: site.name, createdAt: site.createdAt }, options);
}

/**
 * One page of site ids, oldest first (ids start with their creation time).
 *
 * @example
 * ```ts
 * const { ids, cursor } = await listSiteIds(store, { limit: 25 });
 * ```
 */
export async function listSiteIds(store: BlobStore, options: CallOptions & { cursor?: string; limit?: number } = {}): Promise<{ ids: string[]; cursor?: string }> {
  const page = await store.list(SITE_KEYS.indexPrefix, options);
  const ids = page.items.map((item) => item.key.slice(SITE_KEYS.indexPrefix.length).replace(/\.json$/, '')).filter((id) => SITE_ID.test(id));
  return { ids, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/**
 * Deletes a site: its listing entry and record first (so no check or worker takes it up again),
 * then everything under `sites/<id>/`. Its analyses stay under `results/` (nothing is deleted there).
 */
export async function deleteSite(store: BlobStore, id: string, options: CallOptions = {}): Promise<{ deleted: number }> {
  await readSite(store, id, options);
  await store.delete(SITE_KEYS.index(id), options);
  await store.delete(SITE_KEYS.site(id), options);
  const rest = await listAll(store, SITE_KEYS.prefix(id), options);
  const limit = createLimiter(STORE_CONCURRENCY);
  await Promise.all(rest.map((item) => limit.run(() => store.delete(item.key, options))));
  return { deleted: rest.length + 2 };
}
