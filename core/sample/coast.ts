/**
 * The coastline of the sample scene: land to the east of a shoreline `x = coastX(row)` made of
 * 1-D value-noise octaves (self-similar, so it looks like a coast at any scale), roughened
 * locally by 2-D noise into small headlands and coves.
 */
import { addNoiseRow, hash2, scaledMap, valueNoise1 } from './noise.js';
import { SCENE_PARAMS } from './params.js';

/** A coastline: its mean position and octaves. */
export interface Coastline {
  seed: number;
  /** Mean x of the shoreline, pixels. */
  baseX: number;
  /** Octaves of the along-shore wiggle, longest first. */
  layers: readonly { wavelength: number; amplitude: number }[];
}

/** How far either side of `coastX` the local roughness and beach can reach, pixels. */
export const SHORE_BAND_PX = SCENE_PARAMS.shoreRoughnessPx + SCENE_PARAMS.beachMaxPx + 5;

/**
 * The coastline of a scene of the given size.
 *
 * @example
 * ```ts
 * const coast = createCoastline(seed, 512, 512); // shoreline near x ≈ 358
 * ```
 */
export function createCoastline(seed: number, width: number, height: number): Coastline {
  const p = SCENE_PARAMS;
  const longest = Math.min(p.coastWavelengthMaxPx, Math.max(p.coastWavelengthMinPx, height * p.coastWavelengthShare));
  const layers: { wavelength: number; amplitude: number }[] = [];
  for (let wavelength = longest; wavelength >= 16; wavelength /= 2) {
    layers.push({ wavelength, amplitude: wavelength * p.coastAmplitudeShare });
  }
  return { seed: hash2(seed, 0x636f, 0x6173), baseX: width * (1 - p.landShare), layers };
}

/**
 * The x (pixels, fractional) of the large-scale shoreline at `row`; water lies west of it.
 *
 * @example
 * ```ts
 * const offshorePx = coastX(coast, row) - col;
 * ```
 */
export function coastX(coast: Coastline, row: number): number {
  let x = coast.baseX;
  for (let i = 0; i < coast.layers.length; i++) {
    const { wavelength, amplitude } = coast.layers[i];
    x += amplitude * (2 * valueNoise1(coast.seed + i * 7919, row / wavelength) - 1);
  }
  return x;
}

const ROUGH_COARSE = scaledMap(24);
const ROUGH_FINE = scaledMap(8);

/**
 * Writes the local shoreline roughness (±`shoreRoughnessPx`) for pixels `col0 + k` of `row`
 * into `out[k]`: the shoreline there is at `coastX(row) + out[k]`.
 */
export function fillShoreRoughnessRow(coast: Coastline, col0: number, count: number, row: number, out: Float64Array): void {
  out.fill(-11, 0, count);
  addNoiseRow(coast.seed ^ 0x51ed, ROUGH_COARSE, col0, count, row, 16, out, 0);
  addNoiseRow(coast.seed ^ 0x2f1a, ROUGH_FINE, col0, count, row, 6, out, 0);
}

/** Beach width (dry plus wet sand) at `row`, pixels, 0 on rocky stretches. */
export function beachWidth(coast: Coastline, row: number): number {
  const n = valueNoise1(coast.seed ^ 0x6265, row / 150);
  return Math.max(0, Math.min(SCENE_PARAMS.beachMaxPx, -2 + 12 * n));
}
