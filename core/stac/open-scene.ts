import type { BandName } from '../analysis/bands.js';
import { AoiOutsideSceneError } from '../errors.js';
import type { BandsFor } from '../inputs/scene-files.js';
import type { Fetch } from '../ports/fetch.js';
import type { LonLatBbox, SceneCatalog, StacItem } from '../ports/scene-catalog.js';
import { guardFetch } from '../net/guarded-fetch.js';
import { type ReadStats, openHttpSource } from '../net/http-source.js';
import type { Limiter } from '../net/limiter.js';
import type { OutboundPolicy } from '../net/outbound-policy.js';
import type { RetryOptions } from '../net/retry.js';
import type { ByteSource } from '../raster/byte-source.js';
import { wgs84Bounds } from '../raster/crs.js';
import type { PixelWindow } from '../raster/grid.js';
import { openTiff } from '../raster/open-tiff.js';
import { type ItemBands, itemSensor, mapItemBands } from './item-bands.js';
import { aoiWindow } from './aoi.js';

/** A STAC scene ready to analyse: one remote source per band, and the AOI's window. */
export interface OpenedScene {
  /** Remote COG per analysis slot (`B04`…; a Landsat item's `red` too), read with range requests. */
  sources: Record<string, ByteSource>;
  bands: ItemBands;
  /** The AOI on the scene's grid (10 m, or Landsat's 30 m), and whether it was cut at the scene's edge. */
  window: PixelWindow;
  clipped: boolean;
}

/** What opening a scene needs. */
export interface OpenSceneDeps {
  catalog: SceneCatalog;
  fetch: Fetch;
  /** The operator's policy; the item's asset hosts are trusted on top of it. */
  policy: OutboundPolicy;
  limiter: Limiter;
  stats: ReadStats;
  retry?: RetryOptions;
  maxImagePixels?: number;
  signal?: AbortSignal;
}

/**
 * Opens the band files of `item` that the analysis reads (`wanted`; `required` must exist; the
 * set may depend on the item's sensor): signs their URLs through the catalog, trusts their hosts
 * (non-public ones still need the operator's listing), reads each file's header with one range
 * request, and places the AOI on the scene's grid. Throws `MissingAssetError` for a missing band,
 * `NotSurfaceReflectanceError` for a Landsat item that is not Collection 2 Level-2, and
 * `AoiOutsideSceneError` when the AOI misses the scene's pixels.
 *
 * @example
 * ```ts
 * const scene = await openStacScene(item, bbox, (sensor) => sceneBands(options, sensor), deps);
 * await analyzeScene({ id, input: { kind: 'per-band', sources: scene.sources }, window: scene.window, … }, …);
 * ```
 */
export async function openStacScene(item: StacItem, aoi: LonLatBbox, bandsFor: BandsFor, deps: OpenSceneDeps): Promise<OpenedScene> {
  const bandSet = typeof bandsFor === 'function' ? bandsFor(itemSensor(item)) : bandsFor;
  const bands = mapItemBands(item, bandSet.wanted, bandSet.required);
  const entries = Object.entries(bands.hrefs) as Array<[BandName, string]>;
  const signed = await Promise.all(entries.map(([, href]) => deps.catalog.signHref(item, href, { signal: deps.signal })));
  const fetch = guardFetch(deps.fetch, deps.policy.trust(...signed));
  const opened = await Promise.all(
    signed.map((href) => openHttpSource(href, { fetch, limiter: deps.limiter, stats: deps.stats, retry: deps.retry }, deps.signal)),
  );
  const sources = Object.fromEntries(entries.map(([band], i) => [band, opened[i]]));
  // The grid comes from the finest band (the red, B04's slot, is always required); BandStack re-reads this header from the cache.
  const grid = (await openTiff(sources.B04 ?? opened[0], { maxPixels: deps.maxImagePixels, signal: deps.signal })).grid;
  const placed = aoiWindow(grid, aoi);
  if (!placed) {
    const bounds = wgs84Bounds(grid).map((value) => value.toFixed(4)).join(', ');
    throw new AoiOutsideSceneError(`the area of interest (${aoi.join(', ')}) lies outside the pixels of scene ${item.id} (${bounds}); the item's footprint promised more than its files hold`, {
      sceneId: item.id,
      aoi,
    });
  }
  return { sources, bands, window: placed.window, clipped: placed.clipped };
}
