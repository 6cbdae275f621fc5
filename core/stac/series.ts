import type { AnalysisResult } from '../analysis/result.js';
import type { LonLatBbox } from '../ports/scene-catalog.js';
import { getSensor } from '../sensors/registry.js';
import type { SensorId } from '../sensors/sensor.js';

/** One date of a series: analysed (or found done), or skipped with the reason. */
export interface SeriesEntry {
  /** Acquisition day, `YYYY-MM-DD` (UTC). */
  date: string;
  acquiredAt: string;
  sceneId: string;
  /** Whose scene it is; listed when the series searched more than Sentinel-2. */
  sensor?: SensorId;
  cloudCover?: number;
  status: 'analysed' | 'reused' | 'skipped';
  analysisId?: string;
  kelpAreaHa?: number;
  beds?: number;
  /** Share of AOI pixels that were clear water or land (not cloud, shadow or nodata), 0–1. */
  clearShare?: number;
  /** Why a scene was skipped: the error code and message. */
  reason?: { code: string; message: string };
}

/** The summary of a series: kelp area by date over one AOI. */
export interface SeriesSummary {
  kind: 'series';
  id: string;
  catalog: string;
  aoi: { bboxWgs84: LonLatBbox; point?: { lat: number; lng: number }; bufferKm?: number };
  start: string;
  end: string;
  maxCloudCover: number;
  /** The collections searched, when not Sentinel-2 L2A alone. */
  collections?: string[];
  scenes: SeriesEntry[];
  /** Over analysed scenes: how many, and the kelp area's range and median, ha. */
  kelpAreaHa: { count: number; min?: number; median?: number; max?: number };
  /** Analysed scenes per sensor, with its pixel size, when the scenes name their sensor. */
  sensors?: Array<{ sensor: SensorId; label: string; pixelSizeM: number; scenes: number }>;
  /** In words, when scenes of different pixel sizes are mixed: what that means for their areas. */
  resolutionNote?: string;
}

/** The series entry of an analysed scene. */
export function seriesEntry(result: AnalysisResult, status: 'analysed' | 'reused', cloudCover?: number): SeriesEntry {
  const { pixels } = result;
  const clear = pixels.total ? (pixels.total - pixels.nodata - pixels.cloud - pixels.shadow) / pixels.total : 0;
  return {
    date: (result.source.acquiredAt ?? '').slice(0, 10),
    acquiredAt: result.source.acquiredAt ?? '',
    sceneId: result.source.sceneId ?? '',
    ...(cloudCover !== undefined ? { cloudCover } : {}),
    status,
    analysisId: result.id,
    kelpAreaHa: result.kelp.areaHa,
    beds: result.kelp.beds,
    clearShare: Math.round(clear * 1e4) / 1e4,
  };
}

/**
 * Kelp area by date: entries in date order and the range and median of the analysed ones. Pure.
 *
 * @example
 * ```ts
 * summarizeSeries({ id, catalog, aoi, start, end, maxCloudCover: 20 }, entries).kelpAreaHa; // { count: 5, min: 1.2, median: 3.4, max: 6.1 }
 * ```
 */
export function summarizeSeries(head: Omit<SeriesSummary, 'kind' | 'scenes' | 'kelpAreaHa' | 'sensors' | 'resolutionNote'>, entries: readonly SeriesEntry[]): SeriesSummary {
  const scenes = [...entries].sort((a, b) => a.acquiredAt.localeCompare(b.acquiredAt));
  const areas = scenes.flatMap((entry) => (entry.kelpAreaHa === undefined ? [] : [entry.kelpAreaHa])).sort((a, b) => a - b);
  const middle = areas.length >> 1;
  const median = areas.length === 0 ? undefined : areas.length % 2 ? areas[middle] : (areas[middle - 1] + areas[middle]) / 2;
  const sensors = sensorCounts(scenes);
  const note = resolutionNote(sensors);
  return {
    kind: 'series',
    ...head,
    scenes,
    kelpAreaHa: areas.length ? { count: areas.length, min: areas[0], median, max: areas[areas.length - 1] } : { count: 0 },
    ...(sensors.length ? { sensors } : {}),
    ...(note ? { resolutionNote: note } : {}),
  };
}

/** Analysed (or reused) scenes per sensor, finest pixels first; none when the entries do not name their sensor. */
function sensorCounts(scenes: readonly SeriesEntry[]): NonNullable<SeriesSummary['sensors']> {
  const counts = new Map<SensorId, number>();
  for (const scene of scenes) if (scene.sensor && scene.status !== 'skipped') counts.set(scene.sensor, (counts.get(scene.sensor) ?? 0) + 1);
  return [...counts]
    .map(([id, count]) => {
      const sensor = getSensor(id);
      return { sensor: id, label: sensor.label, pixelSizeM: sensor.pixelSizeM, scenes: count };
    })
    .sort((a, b) => a.pixelSizeM - b.pixelSizeM || a.sensor.localeCompare(b.sensor));
}

/**
 * When the series mixes pixel sizes, says so in words: each sensor's pixel size and what it
 * resolves (the sensors' `resolutionNote`), and that a change between points of different
 * sensors is partly the sensor's, not the kelp's.
 */
function resolutionNote(sensors: NonNullable<SeriesSummary['sensors']>): string | undefined {
  if (new Set(sensors.map((entry) => entry.pixelSizeM)).size < 2) return undefined;
  const each = sensors.map((entry) => `${entry.label} (${entry.scenes} scene${entry.scenes === 1 ? '' : 's'}): ${getSensor(entry.sensor).resolutionNote}`);
  return `This series mixes pixel sizes, so its areas are not measured alike: ${each.join('; ')}. Compare points of one sensor with each other; between sensors, part of a change in area is the pixel size, not the kelp.`;
}
