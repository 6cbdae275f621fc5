import type { CallOptions } from './blob-store.js';

/** `[west, south, east, north]` in WGS 84 degrees. */
export type LonLatBbox = [number, number, number, number];

/** One band of a STAC asset's `raster:bands` (the raster extension). */
export interface StacRasterBand {
  scale?: number;
  offset?: number;
  nodata?: number;
  data_type?: string;
}

/** A STAC asset: a file of an item (a band COG, a thumbnail, metadata). */
export interface StacAsset {
  href: string;
  type?: string;
  roles?: string[];
  'raster:bands'?: StacRasterBand[];
  [field: string]: unknown;
}

/** A STAC item as the core reads it; other fields are kept but not typed. */
export interface StacItem {
  type?: string;
  id: string;
  collection?: string;
  bbox?: number[];
  geometry?: { type: string; coordinates: unknown } | null;
  properties: {
    datetime: string | null;
    'eo:cloud_cover'?: number;
    's2:processing_baseline'?: string;
    [field: string]: unknown;
  };
  assets: Record<string, StacAsset>;
  [field: string]: unknown;
}

/** A scene search: a place, a time range, a cloud limit. */
export interface SceneQuery {
  /** STAC collection id (default `sentinel-2-l2a`). */
  collection?: string;
  /** Several collections searched at once (`sentinel-2-l2a`, `landsat-c2-l2`); wins over `collection`. */
  collections?: readonly string[];
  bbox: LonLatBbox;
  /** RFC 3339 date-times, inclusive. */
  start: string;
  end: string;
  /** Largest `eo:cloud_cover`, percent of the scene. */
  maxCloudCover: number;
  /** `cloud`: least cloudy first (one scene); `date`: oldest first (a series). */
  sortBy: 'cloud' | 'date';
  /** Stop after this many items. */
  maxItems?: number;
}

/** What a search found; `complete` is false when it stopped at `maxItems` with more to come. */
export interface SceneSearchResult {
  items: StacItem[];
  complete: boolean;
}

/**
 * How the core finds Sentinel-2 and Landsat scenes: a STAC API (Earth Search, Planetary Computer, any
 * other). Implementations handle paging, retries and asset signing.
 *
 * @example
 * ```ts
 * const { items } = await catalog.search({ bbox, start, end, maxCloudCover: 20, sortBy: 'cloud' }, { signal });
 * const href = await catalog.signHref(items[0], items[0].assets.red.href, { signal });
 * ```
 */
export interface SceneCatalog {
  /** The catalog's root URL, for ids and messages. */
  readonly url: string;
  search(query: SceneQuery, options?: CallOptions): Promise<SceneSearchResult>;
  /** A URL the asset can be read from: signed where the catalog needs it (Planetary Computer). */
  signHref(item: StacItem, href: string, options?: CallOptions): Promise<string>;
}
