/**
 * Which sensor each searchable collection holds, so a request is checked against all of them
 * before any search: a method one of its sensors cannot run (KD or NDRE on Landsat) is refused
 * with the methods that work, rather than failing scene by scene.
 */
import { type AnalysisOptions, areaModeOf, methodOf } from '../analysis/options.js';
import { COLLECTION_SENSORS, getSensor } from '../sensors/registry.js';

/**
 * Throws `UnsupportedMethodError` (400, exit 2) when `options` ask a method a sensor of
 * `collections` cannot run; an absent method is each sensor's default and always passes.
 *
 * @example
 * ```ts
 * checkCollectionsMethod(['sentinel-2-l2a', 'landsat-c2-l2'], parseAnalysisOptions({ method: 'kd' })); // throws: use "fai", "ndvi", "consensus"
 * ```
 */
export function checkCollectionsMethod(collections: readonly string[], options: AnalysisOptions): void {
  for (const collection of collections) {
    const sensor = COLLECTION_SENSORS[collection];
    if (sensor) methodOf(options, getSensor(sensor));
  }
}

/**
 * The options of a series over `collections`: when its sensors' default area modes differ
 * (Sentinel-2 binary, Landsat fractional) and the request names none, every point takes the
 * fractional area — canopy cover, the figure that agrees between 10 m and 30 m pixels — so one
 * series never mixes whole-pixel and canopy-cover areas.
 *
 * @example
 * ```ts
 * seriesOptions(['sentinel-2-l2a', 'landsat-c2-l2'], parseAnalysisOptions({})).areaMode; // 'fractional'
 * ```
 */
export function seriesOptions(collections: readonly string[], options: AnalysisOptions): AnalysisOptions {
  if (options.areaMode) return options;
  const modes = new Set(collections.flatMap((collection) => (COLLECTION_SENSORS[collection] ? [areaModeOf(options, getSensor(COLLECTION_SENSORS[collection]))] : [])));
  return modes.size > 1 ? { ...options, areaMode: 'fractional' } : options;
}
