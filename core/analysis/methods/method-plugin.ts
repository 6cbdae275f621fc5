import type { Thresholds } from '../thresholds.js';

/**
 * A kelp classifier: which indices it needs, which thresholds it reads, and a vectorised
 * `classify` that marks canopy among the water pixels of a window. Pure.
 */
export interface MethodPlugin {
  readonly name: string;
  readonly description: string;
  /** Index names (see the index registry) the method reads. */
  readonly indices: readonly string[];
  /** Thresholds the method reads, reported back in the result. */
  readonly thresholds: ReadonlyArray<keyof Thresholds>;
  /**
   * Sets `out[i] = 1` where pixel `i` is water (`water[i] === 1`) and canopy, else 0.
   * `values` holds the arrays of `indices`, by name.
   */
  classify(values: ReadonlyMap<string, Float32Array>, thresholds: Thresholds, water: Uint8Array, out: Uint8Array): void;
}

/** A single-index method: canopy where the index is at or above its threshold. */
export function thresholdMethod(name: keyof Thresholds & string, description: string): MethodPlugin {
  return {
    name,
    description,
    indices: [name],
    thresholds: [name],
    classify(values, thresholds, water, out) {
      const index = values.get(name) as Float32Array;
      const min = thresholds[name];
      for (let i = 0; i < out.length; i++) out[i] = water[i] === 1 && index[i] >= min ? 1 : 0;
    },
  };
}
