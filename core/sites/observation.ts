import type { Range } from '../analysis/factors.js';
import type { AnalysisResult } from '../analysis/result.js';
import type { StacItem } from '../ports/scene-catalog.js';
import type { SensorId } from '../sensors/sensor.js';
import { itemSensor } from '../stac/item-bands.js';
import { quarterOf } from './quarters.js';

/**
 * One scene over a site, as `sites/<id>/obs/<scene>.json`: what the site looked like that day.
 * `observableShare` is the share of the site's pixels that were neither cloud, shadow, nodata
 * nor beyond the scene's edge; whether it is flagged is decided when the series is derived, by
 * the site's current `observableMin`.
 */
export interface Observation {
  schemaVersion: 1;
  siteId: string;
  sceneId: string;
  acquiredAt: string;
  /** `YYYY-MM-DD` and `YYYY-Qn` (UTC). */
  date: string;
  quarter: string;
  /** The satellite, from the item (`sentinel-2a`, `landsat-8`…). */
  sensor?: string;
  /**
   * The registered sensor the scene was analysed as (`sentinel-2`, `landsat-8`, `landsat-9`:
   * the analysis's `source.sensor`); for an unobservable scene, what its item says. Absent in
   * observations recorded before Landsat.
   */
  sensorId?: SensorId;
  /** The analysis grid's pixel size, m (10 for Sentinel-2, 30 for Landsat): what the area could resolve. */
  pixelSizeM?: number;
  /** The scene's own cloud cover, percent (not the site's). */
  cloudCover?: number;
  analysisId: string;
  /** `observed`: analysed; `unobservable`: nothing of the site could be analysed (the reason says why). */
  status: 'observed' | 'unobservable';
  reason?: { code: string; message: string };
  observableShare: number;
  /** Pixels of the site: all of it (inside the scene or not), and those that could be seen and those that could not. */
  pixels: { site: number; observable: number; cloud: number; shadow: number; nodata: number; outsideScene: number };
  kelp?: {
    areaMode: 'binary' | 'fractional';
    /** The area in the site's area mode, m², and its range. */
    areaM2: number;
    areaRangeM2: Range;
    binaryAreaM2: number;
    binaryAreaRangeM2: Range;
    fractionalAreaM2: number;
    fractionalAreaRangeM2: Range;
    beds: number;
  };
  biomass?: { wetKg: Range; dryKg: Range };
  carbon?: { kgC: Range; kgCO2e: Range };
  recordedAt: string;
}

/** The facts of an item an observation records. */
function sceneFacts(item: StacItem): Pick<Observation, 'sceneId' | 'acquiredAt' | 'date' | 'quarter' | 'sensor' | 'cloudCover'> {
  const acquiredAt = item.properties.datetime ?? '';
  const platform = item.properties.platform;
  return {
    sceneId: item.id,
    acquiredAt,
    date: acquiredAt.slice(0, 10),
    quarter: quarterOf(acquiredAt),
    ...(typeof platform === 'string' ? { sensor: platform } : {}),
    ...(item.properties['eo:cloud_cover'] !== undefined ? { cloudCover: item.properties['eo:cloud_cover'] } : {}),
  };
}

/**
 * The observation of an analysed scene. The share the site could be seen counts the site's
 * pixels beyond the scene's edge as not seen.
 *
 * @example
 * ```ts
 * const observation = observationOf(site.id, item, result, clock.now());
 * observation.observableShare; // 0.93
 * ```
 */
export function observationOf(siteId: string, item: StacItem, result: AnalysisResult, nowMs: number): Observation {
  const { pixels, kelp } = result;
  const outsideScene = pixels.aoiOutsideScene ?? 0;
  const site = pixels.total + outsideScene;
  const observable = pixels.total - pixels.nodata - pixels.cloud - pixels.shadow;
  return {
    schemaVersion: 1,
    siteId,
    ...sceneFacts(item),
    sensorId: result.source.sensor as SensorId,
    pixelSizeM: result.grid.pixelSizeM,
    analysisId: result.id,
    status: 'observed',
    observableShare: site > 0 ? round(observable / site, 4) : 0,
    pixels: { site, observable, cloud: pixels.cloud, shadow: pixels.shadow, nodata: pixels.nodata, outsideScene },
    kelp: {
      areaMode: kelp.areaMode,
      areaM2: kelp.areaM2,
      areaRangeM2: kelp.areaRangeM2,
      binaryAreaM2: kelp.binaryAreaM2,
      binaryAreaRangeM2: kelp.binaryAreaRangeM2,
      fractionalAreaM2: kelp.fractionalAreaM2,
      fractionalAreaRangeM2: kelp.fractionalAreaRangeM2,
      beds: kelp.beds,
    },
    biomass: result.biomass,
    carbon: result.carbon,
    recordedAt: new Date(nowMs).toISOString(),
  };
}

/** The observation of a scene nothing of the site could be analysed in (off its pixels, all nodata, a band missing). */
export function unobservableOf(siteId: string, item: StacItem, analysisId: string, reason: { code: string; message: string }, nowMs: number): Observation {
  return {
    schemaVersion: 1,
    siteId,
    ...sceneFacts(item),
    ...sensorOfItem(item),
    analysisId,
    status: 'unobservable',
    reason,
    observableShare: 0,
    pixels: { site: 0, observable: 0, cloud: 0, shadow: 0, nodata: 0, outsideScene: 0 },
    recordedAt: new Date(nowMs).toISOString(),
  };
}

/** The sensor an item says it is, when it says one the analysis knows (a Level-1 Landsat item names none). */
function sensorOfItem(item: StacItem): Pick<Observation, 'sensorId'> {
  try {
    return { sensorId: itemSensor(item) };
  } catch {
    // Refused as not surface reflectance or an unread Landsat: its reason says so, no sensor is claimed.
    return {};
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
