import { CatalogUnavailableError, isKelpieError } from '../errors.js';
import type { CallOptions } from '../ports/blob-store.js';
import type { SceneCatalog, SceneQuery, SceneSearchResult, StacItem } from '../ports/scene-catalog.js';
import type { GuardedFetch } from '../net/guarded-fetch.js';
import { readBodyCapped } from '../net/guarded-fetch.js';
import { HttpStatusError, describeFailure } from '../net/http-status.js';
import { type RetryOptions, withRetries } from '../net/retry.js';
import type { AssetSigner } from './pc-signer.js';
import { type StacLink, itemCollectionSchema } from './stac-schema.js';

/** The collection of Sentinel-2 L2A in Earth Search and the Planetary Computer alike. */
export const SENTINEL2_L2A = 'sentinel-2-l2a';

/** Limits of one search: items per page, items and pages in all, bytes per page. */
const SEARCH_LIMITS = { pageSize: 100, maxItems: 500, maxPages: 20, maxPageBytes: 16 * 1024 * 1024 } as const;

/** Options of {@link createStacCatalog}. */
export interface StacCatalogOptions {
  /** The STAC API root, e.g. `https://earth-search.aws.element84.com/v1`. */
  url: string;
  /** `fetch` already guarded by the outbound policy (see `guardFetch`). */
  fetch: GuardedFetch;
  /** Signs asset URLs (the Planetary Computer's SAS tokens); none by default. */
  signer?: AssetSigner;
  retry?: RetryOptions;
  pageSize?: number;
}

/** The `POST /search` body of a query (STAC API Item Search with the query and sort extensions). */
export function searchBody(query: SceneQuery, pageSize: number): Record<string, unknown> {
  return {
    collections: query.collections?.length ? [...query.collections] : [query.collection ?? SENTINEL2_L2A],
    bbox: query.bbox,
    datetime: `${query.start}/${query.end}`,
    limit: pageSize,
    query: { 'eo:cloud_cover': { lte: query.maxCloudCover } },
    sortby: [query.sortBy === 'cloud' ? { field: 'properties.eo:cloud_cover', direction: 'asc' } : { field: 'properties.datetime', direction: 'asc' }],
  };
}

/**
 * A `SceneCatalog` over a STAC API: `POST {url}/search` with bbox, datetime, collection,
 * `eo:cloud_cover` at most the limit and sorting; follows `next` links (POST with a body,
 * merged or not, or GET) up to the limits; retries 5xx and network failures; and re-sorts
 * locally, since not every API honours `sortby`. Failures become `CatalogUnavailableError`
 * naming the catalog.
 *
 * @example
 * ```ts
 * const catalog = createStacCatalog({ url: 'https://earth-search.aws.element84.com/v1', fetch: guarded });
 * const { items } = await catalog.search({ bbox, start, end, maxCloudCover: 20, sortBy: 'cloud' });
 * ```
 */
export function createStacCatalog(options: StacCatalogOptions): SceneCatalog {
  const root = options.url.replace(/\/+$/, '');
  const pageSize = options.pageSize ?? SEARCH_LIMITS.pageSize;
  return {
    url: root,
    async search(query, { signal }: CallOptions = {}): Promise<SceneSearchResult> {
      const maxItems = query.maxItems ?? SEARCH_LIMITS.maxItems;
      const items: StacItem[] = [];
      let request: PageRequest | undefined = { href: `${root}/search`, method: 'POST', body: searchBody(query, pageSize) };
      for (let page = 0; request && items.length < maxItems; page++) {
        if (page >= SEARCH_LIMITS.maxPages) break;
        const current: PageRequest = request;
        const { features, links } = await withRetries(() => fetchPage(options.fetch, root, current, signal), { ...options.retry, signal }).catch((error: unknown) => {
          throw toCatalogError(root, error, signal);
        });
        items.push(...(features as StacItem[]));
        request = nextRequest(links ?? [], current);
      }
      const sorted = sortItems(items, query.sortBy);
      return { items: sorted.slice(0, maxItems), complete: !request && items.length <= maxItems };
    },
    async signHref(item, href, { signal }: CallOptions = {}) {
      return options.signer ? options.signer.sign(href, item, signal) : href;
    },
  };
}

interface PageRequest {
  href: string;
  method: 'GET' | 'POST';
  body?: Record<string, unknown>;
}

async function fetchPage(fetch: GuardedFetch, root: string, request: PageRequest, signal?: AbortSignal) {
  const response = await fetch(request.href, {
    method: request.method,
    headers: { accept: 'application/geo+json, application/json', ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body ? JSON.stringify(request.body) : undefined,
    signal,
  });
  if (!response.ok) {
    const detail = await response.text().catch(() => '');
    if (response.status >= 500 || response.status === 429) throw new HttpStatusError(response.status, request.href);
    throw new CatalogUnavailableError(`the STAC catalog ${root} refused the search (HTTP ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ''})`, {
      catalog: root,
      status: response.status,
    });
  }
  const bytes = await readBodyCapped(response, SEARCH_LIMITS.maxPageBytes, `a search page from ${root}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new CatalogUnavailableError(`the STAC catalog ${root} answered the search with something that is not JSON`, { catalog: root });
  }
  const parsed = itemCollectionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogUnavailableError(`the STAC catalog ${root} answered with an invalid item collection (${issue.path.join('.')}: ${issue.message})`, { catalog: root });
  }
  return parsed.data;
}

/** The request for the next page, from the `next` link (STAC API paging: GET href, or POST with body and `merge`). */
function nextRequest(links: StacLink[], previous: PageRequest): PageRequest | undefined {
  const next = links.find((link) => link.rel === 'next');
  if (!next) return undefined;
  if ((next.method ?? 'GET').toUpperCase() === 'POST') {
    const body = next.merge ? { ...previous.body, ...next.body } : (next.body ?? previous.body);
    return { href: next.href, method: 'POST', body };
  }
  return { href: next.href, method: 'GET' };
}

/** Least cloudy first (then newest), or oldest first (then least cloudy). */
function sortItems(items: StacItem[], by: SceneQuery['sortBy']): StacItem[] {
  const cloud = (item: StacItem) => item.properties['eo:cloud_cover'] ?? 100;
  const time = (item: StacItem) => Date.parse(item.properties.datetime ?? '') || 0;
  const seen = new Set<string>();
  const unique = items.filter((item) => !seen.has(item.id) && seen.add(item.id));
  return unique.sort((a, b) => (by === 'cloud' ? cloud(a) - cloud(b) || time(b) - time(a) : time(a) - time(b) || cloud(a) - cloud(b)));
}

function toCatalogError(root: string, error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted || isKelpieError(error)) return error;
  return new CatalogUnavailableError(`the STAC catalog ${root} is unreachable: ${describeFailure(error)}, also after retries; try again later`, {
    catalog: root,
  }, { cause: error });
}
