import { analyzeScene, sceneBands } from '../analysis/analyze.js';
import type { LonLatPolygons } from '../analysis/aoi-mask.js';
import { deriveAnalysisId } from '../analysis/ids.js';
import type { AnalysisOptions } from '../analysis/options.js';
import type { AnalysisResult, Artifact, Warning } from '../analysis/result.js';
import { NothingFoundError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Fetch } from '../ports/fetch.js';
import type { SceneCatalog, StacItem } from '../ports/scene-catalog.js';
import { type ReadStats } from '../net/http-source.js';
import { createLimiter } from '../net/limiter.js';
import type { OutboundPolicy } from '../net/outbound-policy.js';
import type { RetryOptions } from '../net/retry.js';
import { chooseScene } from '../stac/choose-scene.js';
import { checkCollectionsMethod } from '../stac/collection-sensors.js';
import { isAnalysableItem } from '../stac/item-bands.js';
import { openStacScene } from '../stac/open-scene.js';
import { SENTINEL2_L2A } from '../stac/stac-client.js';
import type { StacRequest } from '../stac/stac-request.js';
import type { SceneDeps } from './analyze-object.js';
import { readResult, storeAnalysis } from './result-store.js';

/** Parallel range requests of one analysis, all band files together (GDAL's default is similar). */
const STAC_CONCURRENCY = 8;

/** Analyse a place and a date range from a STAC catalog. */
export interface AnalyzeStacCommand {
  /** The place and dates, validated where they came in (`parseStacRequest`). */
  stac: StacRequest;
  /** Validated analysis options (`parseAnalysisOptions`). */
  options: AnalysisOptions;
}

export interface AnalyzeStacDeps extends SceneDeps {
  catalog: SceneCatalog;
  outbound: { fetch: Fetch; policy: OutboundPolicy };
  resultStore: BlobStore;
  retry?: RetryOptions;
  concurrency?: number;
}

/** One scene's analysis; `artifacts` only when it was computed now (not found done). */
export interface SceneAnalysis {
  result: AnalysisResult;
  artifacts?: Artifact[];
  reused: boolean;
}

/**
 * Finds the least cloudy scene of the request's collections (Sentinel-2 L2A by default, Landsat
 * 8/9 Collection 2 Level-2 when asked) covering the AOI in the date range and analyses
 * just the AOI, reading only the tiles it needs from the remote COGs. Saved like
 * `analyzeObject`; the id derives from the catalog, the item, the AOI and the options, so the
 * same request again returns the stored result. `series: true` requests go to `analyzeStacSeries`.
 *
 * @example
 * ```ts
 * const stac = parseStacRequest({ point: { lat: 36.6, lng: -121.9 }, bufferKm: 1, start: '2023-06-01', end: '2023-08-31' });
 * const { result } = await analyzeStac({ stac, options: parseAnalysisOptions({}) }, deps);
 * ```
 */
export async function analyzeStac(command: AnalyzeStacCommand, deps: AnalyzeStacDeps): Promise<SceneAnalysis> {
  const { stac: request, options } = command;
  checkCollectionsMethod(request.collections, options);
  const { items } = await deps.catalog.search(
    { collections: request.collections, bbox: request.bbox, start: request.startInstant, end: request.endInstant, maxCloudCover: request.maxCloudCover, sortBy: 'cloud', maxItems: 200 },
    { signal: deps.signal },
  );
  const choice = chooseScene(items.filter(isAnalysableItem), request.bbox);
  if (!choice) throw nothingFound(deps.catalog.url, request, items.length);
  const warnings: Warning[] = [];
  if (choice.coverage === 'partial') warnings.push(partialCoverageWarning(choice.item.id));
  return analyzeItem(choice.item, request, options, deps, warnings);
}

/** What each collection's scenes are called in messages. */
const COLLECTION_NAMES: Record<string, string> = { 'sentinel-2-l2a': 'Sentinel-2 L2A', 'landsat-c2-l2': 'Landsat 8/9 Collection 2 Level-2' };

/** The 404 for an empty search, with what to change. */
export function nothingFound(catalog: string, request: StacRequest, returned: number): NothingFoundError {
  const place = request.point ? `${request.point.lat}, ${request.point.lng} (± ${request.bufferKm} km)` : `bbox ${request.bbox.join(', ')}`;
  const what = request.collections.map((collection) => COLLECTION_NAMES[collection] ?? collection).join(' or ');
  return new NothingFoundError(
    `no ${what} scene in ${catalog} covers ${place} between ${request.start} and ${request.end} with at most ${request.maxCloudCover} % cloud${
      returned ? ` (${returned} found nearby, none over the area)` : ''
    }; widen the dates or raise maxCloudCover`,
    { catalog, bbox: request.bbox, start: request.start, end: request.end, maxCloudCover: request.maxCloudCover, collections: request.collections },
  );
}

/** The id of an analysis of one catalog item over the request's AOI with validated options. */
export function stacAnalysisId(catalogUrl: string, itemId: string, request: Pick<StacRequest, 'bbox'>, options: AnalysisOptions): Promise<string> {
  return deriveAnalysisId(['stac', catalogUrl, itemId, JSON.stringify(request.bbox), JSON.stringify(options)]);
}

/** The warning of a scene that covers only part of the AOI. */
export function partialCoverageWarning(itemId: string): Warning {
  return { code: 'AOI_PARTLY_COVERED', message: `no scene in the range covers the whole area of interest; ${itemId} covers part of it` };
}

/** An exact area of interest (polygons, WGS 84) within the request's box, and the id that goes with it. */
export interface ExactAoi {
  id: string;
  aoi: LonLatPolygons;
}

/**
 * Analyses one item over the request's AOI (or returns the stored result), and saves it. With
 * `exact`, only pixels inside its polygons count (a monitored site), under its id.
 */
export async function analyzeItem(item: StacItem, request: StacRequest, options: AnalysisOptions, deps: AnalyzeStacDeps, warnings: Warning[] = [], exact?: ExactAoi): Promise<SceneAnalysis> {
  const id = exact?.id ?? (await stacAnalysisId(deps.catalog.url, item.id, request, options));
  const existing = await readResult(deps.resultStore, id, deps.signal);
  if (existing) {
    deps.logger.info('analysis already done; reusing it', { id, sceneId: item.id });
    return { result: existing, reused: true };
  }
  const stats: ReadStats = { requests: 0, bytes: 0 };
  const limiter = createLimiter(deps.concurrency ?? STAC_CONCURRENCY);
  const scene = await openStacScene(item, request.bbox, (sensor) => sceneBands(options, sensor), {
    ...deps.outbound,
    catalog: deps.catalog,
    limiter,
    stats,
    retry: deps.retry,
    maxImagePixels: deps.maxImagePixels,
    signal: deps.signal,
  });
  const { bands } = scene;
  const collection = item.collection ?? SENTINEL2_L2A;
  const analysis = await analyzeScene(
    {
      id,
      input: { kind: 'per-band', sources: scene.sources },
      sensor: bands.sensor,
      options,
      window: scene.window,
      ...(exact ? { aoi: exact.aoi } : {}),
      stacBoaOffset: bands.boaAddOffset,
      source: {
        uri: `${deps.catalog.url}/collections/${collection}/items/${item.id}`,
        sceneId: item.id,
        ...(item.properties.datetime ? { acquiredAt: item.properties.datetime } : {}),
        ...(bands.processingBaseline ? { processingBaseline: bands.processingBaseline } : {}),
        stac: {
          catalog: deps.catalog.url,
          collection,
          itemId: item.id,
          convention: bands.convention,
          ...(item.properties['eo:cloud_cover'] !== undefined ? { cloudCover: item.properties['eo:cloud_cover'] } : {}),
          aoi: { bboxWgs84: request.bbox, ...(request.point ? { point: request.point, bufferKm: request.bufferKm } : {}), ...(exact ? { geometry: { type: 'MultiPolygon' as const, coordinates: exact.aoi } } : {}) },
          window: scene.window,
          ...(bands.boaAddOffset !== undefined ? { boaAddOffset: bands.boaAddOffset, offsetSource: bands.offsetSource } : {}),
          assets: bands.keys as Record<string, string>,
        },
      },
    },
    deps,
  );
  const { result } = analysis;
  if (result.source.stac) result.source.stac.io = { ...stats };
  if (scene.clipped) warnings.push({ code: 'AOI_CLIPPED', message: `the area of interest reaches past the edge of scene ${item.id}; only the part inside it was analysed` });
  const noteCode = bands.sensor === 'sentinel-2' ? 'STAC_OFFSET_DISAGREES' : 'STAC_SCALE_DISAGREES';
  warnings.push(...bands.notes.map((message) => ({ code: noteCode, message })));
  result.warnings.push(...warnings);
  deps.logger.info('stac scene analysed', { id, sceneId: item.id, requests: stats.requests, bytes: stats.bytes, peakParallel: limiter.peak });
  // A site's scenes are listed under the site (its observations), not among the analyses.
  const stored = await storeAnalysis(deps.resultStore, analysis, deps.signal, { listed: !exact });
  return { result: stored.result, artifacts: analysis.artifacts, reused: !stored.stored };
}
