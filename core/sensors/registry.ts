import { UnknownNameError, UnsupportedMethodError } from '../errors.js';
import { LANDSAT_8, LANDSAT_9 } from './landsat.js';
import { SENTINEL_2 } from './sentinel-2.js';
import type { SensorDescription, SensorId } from './sensor.js';

export { SENSOR_IDS, type SensorId, type SensorDescription } from './sensor.js';

/** Every registered sensor, by id. */
export const SENSOR_REGISTRY: ReadonlyMap<SensorId, SensorDescription> = new Map([SENTINEL_2, LANDSAT_8, LANDSAT_9].map((sensor) => [sensor.id, sensor]));

/**
 * The sensor of each STAC collection we search (Earth Search and the Planetary Computer name
 * them alike): Sentinel-2 L2A and its collection-1 reprocessing, and Landsat Collection 2
 * Level-2, where Landsat 8 stands for 8 and 9 (one band set, one rule, one list of methods; each
 * scene's own sensor is read from its item).
 */
export const COLLECTION_SENSORS: Readonly<Record<string, SensorId>> = {
  'sentinel-2-l2a': 'sentinel-2',
  'sentinel-2-c1-l2a': 'sentinel-2',
  'landsat-c2-l2': 'landsat-8',
};

/** The sensor an analysis assumes when neither the request nor the input says. */
export const DEFAULT_SENSOR: SensorId = 'sentinel-2';

/** The sensor called `id` (default Sentinel-2), or `UnknownNameError` listing the known ones. */
export function getSensor(id: string = DEFAULT_SENSOR): SensorDescription {
  const sensor = SENSOR_REGISTRY.get(id as SensorId);
  if (!sensor) throw new UnknownNameError('sensor', id, [...SENSOR_REGISTRY.keys()]);
  return sensor;
}

/** Refuses a method the sensor cannot run, naming those it can (400 / exit 2). */
export function checkMethod(sensor: SensorDescription, method: string): void {
  if (sensor.methods.includes(method as never)) return;
  throw new UnsupportedMethodError(
    `method "${method}" cannot run on ${sensor.label}: it needs red-edge bands, which ${sensor.label} does not have; use ${sensor.methods.map((m) => `"${m}"`).join(', ')} (default "${sensor.defaultMethod}")`,
    { method, sensor: sensor.id, methods: [...sensor.methods] },
  );
}
