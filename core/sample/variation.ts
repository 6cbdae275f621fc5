/**
 * The `natural` variation of the sample scene: what changes from one real acquisition or coast to
 * the next and that a fixed-constant analysis would get wrong — canopy brightness per scene, per
 * bed and within beds, a turbid river plume, a residual glint gradient across the scene with the
 * glint's real spectral shape, and shorelines mixed within the 10 m pixel. Drawn once per scene
 * from the seed; evaluated per pixel from absolute coordinates like the rest of the scene.
 */
import { coastX } from './coast.js';
import type { Coastline } from './coast.js';
import { addNoiseRow, hash2, scaledMap, uniform } from './noise.js';
import { NATURAL_PARAMS } from './params.js';

/** Scene-level draws of the natural variation. */
export interface NaturalVariation {
  /** Scene-wide factor on the canopy's red-edge/NIR excess over red. */
  canopyBrightness: number;
  /** Glint gradient: `peak × clamp(ux·col + uy·row + u0, 0, 1)`. */
  glint: { ux: number; uy: number; u0: number; peak: number };
  /** Turbid plume centred on the shore at row `cy` (x = coastX(cy)). */
  plume: { cx: number; cy: number; alongPx: number; acrossPx: number; peak: number };
  seeds: { brightness: number; plume: number };
}

function lerp(range: readonly [number, number], t: number): number {
  return range[0] + (range[1] - range[0]) * t;
}

/**
 * Draws the scene-level variation of a `width` × `height` scene.
 *
 * @example
 * ```ts
 * const variation = createNaturalVariation(seed, 1024, 1024, coast);
 * ```
 */
export function createNaturalVariation(seed: number, width: number, height: number, coast: Coastline): NaturalVariation {
  const p = NATURAL_PARAMS;
  const s = hash2(seed, 0x6e61, 0x7475);
  const r = (k: number) => uniform(s, k, 0);
  // The glint rises across the whole scene in a random direction, from 0 at one side.
  const angle = 2 * Math.PI * r(1);
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const span = Math.abs(ux) * width + Math.abs(uy) * height;
  const start = Math.min(0, ux * width) + Math.min(0, uy * height);
  const alongPx = Math.min(p.plumeRadiusMaxPx, Math.max(p.plumeRadiusMinPx, p.plumeRadiusShare * height));
  const cy = lerp([0.2, 0.8], r(4)) * height;
  return {
    canopyBrightness: lerp(p.sceneBrightness, r(0)),
    glint: { ux: ux / span, uy: uy / span, u0: -start / span, peak: lerp(p.glintGradientPeak, r(2)) },
    plume: { cx: coastX(coast, cy), cy, alongPx, acrossPx: 0.6 * alongPx, peak: lerp(p.plumePeak, r(3)) },
    seeds: { brightness: hash2(s, 1, 2), plume: hash2(s, 3, 4) },
  };
}

const PLUME_TEXTURE = scaledMap(60);
const WITHIN_BED = scaledMap(NATURAL_PARAMS.withinBedScalePx);

/**
 * Fills `plume[k]` with the turbid-water mixing weight (0–1) and `glint[k]` with the gradient's
 * glint reflectance for pixels `col0 + k` of `row`; `texture` is scratch of `count` entries.
 */
export function fillWaterVariationRow(
  variation: NaturalVariation,
  col0: number,
  count: number,
  row: number,
  plume: Float64Array,
  glint: Float64Array,
  texture: Float64Array,
): void {
  const { plume: pl, glint: gl } = variation;
  texture.fill(0, 0, count);
  addNoiseRow(variation.seeds.plume, PLUME_TEXTURE, col0, count, row, 1, texture, 0);
  const dy = (row + 0.5 - pl.cy) / pl.alongPx;
  const g0 = gl.uy * (row + 0.5) + gl.u0;
  for (let k = 0; k < count; k++) {
    const dx = (col0 + k + 0.5 - pl.cx) / pl.acrossPx;
    const weight = pl.peak * Math.exp(-0.5 * (dx * dx + dy * dy)) * (0.7 + 0.6 * texture[k]);
    plume[k] = weight < 0.01 ? 0 : Math.min(1, weight);
    const t = gl.ux * (col0 + k + 0.5) + g0;
    glint[k] = gl.peak * (t < 0 ? 0 : t > 1 ? 1 : t);
  }
}

/**
 * Multiplies `contrast[offset + k]` (1 off canopy) by the scene's canopy brightness and the slow
 * within-bed variation, for pixels `col0 + k` of `row` that carry canopy.
 */
export function applyCanopyBrightnessRow(
  variation: NaturalVariation,
  col0: number,
  count: number,
  row: number,
  fraction: Float32Array,
  contrast: Float32Array,
  offset: number,
  scratch: Float64Array,
): void {
  const amplitude = NATURAL_PARAMS.withinBedBrightness;
  scratch.fill(0, 0, count);
  addNoiseRow(variation.seeds.brightness, WITHIN_BED, col0, count, row, 1, scratch, 0);
  for (let k = 0; k < count; k++) {
    if (fraction[offset + k] > 0) contrast[offset + k] *= variation.canopyBrightness * (1 - amplitude + 2 * amplitude * scratch[k]);
  }
}
