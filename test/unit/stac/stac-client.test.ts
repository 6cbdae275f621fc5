import { describe, expect, it } from 'vitest';
import { CatalogUnavailableError } from '../../../core/errors.js';
import { guardFetch } from '../../../core/net/guarded-fetch.js';
import { OutboundPolicy } from '../../../core/net/outbound-policy.js';
import type { SceneQuery } from '../../../core/ports/scene-catalog.js';
import { createStacCatalog, searchBody } from '../../../core/stac/stac-client.js';
import { searchItems } from '../../helpers/stac-search.js';

const CATALOG = 'https://stac.example.org/v1';
const QUERY: SceneQuery = { bbox: [0.4, 0.4, 0.6, 0.6], start: '2023-06-01T00:00:00Z', end: '2023-08-31T23:59:59.999Z', maxCloudCover: 20, sortBy: 'cloud' };
const fast = { sleep: async () => undefined };

function item(id: string, cloud: number, day: number) {
  return {
    id,
    collection: 'sentinel-2-l2a',
    bbox: [0, 0, 1, 1],
    geometry: null,
    properties: { datetime: `2023-07-${String(day).padStart(2, '0')}T19:00:00Z`, 'eo:cloud_cover': cloud },
    assets: { red: { href: 'https://cogs.example.org/B04.tif' } },
  };
}

/** A fake STAC API over `items`, paging `pageSize` at a time in the given style; logs request bodies. */
function fakeCatalog(items: ReturnType<typeof item>[], style: 'earth-search' | 'planetary-computer', pageSize = 2) {
  const bodies: Array<Record<string, unknown>> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    bodies.push(body);
    return Response.json(searchItems(items, body, { pageSize, style, href: url }));
  };
  return { fetch: guardFetch(fetch, new OutboundPolicy().trust(CATALOG)), bodies };
}

describe('searchBody', () => {
  it('asks for the collection, bbox, datetime, a cloud limit and a sort order', () => {
    expect(searchBody(QUERY, 100)).toEqual({
      collections: ['sentinel-2-l2a'],
      bbox: [0.4, 0.4, 0.6, 0.6],
      datetime: '2023-06-01T00:00:00Z/2023-08-31T23:59:59.999Z',
      limit: 100,
      query: { 'eo:cloud_cover': { lte: 20 } },
      sortby: [{ field: 'properties.eo:cloud_cover', direction: 'asc' }],
    });
  });
});

describe('createStacCatalog', () => {
  const items = [item('a', 30, 1), item('b', 5, 2), item('c', 12, 3), item('d', 1, 4), item('e', 19, 5)];

  it.each(['earth-search', 'planetary-computer'] as const)('follows %s-style next links through every page', async (style) => {
    const catalog = fakeCatalog(items, style);
    const { items: found, complete } = await createStacCatalog({ url: CATALOG, fetch: catalog.fetch }).search(QUERY);
    expect(found.map((i) => i.id)).toEqual(['d', 'b', 'c', 'e']);
    expect(complete).toBe(true);
    expect(catalog.bodies).toHaveLength(2);
    expect(catalog.bodies[1]).toMatchObject({ collections: ['sentinel-2-l2a'], bbox: QUERY.bbox });
  });

  it('stops at maxItems and says the list is incomplete', async () => {
    const catalog = fakeCatalog(items, 'earth-search', 1);
    const result = await createStacCatalog({ url: CATALOG, fetch: catalog.fetch }).search({ ...QUERY, maxCloudCover: 100, maxItems: 2 });
    expect(result.items).toHaveLength(2);
    expect(result.complete).toBe(false);
  });

  it('sorts oldest first for a series', async () => {
    const catalog = fakeCatalog(items, 'earth-search', 10);
    const { items: found } = await createStacCatalog({ url: CATALOG, fetch: catalog.fetch }).search({ ...QUERY, sortBy: 'date' });
    expect(found.map((i) => i.id)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('retries a failing catalog, then names it in a 503-kind error', async () => {
    let calls = 0;
    const fetch = guardFetch(async () => { calls++; return new Response('busy', { status: 502 }); }, new OutboundPolicy().trust(CATALOG));
    const search = createStacCatalog({ url: CATALOG, fetch, retry: fast }).search(QUERY);
    await expect(search).rejects.toThrow(CatalogUnavailableError);
    await expect(createStacCatalog({ url: CATALOG, fetch, retry: fast }).search(QUERY)).rejects.toThrow(`the STAC catalog ${CATALOG} is unreachable: HTTP 502`);
    expect(calls).toBe(8);
  });

  it('refuses an answer that is not an item collection', async () => {
    const fetch = guardFetch(async () => Response.json({ features: [{ id: 'x' }] }), new OutboundPolicy().trust(CATALOG));
    await expect(createStacCatalog({ url: CATALOG, fetch }).search(QUERY)).rejects.toThrow(/invalid item collection \(features.0.properties/);
  });

  it('refuses a page larger than the limit', async () => {
    const fetch = guardFetch(async () => new Response('{}', { headers: { 'content-length': String(64 * 1024 * 1024) } }), new OutboundPolicy().trust(CATALOG));
    await expect(createStacCatalog({ url: CATALOG, fetch }).search(QUERY)).rejects.toThrow(/larger than/);
  });
});
