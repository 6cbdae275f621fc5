/**
 * The search of the test STAC API: filters items by collection, bbox, datetime and the
 * `eo:cloud_cover` query, sorts by `sortby`, and pages with `next` links in the two styles
 * real catalogs use (Earth Search: POST with the whole body and `next`; Planetary Computer:
 * POST with `{ token }` and `merge: true`).
 */
type Item = Record<string, unknown> & { id: string; bbox?: number[]; collection?: string; properties: Record<string, unknown> };

export interface SearchBody {
  collections?: string[];
  bbox?: number[];
  datetime?: string;
  limit?: number;
  query?: Record<string, Record<string, number>>;
  sortby?: Array<{ field: string; direction: 'asc' | 'desc' }>;
  next?: string;
  token?: string;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  eq: (a, b) => a === b,
};

function matches(item: Item, body: SearchBody): boolean {
  if (body.collections && !body.collections.includes(String(item.collection))) return false;
  if (body.bbox && item.bbox) {
    const [w, s, e, n] = body.bbox;
    const [iw, is, ie, inn] = item.bbox;
    if (iw > e || ie < w || is > n || inn < s) return false;
  }
  if (body.datetime) {
    const [from, to] = body.datetime.split('/');
    const time = Date.parse(String(item.properties.datetime));
    if (from && from !== '..' && time < Date.parse(from)) return false;
    if (to && to !== '..' && time > Date.parse(to)) return false;
  }
  for (const [field, ops] of Object.entries(body.query ?? {})) {
    const value = Number(item.properties[field]);
    for (const [op, limit] of Object.entries(ops)) if (!COMPARE[op]?.(value, limit)) return false;
  }
  return true;
}

function sortValue(item: Item, field: string): number | string {
  const key = field.replace(/^properties\./, '');
  const value = item.properties[key] ?? item[key];
  return typeof value === 'number' ? value : String(value ?? '');
}

/**
 * One page of results for `body` over `items`.
 *
 * @example
 * ```ts
 * searchItems(items, { bbox, datetime: '2023-01-01T00:00:00Z/2023-12-31T23:59:59Z', limit: 2 }, { style: 'earth-search', href });
 * ```
 */
export function searchItems(items: Item[] | Array<Record<string, unknown>>, body: SearchBody, options: { pageSize?: number; style: 'earth-search' | 'planetary-computer'; href: string }) {
  const all = (items as Item[]).filter((item) => matches(item, body));
  for (const { field, direction } of [...(body.sortby ?? [])].reverse()) {
    all.sort((a, b) => {
      const [x, y] = [sortValue(a, field), sortValue(b, field)];
      const order = x < y ? -1 : x > y ? 1 : 0;
      return direction === 'desc' ? -order : order;
    });
  }
  const limit = Math.min(body.limit ?? 10, options.pageSize ?? Infinity);
  const cursor = Number(String(body.next ?? body.token ?? '0').replace(/^next:/, '')) || 0;
  const page = all.slice(cursor, cursor + limit);
  const more = cursor + limit < all.length;
  const next = String(cursor + limit);
  const links = more
    ? [
        options.style === 'earth-search'
          ? { rel: 'next', href: options.href, method: 'POST', body: { ...body, next } }
          : { rel: 'next', href: options.href, method: 'POST', body: { token: `next:${next}` }, merge: true },
      ]
    : [];
  return { type: 'FeatureCollection', features: page, links, numberReturned: page.length, context: { matched: all.length, returned: page.length, limit } };
}
