import type { BandName } from '../bands.js';

/** Band arrays of one window, reflectance (0–1) with NaN where the pixel has no data. */
export type BandArrays = ReadonlyMap<BandName, Float32Array>;

/**
 * A spectral index: declared inputs and output range, and a vectorised `compute`.
 * Pure: reads `bands`, writes `out` (same length), NaN in any input gives NaN out.
 */
export interface IndexPlugin {
  readonly name: string;
  readonly description: string;
  /** Bands the index reads. */
  readonly inputs: readonly BandName[];
  /** Closed range every finite output falls in. */
  readonly range: readonly [number, number];
  /** `spectral` carries what depends on the sensor's wavelengths (default Sentinel-2's). */
  compute(bands: BandArrays, out: Float32Array, spectral?: SpectralContext): void;
}

/** What an index may need of the sensor beyond its bands' values. */
export interface SpectralContext {
  /** FAI's baseline weight (λnir − λred) / (λswir1 − λred) of the sensor's bands. */
  faiBaselineWeight: number;
}

/** `(a − b) / (a + b)`; NaN when either is NaN or both are 0. */
export function normalizedDifference(a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) {
    const sum = a[i] + b[i];
    out[i] = sum === 0 ? NaN : (a[i] - b[i]) / sum;
  }
}

/** The band array or a clear programming error (the caller checks inputs first). */
export function band(bands: BandArrays, name: BandName): Float32Array {
  const array = bands.get(name);
  if (!array) throw new Error(`index input ${name} was not read`);
  return array;
}
