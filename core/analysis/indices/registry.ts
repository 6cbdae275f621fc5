import { UnknownNameError } from '../../errors.js';
import { floatingAlgaeIndex } from './fai.js';
import type { IndexPlugin } from './index-plugin.js';
import { kelpDifference } from './kd.js';
import { ndre, ndvi, ndwi } from './normalized.js';

/** Every registered index, by name. */
export const INDEX_REGISTRY: ReadonlyMap<string, IndexPlugin> = new Map(
  [kelpDifference, floatingAlgaeIndex, ndvi, ndre, ndwi].map((plugin) => [plugin.name, plugin]),
);

/**
 * The index called `name`, or `UnknownNameError` listing the known ones.
 *
 * @example
 * ```ts
 * const fai = getIndex('fai');
 * fai.compute(bands, out);
 * ```
 */
export function getIndex(name: string): IndexPlugin {
  const plugin = INDEX_REGISTRY.get(name);
  if (!plugin) throw new UnknownNameError('index', name, [...INDEX_REGISTRY.keys()]);
  return plugin;
}
