/**
 * Clouds (with their shadows) and sun-glint patches of the sample scene: soft-edged, noisy
 * blobs evaluated per pixel from absolute coordinates.
 */
import { addNoiseRow, hash2, scaledMap, smoothstep } from './noise.js';
import type { NoiseMap } from './noise.js';
import { SCENE_PARAMS } from './params.js';

/** A cloud: a lumpy disc of `radius` pixels, and where its shadow falls. */
export interface Cloud {
  cx: number;
  cy: number;
  radius: number;
  seed: number;
  /** Shadow displacement from the cloud, pixels. */
  shadowDx: number;
  shadowDy: number;
}

/** A sun-glint patch: an ellipse of radii `rx`, `ry` with additive reflectance up to `peak`. */
export interface GlintPatch {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  peak: number;
  seed: number;
}

/**
 * Glint texture: patches of rougher sea (12 px) and swell crests (about 60 × 14 px). Real glint
 * also has wave-facet texture below 10 m; it is left out because, with 20 m bands read at 10 m,
 * sub-20 m texture in a spectrally flat term fakes a red edge (B06 − B04) on open water.
 */
const GLINT_PATCHES = scaledMap(12);
const GLINT_SWELL: NoiseMap = { ux: 0.016, uy: 0.004, u0: 0, vx: -0.017, vy: 0.07, v0: 0 };

/** A cloud reaches at most this many radii from its centre. */
const CLOUD_REACH = 1.35;

/**
 * A cloud centred at (cx, cy), its shadow displaced by the scene's sun direction.
 *
 * @example
 * ```ts
 * const cloud = createCloud(seed, 200, 380, 46);
 * ```
 */
export function createCloud(seed: number, cx: number, cy: number, radius: number): Cloud {
  const [sx, sy] = SCENE_PARAMS.shadowOffset;
  return { cx, cy, radius, seed, shadowDx: sx * radius, shadowDy: sy * radius };
}

/** Pixel bounds `[x0, y0, x1, y1)` of a cloud, or of its shadow when `shadow` is true. */
export function cloudBounds(cloud: Cloud, shadow: boolean): [number, number, number, number] {
  const reach = CLOUD_REACH * cloud.radius + 1;
  const cx = cloud.cx + (shadow ? cloud.shadowDx : 0);
  const cy = cloud.cy + (shadow ? cloud.shadowDy : 0);
  return [Math.floor(cx - reach), Math.floor(cy - reach), Math.ceil(cx + reach) + 1, Math.ceil(cy + reach) + 1];
}

/** Scratch rows for spans of up to `length` pixels, reused by the row fillers. */
export function createBlobScratch(length: number): { lumps: Float64Array; texture: Float64Array } {
  return { lumps: new Float64Array(length), texture: new Float64Array(length) };
}

/**
 * Writes cloud optical density (0–1, the mixing weight of the cloud spectrum; exactly 0 below
 * `cloudMin`) for pixels `col0 + k` of `row` into `out[k]`: an opaque lumpy core and a soft
 * thin edge. With `shadow` true, writes the shadow strength instead: the density seen from the
 * shadow's offset, exactly 0 below `shadowMin`.
 */
export function fillCloudRow(
  cloud: Cloud,
  shadow: boolean,
  col0: number,
  count: number,
  row: number,
  out: Float32Array,
  scratch: { lumps: Float64Array; texture: Float64Array },
): void {
  const { lumps, texture } = scratch;
  const sx = shadow ? -cloud.shadowDx : 0;
  const sy = shadow ? -cloud.shadowDy : 0;
  lumps.fill(0, 0, count);
  texture.fill(0, 0, count);
  // Three octaves of outline lumps, relative to the cloud centre, normalised to [0, 1).
  for (let octave = 0, scale = 0.5 * cloud.radius, weight = 4 / 7; octave < 3; octave++, scale /= 2, weight /= 2) {
    const map = scaledMap(scale, sx - cloud.cx, sy - cloud.cy);
    addNoiseRow(cloud.seed + octave * 0x3c6ef372, map, col0, count, row, weight, lumps, 0);
  }
  addNoiseRow(cloud.seed ^ 0x7e47, scaledMap(6, sx, sy), col0, count, row, 1, texture, 0);
  const dy = (row + sy + 0.5 - cloud.cy) / cloud.radius;
  const floor = shadow ? SCENE_PARAMS.shadowMin : SCENE_PARAMS.cloudMin;
  for (let k = 0; k < count; k++) {
    const dx = (col0 + k + sx + 0.5 - cloud.cx) / cloud.radius;
    const r = Math.sqrt(dx * dx + dy * dy) - 0.5 * (lumps[k] - 0.5);
    let density = (1 - smoothstep(0.45, 1.05, r)) * (0.82 + 0.18 * texture[k]);
    if (shadow) density = Math.min(1, 1.25 * density);
    out[k] = density < floor ? 0 : density;
  }
}

/** Pixel bounds `[x0, y0, x1, y1)` of a glint patch. */
export function glintBounds(patch: GlintPatch): [number, number, number, number] {
  return [
    Math.floor(patch.cx - patch.rx - 1),
    Math.floor(patch.cy - patch.ry - 1),
    Math.ceil(patch.cx + patch.rx) + 1,
    Math.ceil(patch.cy + patch.ry) + 1,
  ];
}

/**
 * Writes the additive, spectrally flat glint reflectance (exactly 0 below `glintMin`) of `patch`
 * for pixels `col0 + k` of `row` into `out[k]`: a smooth envelope times a slow sea-state texture.
 */
export function fillGlintRow(patch: GlintPatch, col0: number, count: number, row: number, out: Float32Array, texture: Float64Array): void {
  texture.fill(0, 0, count);
  addNoiseRow(patch.seed, GLINT_PATCHES, col0, count, row, 0.6, texture, 0);
  addNoiseRow(patch.seed ^ 0x91, GLINT_SWELL, col0, count, row, 0.4, texture, 0);
  const dy = (row + 0.5 - patch.cy) / patch.ry;
  const { glintMin } = SCENE_PARAMS;
  for (let k = 0; k < count; k++) {
    const dx = (col0 + k + 0.5 - patch.cx) / patch.rx;
    const envelope = 1 - smoothstep(0.35, 1, Math.sqrt(dx * dx + dy * dy));
    const glint = patch.peak * envelope * (0.6 + 0.4 * texture[k]);
    out[k] = glint < glintMin ? 0 : glint;
  }
}

/** A glint patch with a derived seed. */
export function createGlintPatch(seed: number, cx: number, cy: number, rx: number, ry: number, peak: number): GlintPatch {
  return { cx, cy, rx, ry, peak, seed: hash2(seed, Math.round(cx), Math.round(cy)) };
}
