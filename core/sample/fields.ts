/**
 * Continuous surface fields of the sample scene, filled a row at a time: land cover and
 * beach, water brightness, and foam (offshore whitecap streaks, surf along the shore).
 */
import { coastX } from './coast.js';
import type { SceneLayout } from './layout.js';
import { addNoiseRow, scaledMap, smoothstep } from './noise.js';
import type { NoiseMap } from './noise.js';
import { SCENE_PARAMS } from './params.js';

/** Land cover class of a 10 m pixel, as the SCL derivation needs it. */
export const COVER = { water: 0, vegetated: 1, bare: 2 } as const;


/** Noise maps: land cover octaves (90, 45, 22.5 px), land texture, water turbidity, foam. */
const GREEN_MAPS = [scaledMap(90), scaledMap(45), scaledMap(22.5)];
const LAND_TEXTURE = scaledMap(12);
const WATER_MAP = scaledMap(180);
const FOAM_ZONE = scaledMap(400);
const { windAngle, wetShare, surfWidthPx, foamMin } = SCENE_PARAMS;
/** Whitecap streaks: 40 px along the wind, 3 px across. */
const FOAM_STREAKS: NoiseMap = {
  ux: Math.cos(windAngle) / 40,
  uy: Math.sin(windAngle) / 40,
  u0: 0,
  vx: -Math.sin(windAngle) / 3,
  vy: Math.cos(windAngle) / 3,
  v0: 0,
};
/** Surf: 3 px along the shore-normal (x), 10 px along the shore. */
const SURF_MAP: NoiseMap = { ux: 1 / 3, uy: 0, u0: 0, vx: 0, vy: 1 / 10, v0: 0 };

/** What a pixel is made of, for the mixing pass (`clearWater`: water with nothing else mixed in or added). */
export const KIND = { water: 0, wetSand: 1, drySand: 2, inland: 3, nodata: 4, clearWater: 5 } as const;

/**
 * Fills the land-cover fields for pixels `col0 + k` of `row`: `green[offset + k]`, the vegetated
 * share (0–1), and `texture[offset + k]`, a brightness factor (0.88–1.12).
 */
export function fillLandRow(
  layout: SceneLayout,
  col0: number,
  count: number,
  row: number,
  green: Float64Array,
  texture: Float64Array,
  offset: number,
): void {
  const seed = layout.seeds.land;
  green.fill(0, offset, offset + count);
  texture.fill(0.88, offset, offset + count);
  GREEN_MAPS.forEach((map, o) => addNoiseRow(seed + o * 0x3c6ef372, map, col0, count, row, [4, 2, 1][o] / 7, green, offset));
  for (let k = offset; k < offset + count; k++) green[k] = smoothstep(0.4, 0.6, green[k]);
  addNoiseRow(seed ^ 0x55aa, LAND_TEXTURE, col0, count, row, 0.24, texture, offset);
}

/**
 * The `KIND` of a land pixel `inlandPx` from the shoreline: wet then dry sand for the first
 * `beachPx` pixels, then inland cover (vegetation and soil, mixed by the green share).
 */
export function landKind(inlandPx: number, beachPx: number): number {
  if (inlandPx >= beachPx) return KIND.inland;
  return inlandPx < wetShare * beachPx ? KIND.wetSand : KIND.drySand;
}

/** Fills `out[k]` with the clear-water multiplier (0.92–1.08: slow turbidity variations). */
export function fillWaterRow(layout: SceneLayout, col0: number, count: number, row: number, out: Float64Array): void {
  out.fill(0.92, 0, count);
  addNoiseRow(layout.seeds.water, WATER_MAP, col0, count, row, 0.16, out, 0);
}

/**
 * A map for evaluating `map` on the 20 m grid: 20 m pixel (c, r) gets the value at the centre
 * of its 2 × 2 block of 10 m pixels, (2c + 0.5, 2r + 0.5).
 */
function blockMap(map: NoiseMap): NoiseMap {
  const { ux, uy, u0, vx, vy, v0 } = map;
  return { ux: 2 * ux, uy: 2 * uy, u0: u0 + 0.5 * (ux + uy), vx: 2 * vx, vy: 2 * vy, v0: v0 + 0.5 * (vx + vy) };
}

const FOAM_ZONE_20 = blockMap(FOAM_ZONE);
const FOAM_STREAKS_20 = blockMap(FOAM_STREAKS);

/**
 * Fills `out[k]` with the whitecap foam fraction (exactly 0 below `foamMin`) of pixels
 * `col0 + k` of `row`: wind-aligned streaks in patches, from `foamStartPx` offshore (far from
 * the kelp band). The fraction is constant over each 20 m block: sub-20 m variation of a bright
 * target would fake a red edge where 20 m B06 meets 10 m B04, which real whitecaps, being
 * sub-pixel, do not systematically do.
 *
 * @param zone, streak scratch rows of at least `count` entries
 */
export function fillWhitecapRow(
  layout: SceneLayout,
  col0: number,
  count: number,
  row: number,
  out: Float64Array,
  zone: Float64Array,
  streak: Float64Array,
): void {
  const p = SCENE_PARAMS;
  const seed = layout.seeds.foam;
  const row20 = row >> 1;
  const first20 = col0 >> 1;
  const count20 = ((col0 + count - 1) >> 1) - first20 + 1;
  zone.fill(0, 0, count20);
  streak.fill(0, 0, count20);
  addNoiseRow(seed, FOAM_ZONE_20, first20, count20, row20, 1, zone, 0);
  addNoiseRow(seed ^ 0x5eed, FOAM_STREAKS_20, first20, count20, row20, 1, streak, 0);
  const shoreX = coastX(layout.coast, 2 * row20 + 1);
  for (let k = 0; k < count; k++) {
    const c = ((col0 + k) >> 1) - first20;
    const offshore = shoreX - 2 * (first20 + c) - 1;
    // Windier patches (a quarter to all of the peak) hundreds of pixels across, from the foam start.
    const windy = smoothstep(p.foamStartPx, p.foamStartPx + 60, offshore) * (0.25 + 0.75 * smoothstep(0.35, 0.65, zone[c]));
    const foam = 0.7 * windy * smoothstep(0.72, 0.97, streak[c]);
    out[k] = foam < p.foamMin ? 0 : foam;
  }
}

/** Fills `out[k]` with the surf-noise factor (0–1) for pixels near the shore. */
export function fillSurfRow(layout: SceneLayout, col0: number, count: number, row: number, out: Float64Array): void {
  out.fill(0, 0, count);
  addNoiseRow(layout.seeds.foam ^ 0x5a1f, SURF_MAP, col0, count, row, 1, out, 0);
}

/** Surf foam fraction at `offshorePx` from the shore with surf factor `surf` (exactly 0 below `foamMin`). */
export function surfFoam(offshorePx: number, surf: number): number {
  if (offshorePx >= surfWidthPx) return 0;
  const foam = 0.35 * (1 - offshorePx / surfWidthPx) * surf;
  return foam < foamMin ? 0 : foam;
}
