import { type AnalysisOptions, sensorOf } from '../analysis/options.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import type { StacItem } from '../ports/scene-catalog.js';
import { BandStack } from '../raster/band-stack.js';
import { kmPerDegree } from '../stac/aoi.js';
import { chooseScene } from '../stac/choose-scene.js';
import { type StacRequest, parseStacRequest } from '../stac/stac-request.js';
import { isAnalysableItem } from '../stac/item-bands.js';
import { checkCollectionsMethod } from '../stac/collection-sensors.js';
import { SENTINEL2_L2A } from '../stac/stac-client.js';
import type { StacRuntime } from '../stac/stac-runtime.js';
import { type OpenedObject, openObject } from '../usecases/analyze-object.js';
import { nothingFound, stacAnalysisId } from '../usecases/analyze-stac.js';
import { openObjectScene } from '../usecases/object-scene.js';
import { findSeriesScenes, seriesAnalysisId } from '../usecases/analyze-stac-series.js';
import type { AnalysisJob } from './job.js';
import type { WorkEstimate } from './status.js';

/** A pixel read from a remote COG (range requests over the internet) costs this many local ones. */
const REMOTE_PIXEL_COST = 4;
/** Fixed cost of one remote scene (search, headers, signing), in local-pixel equivalents. */
const SCENE_OVERHEAD_PIXELS = 2_000_000;

/** An analysis the API was asked for, before it runs: its id, its job, and how big it is. */
export interface AnalysisPlan {
  id: string;
  kind: 'scene' | 'series';
  job: AnalysisJob;
  estimate: WorkEstimate;
  /** What is analysed, for the status document. */
  source: Record<string, unknown>;
  /** What planning already read, for running the job in this request without reading it again. */
  prepared: Prepared;
  /** The scene's bands are JPEG 2000 (a .SAFE): only a process with a decoder can run it. */
  jpeg2000?: boolean;
}

/** The parsed STAC request, or the opened object (its head, id and header blocks), of a plan. */
export interface Prepared {
  request?: StacRequest;
  opened?: OpenedObject;
}

export interface PlanDeps {
  imageStore: BlobStore;
  imageStoreName: string;
  maxImagePixels: number;
  syncMaxPixels: number;
  /** The STAC runtime, built on first use (throws 503 naming the setting when none is configured). */
  stac: () => StacRuntime;
  now: () => number;
  signal?: AbortSignal;
  /** Reads JPEG 2000 headers (a zipped .SAFE's bands); without it JPEG 2000 is refused. */
  jpeg2000?: Jpeg2000Decoder;
}

/**
 * Validates a `POST /api/analyses` source and options and sizes the work without doing it: an
 * object's header (its width × height; a file that is not a usable GeoTIFF fails here, as a
 * 422 to the caller rather than a job doomed to fail), or a catalog search (the scene a single
 * analysis will use, or the scenes of a series) and the AOI's pixel count. The id is the one
 * the analysis will have, so a request for work already done or already queued finds it.
 *
 * @example
 * ```ts
 * const plan = await planAnalysis({ key: 'uploads/scene.tif' }, parseAnalysisOptions({ method: 'kd' }), deps);
 * plan.estimate.workPixels > plan.estimate.syncLimit; // true → queue it
 * ```
 */
export async function planAnalysis(source: { key: string } | { stac: unknown }, options: AnalysisOptions, deps: PlanDeps): Promise<AnalysisPlan> {
  const submittedAt = new Date(deps.now()).toISOString();
  if ('key' in source) return planObject(source.key, options, submittedAt, deps);
  const request = parseStacRequest(source.stac);
  checkCollectionsMethod(request.collections, options);
  const runtime = deps.stac();
  const stacSummary = { stac: { ...(request.point ? { point: request.point, bufferKm: request.bufferKm } : { bbox: request.bbox }), start: request.start, end: request.end, maxCloudCover: request.maxCloudCover, series: request.series, ...(request.collections.join() === SENTINEL2_L2A ? {} : { collections: request.collections }) } };
  const pixels = aoiPixels(request);
  if (request.series) {
    const scenes = await findSeriesScenes(request, { catalog: runtime.catalog, signal: deps.signal });
    const id = await seriesAnalysisId(runtime.catalog.url, request, options);
    return {
      id,
      kind: 'series',
      job: { v: 1, kind: 'stac-series', id, submittedAt, stac: source.stac as Record<string, unknown>, options },
      estimate: estimate(pixels, scenes.length, pixels * REMOTE_PIXEL_COST + SCENE_OVERHEAD_PIXELS, deps.syncMaxPixels),
      source: stacSummary,
      prepared: { request },
    };
  }
  const { items } = await runtime.catalog.search(
    { collections: request.collections, bbox: request.bbox, start: request.startInstant, end: request.endInstant, maxCloudCover: request.maxCloudCover, sortBy: 'cloud', maxItems: 200 },
    { signal: deps.signal },
  );
  const choice = chooseScene(items.filter(isAnalysableItem), request.bbox);
  if (!choice) throw nothingFound(runtime.catalog.url, request, items.length);
  const id = await stacAnalysisId(runtime.catalog.url, choice.item.id, request, options);
  return {
    id,
    kind: 'scene',
    job: { v: 1, kind: 'stac', id, submittedAt, stac: source.stac as Record<string, unknown>, item: compactItem(choice.item) as unknown as Record<string, unknown>, options },
    estimate: estimate(pixels, 1, pixels * REMOTE_PIXEL_COST + SCENE_OVERHEAD_PIXELS, deps.syncMaxPixels),
    source: { ...stacSummary, sceneId: choice.item.id },
    prepared: { request },
  };
}

async function planObject(key: string, options: AnalysisOptions, submittedAt: string, deps: PlanDeps): Promise<AnalysisPlan> {
  const opened = await openObject(key, options, deps);
  const { id, info } = opened;
  // The header only: a few KB into the block cache, which the analysis of this request reuses,
  // and every header check the analysis makes (a file that is not a usable GeoTIFF fails here).
  const scene = await openObjectScene(key, opened.source, options, deps);
  const input = scene.input.kind === 'multiband' && options.bands ? { ...scene.input, bands: options.bands } : scene.input;
  const sensor = sensorOf(options, scene.sensor).id;
  const stack = await BandStack.open(input, { maxPixels: deps.maxImagePixels, signal: deps.signal, jpeg2000: deps.jpeg2000, sensor });
  const pixels = stack.grid.width * stack.grid.height;
  return {
    id,
    kind: 'scene',
    job: { v: 1, kind: 'object', id, submittedAt, key, ...(info.etag ? { etag: info.etag } : {}), options },
    estimate: estimate(pixels, 1, pixels, deps.syncMaxPixels),
    source: { key },
    prepared: { opened },
    ...(stack.files.some((file) => file.jpeg2000) ? { jpeg2000: true } : {}),
  };
}

function estimate(pixels: number, scenes: number, perScene: number, syncLimit: number): WorkEstimate {
  return { pixels, scenes, workPixels: Math.round(perScene * scenes), syncLimit };
}

/** 10 m pixels in the AOI (the window the analysis reads), from its size on the ground. */
function aoiPixels(request: StacRequest): number {
  const [west, south, east, north] = request.bbox;
  const km = kmPerDegree((south + north) / 2);
  return Math.round((east - west) * km.lon * (north - south) * km.lat * 10_000);
}

/** The item as the worker needs it: its assets and properties, not its links (they can be most of it). */
export function compactItem(item: StacItem): StacItem {
  const { links: _links, ...rest } = item as StacItem & { links?: unknown };
  return rest as StacItem;
}
