import { UnknownNameError } from '../../errors.js';
import type { SensorDescription } from '../../sensors/sensor.js';
import { type MethodPlugin, thresholdMethod } from './method-plugin.js';

/** At least two of KD, FAI and NDVI agree (a majority vote of the Mora-Soto et al. 2020 indices). */
const consensus: MethodPlugin = {
  name: 'consensus',
  description: 'canopy where at least two of kd, fai and ndvi pass their thresholds',
  indices: ['kd', 'fai', 'ndvi'],
  thresholds: ['kd', 'fai', 'ndvi'],
  classify(values, thresholds, water, out) {
    const kd = values.get('kd') as Float32Array;
    const fai = values.get('fai') as Float32Array;
    const ndvi = values.get('ndvi') as Float32Array;
    for (let i = 0; i < out.length; i++) {
      const votes = Number(kd[i] >= thresholds.kd) + Number(fai[i] >= thresholds.fai) + Number(ndvi[i] >= thresholds.ndvi);
      out[i] = water[i] === 1 && votes >= 2 ? 1 : 0;
    }
  },
};

/**
 * Consensus on a sensor without a red edge (Landsat): FAI and NDVI must both agree — "at least
 * two" of the two indices it has. Stricter than the three-index vote, which lets either one be
 * outvoted; against its two inputs alone it can only drop pixels, never add them.
 */
const consensusWithoutRedEdge: MethodPlugin = {
  name: 'consensus',
  description: 'canopy where fai and ndvi both pass their thresholds (no red edge for kd)',
  indices: ['fai', 'ndvi'],
  thresholds: ['fai', 'ndvi'],
  classify(values, thresholds, water, out) {
    const fai = values.get('fai') as Float32Array;
    const ndvi = values.get('ndvi') as Float32Array;
    for (let i = 0; i < out.length; i++) out[i] = water[i] === 1 && fai[i] >= thresholds.fai && ndvi[i] >= thresholds.ndvi ? 1 : 0;
  },
};

/** Every registered method, by name; `kd` is the default. */
export const METHOD_REGISTRY: ReadonlyMap<string, MethodPlugin> = new Map(
  [
    thresholdMethod('kd', 'kelp difference B06 − B04 at or above its threshold (default)'),
    thresholdMethod('fai', 'floating algae index at or above its threshold'),
    thresholdMethod('ndvi', 'NDVI at or above its threshold (sensitive to glint)'),
    thresholdMethod('ndre', 'NDRE at or above its threshold (sees slightly submerged canopy)'),
    consensus,
  ].map((plugin) => [plugin.name, plugin]),
);

/** Method names, for validation messages and schemas. */
export const METHOD_NAMES = ['kd', 'fai', 'ndvi', 'ndre', 'consensus'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/**
 * The method called `name`, as it runs on `sensor` (default Sentinel-2; `consensus` without a red
 * edge votes with the two indices left), or `UnknownNameError` listing the known ones. Whether the
 * sensor can run it at all is `checkMethod`'s (sensors/registry.ts).
 */
export function getMethod(name: string, sensor?: Pick<SensorDescription, 'bands'>): MethodPlugin {
  const plugin = METHOD_REGISTRY.get(name);
  if (!plugin) throw new UnknownNameError('method', name, [...METHOD_REGISTRY.keys()]);
  if (plugin === consensus && sensor && !sensor.bands.some((band) => band.role === 'redEdge2')) return consensusWithoutRedEdge;
  return plugin;
}
