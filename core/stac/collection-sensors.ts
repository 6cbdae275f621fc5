/**
 * Which sensor each searchable collection holds, so a request is checked against all of them
 * before any search: a method one of its sensors cannot run (KD or NDRE on Landsat) is refused
 * with the methods that work, rather than failing scene by scene.
 */
import { type AnalysisOptions, methodOf } from '../analysis/options.js';
import { getSensor } from '../sensors/registry.js';
import type { SensorId } from '../sensors/sensor.js';

/** The sensor of each collection (Landsat 8 stands for 8 and 9: one band set, one rule). */
const COLLECTION_SENSORS: Readonly<Record<string, SensorId>> = { 'sentinel-2-l2a': 'sentinel-2', 'landsat-c2-l2': 'landsat-8' };

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
