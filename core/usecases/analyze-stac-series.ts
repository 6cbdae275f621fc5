import { deriveAnalysisId } from '../analysis/ids.js';
import type { AnalysisOptions } from '../analysis/options.js';
import type { StacItem } from '../ports/scene-catalog.js';
import { TooManyScenesError, isKelpieError } from '../errors.js';
import { usableScenes } from '../stac/choose-scene.js';
import { checkCollectionsMethod, seriesOptions } from '../stac/collection-sensors.js';
import { isAnalysableItem, itemSensor } from '../stac/item-bands.js';
import { type SeriesEntry, type SeriesSummary, seriesEntry, summarizeSeries } from '../stac/series.js';
import { DEFAULT_COLLECTIONS, type StacRequest } from '../stac/stac-request.js';
import type { SensorId } from '../sensors/sensor.js';
import { type AnalyzeStacCommand, type AnalyzeStacDeps, type SceneAnalysis, analyzeItem, nothingFound } from './analyze-stac.js';

/** Most scenes one series analyses (a year of one tile at a 5-day revisit is 73). */
const MAX_SERIES_SCENES = 100;
/** Most catalog items a series search reads (overlapping tiles and reprocessings included). */
const MAX_SERIES_ITEMS = 500;

/**
 * What a series needs: a scene analysis' deps, and calls as each scene starts, scans (rows of
 * its window, in place of `onProgress`) and ends. Scenes run up to the executor's parallelism
 * at once, so the calls of several scenes interleave; each names its scene.
 */
export interface SeriesDeps extends AnalyzeStacDeps {
  onScene?: (index: number, total: number, item: StacItem) => void;
  onSceneRows?: (index: number, done: number, total: number) => void;
  onSceneDone?: (index: number, total: number) => void;
}

/** A series: its summary, and each scene's analysis. */
export interface SeriesOutcome {
  series: SeriesSummary;
  analyses: SceneAnalysis[];
}

/**
 * Analyses every usable scene of the date range over the AOI, oldest first (one per
 * acquisition day), each saved as its own analysis, and sums them up as kelp area by date.
 * A scene that cannot be used (all cloud or nodata over the AOI, an asset missing, the AOI off
 * its pixels) is listed as skipped with the reason; an outage fails the whole series so it can
 * be retried.
 *
 * @example
 * ```ts
 * const stac = parseStacRequest({ bbox, start: '2023-01-01', end: '2023-12-31', series: true });
 * const { series } = await analyzeStacSeries({ stac, options: parseAnalysisOptions({}) }, deps);
 * series.scenes.map((s) => [s.date, s.kelpAreaHa]);
 * ```
 */
export async function analyzeStacSeries(command: AnalyzeStacCommand, deps: SeriesDeps): Promise<SeriesOutcome> {
  const { stac: request } = command;
  checkCollectionsMethod(request.collections, command.options);
  // One area mode for every point of a series that mixes sensors.
  const options = seriesOptions(request.collections, command.options);
  const scenes = await findSeriesScenes(request, deps);
  const done = await mapConcurrently(scenes, Math.max(1, deps.executor?.parallelism ?? 1), deps.signal, async ({ item }, index) => {
    deps.onScene?.(index, scenes.length, item);
    const scene = await analyzeSeriesScene(item, request, options, { ...deps, onProgress: (rows, total) => deps.onSceneRows?.(index, rows, total) });
    deps.onSceneDone?.(index, scenes.length);
    return scene;
  });
  const entries = done.map((scene) => scene.entry);
  const analyses = done.flatMap((scene) => (scene.analysis ? [scene.analysis] : []));
  const id = await seriesAnalysisId(deps.catalog.url, request, command.options);
  const aoi = { bboxWgs84: request.bbox, ...(request.point ? { point: request.point, bufferKm: request.bufferKm } : {}) };
  const collections = onlySentinel2(request) ? {} : { collections: request.collections };
  const series = summarizeSeries({ id, catalog: deps.catalog.url, aoi, start: request.start, end: request.end, maxCloudCover: request.maxCloudCover, ...collections }, entries);
  return { series, analyses };
}

/** One scene of a series: analysed (or found done), or skipped when unusable; an outage is thrown. */
async function analyzeSeriesScene(item: StacItem, request: StacRequest, options: AnalysisOptions, deps: SeriesDeps): Promise<{ entry: SeriesEntry; analysis?: SceneAnalysis }> {
  const cloudCover = item.properties['eo:cloud_cover'];
  // A series of more than Sentinel-2 lists each point's sensor (a refused item's too, where known).
  const sensor = onlySentinel2(request) ? undefined : sensorOf(item);
  const named = sensor ? { sensor } : {};
  try {
    const analysis = await analyzeItem(item, request, options, deps);
    return { analysis, entry: { ...seriesEntry(analysis.result, analysis.reused ? 'reused' : 'analysed', cloudCover), ...named } };
  } catch (error) {
    if (!isKelpieError(error) || error.kind !== 'unusable' || deps.signal?.aborted) throw error;
    deps.logger.info('series scene skipped', { sceneId: item.id, code: error.code });
    const acquiredAt = item.properties.datetime ?? '';
    return { entry: { date: acquiredAt.slice(0, 10), acquiredAt, sceneId: item.id, ...named, ...(cloudCover !== undefined ? { cloudCover } : {}), status: 'skipped', reason: { code: error.code, message: error.message } } };
  }
}

/** True for a request of the default, Sentinel-2 L2A alone (its series and ids are as they always were). */
function onlySentinel2(request: StacRequest): boolean {
  return request.collections.length === DEFAULT_COLLECTIONS.length && request.collections.every((collection, i) => collection === DEFAULT_COLLECTIONS[i]);
}

/** The item's sensor, or undefined for one refused before its sensor is known. */
function sensorOf(item: StacItem): SensorId | undefined {
  try {
    return itemSensor(item);
  } catch {
    return undefined;
  }
}

/**
 * `run` over `items`, at most `limit` at once, the results in the items' order. After the first
 * failure (or an abort) no further item starts; the ones running are waited for, then the first
 * failure is thrown.
 */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, signal: AbortSignal | undefined, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      if (signal?.aborted) {
        failure ??= { error: signal.reason };
        break;
      }
      const index = next++;
      try {
        results[index] = await run(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
  return results;
}

/**
 * The usable scenes of a series request, oldest first; `NothingFoundError` when there is none,
 * `TooManyScenesError` over `MAX_SERIES_SCENES` (or when the catalog has more than we read).
 */
export async function findSeriesScenes(request: StacRequest, deps: Pick<AnalyzeStacDeps, 'catalog' | 'signal'>): Promise<Array<{ item: StacItem }>> {
  const { items, complete } = await deps.catalog.search(
    { collections: request.collections, bbox: request.bbox, start: request.startInstant, end: request.endInstant, maxCloudCover: request.maxCloudCover, sortBy: 'date', maxItems: MAX_SERIES_ITEMS },
    { signal: deps.signal },
  );
  const scenes = usableScenes(items.filter(isAnalysableItem), request.bbox);
  if (scenes.length === 0) throw nothingFound(deps.catalog.url, request, items.length);
  if (!complete || scenes.length > MAX_SERIES_SCENES) {
    throw new TooManyScenesError(
      `${complete ? scenes.length : `more than ${items.length}`} scenes match; a series analyses at most ${MAX_SERIES_SCENES}: shorten the range or lower maxCloudCover`,
      { maxScenes: MAX_SERIES_SCENES },
    );
  }
  return scenes;
}

/** The id of a series: its catalog, AOI, range, cloud limit, options, and its collections when not Sentinel-2 alone. */
export function seriesAnalysisId(catalogUrl: string, request: StacRequest, options: AnalysisOptions): Promise<string> {
  const collections = onlySentinel2(request) ? [] : [request.collections.join(',')];
  return deriveAnalysisId(['stac-series', catalogUrl, JSON.stringify(request.bbox), request.startInstant, request.endInstant, String(request.maxCloudCover), JSON.stringify(options), ...collections]);
}
