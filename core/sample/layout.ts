/**
 * The layout of a sample scene: every discrete feature (beds, clouds, glint patches) listed
 * once from the seed and the scene size, in O(number of features). Pixels are then generated
 * window by window from this layout and hashed noise of absolute coordinates.
 */
import { createBeds, createTinyBeds, scaleBed } from './beds.js';
import type { KelpBed, TinyBed } from './beds.js';
import { createCloud, createGlintPatch } from './blobs.js';
import type { Cloud, GlintPatch } from './blobs.js';
import { coastX, createCoastline } from './coast.js';
import type { Coastline } from './coast.js';
import { hash2, uniform } from './noise.js';
import { SCENE_PARAMS } from './params.js';
import { type NaturalVariation, createNaturalVariation } from './variation.js';

/** Scene features that can be switched off (all on by default). */
export type SampleFeature = 'land' | 'kelp' | 'cloud' | 'shadow' | 'glint' | 'foam' | 'nodata' | 'noise';

/** Every feature, on. */
export const ALL_FEATURES: Readonly<Record<SampleFeature, boolean>> = {
  land: true,
  kelp: true,
  cloud: true,
  shadow: true,
  glint: true,
  foam: true,
  nodata: true,
  noise: true,
};

/**
 * How much the scene varies: `uniform` (the default: one canopy spectrum within ±15 % per bed,
 * clear water, flat glint patches, beds offshore) or `natural` (see `variation.ts`: canopy
 * brightness ±25 % and more between beds and scenes, canopy density, a turbid plume, a glint
 * gradient with glint's spectral shape, fringing beds that touch the shore, shorelines mixed
 * within the pixel).
 */
export type SceneVariation = 'uniform' | 'natural';

/** Everything needed to generate any pixel of a scene. */
export interface SceneLayout {
  width: number;
  height: number;
  features: Readonly<Record<SampleFeature, boolean>>;
  /** The natural variation's scene-level draws; undefined for a `uniform` scene. */
  natural: NaturalVariation | undefined;
  coast: Coastline;
  beds: readonly KelpBed[];
  tinyBeds: readonly TinyBed[];
  clouds: readonly Cloud[];
  glints: readonly GlintPatch[];
  /** Seeds of the per-pixel noise fields. */
  seeds: { water: number; land: number; foam: number; scl: number; sensor: number };
}

/** Clamps `value` to `[min, max]`. */
function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Lays out a scene of `width` × `height` 10 m pixels. The first cloud and the first glint patch
 * are placed over the nearshore kelp band (so some kelp lies under cloud, shadow and glint at
 * every size); larger scenes get more of both, scattered by hash.
 *
 * @example
 * ```ts
 * const layout = createLayout(1, 512, 512, ALL_FEATURES);
 * ```
 */
export function createLayout(
  seed: number,
  width: number,
  height: number,
  features: Readonly<Record<SampleFeature, boolean>>,
  variation: SceneVariation = 'uniform',
  canopyScale = 1,
): SceneLayout {
  const p = SCENE_PARAMS;
  const coast = createCoastline(seed, width, height);
  const natural = variation === 'natural' ? createNaturalVariation(seed, width, height, coast) : undefined;
  const bedSeed = hash2(seed, 0x6b65, 0x6c70);
  const fullBeds = features.kelp ? createBeds(bedSeed, coast, height, natural !== undefined) : [];
  // Tiny beds are placed clear of the full-size beds, so they are the same at every canopy scale.
  const tinyBeds = features.kelp ? createTinyBeds(bedSeed, coast, height, fullBeds) : [];
  const beds = fullBeds.map((bed) => scaleBed(bed, canopyScale));
  const side = Math.min(width, height);
  // Where beds are most common: a little inside the middle of the nearshore band.
  const bedBand = 0.6 * p.nearshoreMinPx + 0.4 * p.nearshoreMaxPx;

  const clouds: Cloud[] = [];
  const cloudSeed = hash2(seed, 0x636c, 0x6f75);
  const cloudRadius = clamp(p.cloudRadiusShare * side, p.cloudRadiusMinPx, p.cloudRadiusMaxPx);
  const cloudY = 0.75 * height;
  clouds.push(createCloud(cloudSeed, coastX(coast, cloudY) - bedBand, cloudY, cloudRadius));
  const extraClouds = Math.floor((width * height) / p.cloudAreaPx);
  for (let i = 1; i <= extraClouds; i++) {
    const r = (k: number) => uniform(cloudSeed, i, k);
    clouds.push(createCloud(hash2(cloudSeed, i, 1), r(0) * width, r(1) * height, cloudRadius * (0.6 + 0.8 * r(2))));
  }

  const glints: GlintPatch[] = [];
  const glintSeed = hash2(seed, 0x676c, 0x6e74);
  const glintRadius = clamp(p.glintRadiusShare * side, p.glintRadiusMinPx, p.glintRadiusMaxPx);
  const glintY = 0.22 * height;
  const glintX = coastX(coast, glintY) - bedBand - 0.25 * glintRadius;
  const peak = (t: number) => p.glintPeak[0] + (p.glintPeak[1] - p.glintPeak[0]) * t;
  glints.push(createGlintPatch(glintSeed, glintX, glintY, glintRadius, 0.8 * glintRadius, peak(uniform(glintSeed, 0, 0))));
  const extraGlints = Math.floor((width * height) / p.glintAreaPx);
  for (let i = 1; i <= extraGlints; i++) {
    const r = (k: number) => uniform(glintSeed, i, k);
    const radius = glintRadius * (0.7 + 0.6 * r(2));
    glints.push(createGlintPatch(glintSeed, r(0) * width, r(1) * height, radius, radius * (0.6 + 0.4 * r(3)), peak(r(4))));
  }

  return {
    width,
    height,
    features,
    natural,
    coast,
    beds,
    tinyBeds,
    clouds,
    glints,
    seeds: {
      water: hash2(seed, 0x7761, 1),
      land: hash2(seed, 0x6c61, 2),
      foam: hash2(seed, 0x666f, 3),
      scl: hash2(seed, 0x7363, 4),
      sensor: hash2(seed, 0x736e, 5),
    },
  };
}

/**
 * The nodata wedge in the top-left corner, on whole 20 m pixels: on 10 m `row`, columns
 * `[0, nodataEnd10(row))` are nodata (20 m pixel (c, r) is nodata when `c + 0.6 r < share × width20`).
 */
export function nodataEnd10(layout: SceneLayout, row: number): number {
  if (!layout.features.nodata) return 0;
  const limit = SCENE_PARAMS.nodataShare * Math.ceil(layout.width / 2) - 0.6 * (row >> 1);
  return 2 * Math.max(0, Math.ceil(limit));
}
