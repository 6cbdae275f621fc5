/**
 * The noise-free state of every 10 m pixel in a window: reflectance of the eight bands after
 * linear mixing, plus the ground truth and what the SCL derivation needs. Mixing order:
 * `f·canopy + (1 − f)·water`, then foam, then additive glint (water only), then shadow
 * (multiplicative), then cloud (mixing towards the cloud spectrum). Sensor noise comes later.
 */
import type { PixelWindow } from '../raster/grid.js';
import { SHORE_BAND_PX, beachWidth, coastX, fillShoreRoughnessRow } from './coast.js';
import { COVER, KIND, fillLandRow, fillSurfRow, fillWaterRow, fillWhitecapRow, landKind, surfFoam } from './fields.js';
import { nodataEnd10 } from './layout.js';
import type { SceneLayout } from './layout.js';
import { SCENE_PARAMS } from './params.js';
import { rasterizeFeatures } from './raster-features.js';
import type { FeatureRasters } from './raster-features.js';
import { MSI_SET, type SpectralSet } from './spectra.js';
import { fillWaterVariationRow } from './variation.js';

/** Ground-truth bit flags of a 10 m pixel (`wetSand` with `land`: the wet part of a beach). */
export const TRUTH = { land: 1, cloud: 2, shadow: 4, glint: 8, foam: 16, nodata: 32, wetSand: 64 } as const;

// Local copies of imported constants: the per-pixel loops below must not go through module
// bindings (some loaders, tsx and vitest among them, turn those into getter calls).
const K_WATER = KIND.water;
const K_INLAND = KIND.inland;
const K_NODATA = KIND.nodata;
const K_CLEAR_WATER = KIND.clearWater;
const K_WET_SAND = KIND.wetSand;
const COVER_VEGETATED = COVER.vegetated;
const COVER_BARE = COVER.bare;
const kindOfLand = landKind;
const foamOfSurf = surfFoam;

/** The state of the 10 m pixels of `window`, row-major. */
export interface SurfaceState {
  window: PixelWindow;
  /** Reflectance before sensor noise, one array per band of the spectral set (`SAMPLE_BANDS` for MSI), in its order (0 on nodata). */
  bands: Float32Array[];
  /** Canopy fraction 0–1 (0 on land and nodata). */
  fraction: Float32Array;
  /** `TRUTH` bits. */
  flags: Uint8Array;
  /** Cloud density 0–1. */
  cloud: Float32Array;
  /** `COVER` class. */
  cover: Uint8Array;
}

/** Per-row scratch arrays of one window width. */
function createRows(width: number) {
  const shoreSpan = 2 * SHORE_BAND_PX + 2;
  return {
    kind: new Uint8Array(width),
    water: new Float64Array(width),
    green: new Float64Array(width),
    texture: new Float64Array(width),
    foam: new Float64Array(width),
    dim: new Float64Array(width),
    zone: new Float64Array(width),
    streak: new Float64Array(width),
    rough: new Float64Array(shoreSpan),
    surf: new Float64Array(shoreSpan),
    // Natural variation only: turbid-plume weight, gradient glint, land share of shoreline
    // pixels (0 sea … 1 land), the land kind mixed into a sea pixel, the bed's canopy fraction.
    plume: new Float64Array(width),
    gradient: new Float64Array(width),
    scratch: new Float64Array(width),
    landShare: new Float64Array(width),
    mixedKind: new Uint8Array(width),
    bedFraction: new Float64Array(width),
  };
}

/**
 * Computes the noise-free state of the 10 m pixels of `window` (which may extend past the scene
 * edge: the scene is defined everywhere). Every value depends only on absolute coordinates.
 * Reflectance is mixed at the bands of `set` (Sentinel-2 MSI by default, Landsat OLI for a
 * Landsat scene): the same surfaces, the same mixing, other filters.
 *
 * @example
 * ```ts
 * const state = computeSurfaceState(layout, { x0: 0, y0: 0, width: 64, height: 64 });
 * state.bands[4][row * 64 + col]; // B06 before noise
 * ```
 */
export function computeSurfaceState(layout: SceneLayout, window: PixelWindow, set: SpectralSet = MSI_SET): SurfaceState {
  const { width, height } = window;
  const n = width * height;
  const features = rasterizeFeatures(layout, window);
  const state: SurfaceState = {
    window,
    bands: Array.from({ length: set.bands.length }, () => new Float32Array(n)),
    fraction: features.fraction,
    flags: new Uint8Array(n),
    cloud: features.cloud,
    cover: new Uint8Array(n),
  };
  const rows = createRows(width);
  for (let j = 0; j < height; j++) {
    classifyRow(layout, state, features, rows, j);
    for (let b = 0; b < set.bands.length; b++) mixRow(state, features, rows, j, b, layout.natural !== undefined, set);
  }
  return state;
}

/**
 * First pass over row `j`: what each pixel is made of (`rows.kind`), the row fields it needs,
 * the foam fraction and shadow dimming, and the truth flags and cover class.
 */
function classifyRow(layout: SceneLayout, state: SurfaceState, features: FeatureRasters, rows: ReturnType<typeof createRows>, j: number) {
  const { x0, width } = state.window;
  const row = state.window.y0 + j;
  const x1 = x0 + width;
  const { land: hasLand, foam: hasFoam } = layout.features;
  const { foamStartPx, foamFlag, shadowFactor } = SCENE_PARAMS;
  const shoreX = coastX(layout.coast, row);
  const beachPx = hasLand ? beachWidth(layout.coast, row) : 0;
  // Spans of this row that need each field: near the shore, possibly land, whitecap zone.
  const shoreLo = hasLand ? Math.max(x0, Math.floor(shoreX - SHORE_BAND_PX)) : x1;
  const shoreHi = hasLand ? Math.min(x1, Math.ceil(shoreX + SHORE_BAND_PX)) : x1;
  const foamHi = hasFoam ? Math.min(x1, Math.floor(shoreX - foamStartPx)) : x0;
  const nodataHi = nodataEnd10(layout, row);
  fillWaterRow(layout, x0, width, row, rows.water);
  if (shoreLo < x1) fillLandRow(layout, shoreLo, x1 - shoreLo, row, rows.green, rows.texture, shoreLo - x0);
  if (shoreLo < shoreHi) {
    fillShoreRoughnessRow(layout.coast, shoreLo, shoreHi - shoreLo, row, rows.rough);
    if (hasFoam) fillSurfRow(layout, shoreLo, shoreHi - shoreLo, row, rows.surf);
  }
  rows.foam.fill(0);
  if (foamHi > x0) fillWhitecapRow(layout, x0, foamHi - x0, row, rows.foam, rows.zone, rows.streak);
  const natural = layout.natural;
  if (natural) {
    fillWaterVariationRow(natural, x0, width, row, rows.plume, rows.gradient, rows.scratch);
    rows.landShare.fill(0);
  }
  const { fraction, cloud, shadow, glint } = features;
  const { flags, cover } = state;
  for (let i = 0; i < width; i++) {
    const col = x0 + i;
    const p = j * width + i;
    if (col < nodataHi) {
      rows.kind[i] = K_NODATA;
      fraction[p] = 0;
      cloud[p] = 0;
      flags[p] = TRUTH.nodata;
      continue;
    }
    const nearShore = col >= shoreLo && col < shoreHi;
    const inland = col + 0.5 - shoreX - (nearShore ? rows.rough[col - shoreLo] : 0);
    let flag = 0;
    // Natural variation: a pixel the shoreline crosses is part land, part sea (a linear ramp of
    // the land share over one pixel about the shoreline); its flag follows the larger part.
    const share = natural && hasLand ? Math.min(1, Math.max(0, inland + 0.5)) : inland >= 0 ? 1 : 0;
    if (natural) {
      rows.landShare[i] = share;
      rows.bedFraction[i] = fraction[p];
    }
    if (hasLand && inland >= 0) {
      const kind = kindOfLand(inland, beachPx);
      rows.kind[i] = kind;
      rows.foam[i] = 0;
      cover[p] = kind === K_INLAND && rows.green[i] >= 0.5 ? COVER_VEGETATED : COVER_BARE;
      fraction[p] = share < 1 ? (1 - share) * fraction[p] : 0;
      flag |= TRUTH.land;
      if (kind === K_WET_SAND) flag |= TRUTH.wetSand;
    } else {
      rows.kind[i] = K_WATER;
      if (nearShore && hasFoam) rows.foam[i] = foamOfSurf(-inland, rows.surf[col - shoreLo]);
      if (rows.foam[i] > foamFlag) flag |= TRUTH.foam;
      if (glint[p] > 0 || (natural && glint[p] + rows.gradient[i] >= SCENE_PARAMS.glintMin)) flag |= TRUTH.glint;
      if (share > 0) {
        rows.mixedKind[i] = kindOfLand(0, beachPx);
        fraction[p] = (1 - share) * fraction[p];
      }
    }
    rows.dim[i] = 1 - (1 - shadowFactor) * shadow[p];
    if (shadow[p] > 0) flag |= TRUTH.shadow;
    if (cloud[p] > 0) flag |= TRUTH.cloud;
    flags[p] = flag;
    if (flag === 0 && fraction[p] === 0 && rows.foam[i] === 0 && share === 0) rows.kind[i] = K_CLEAR_WATER;
  }
}

/** Second pass: reflectance of band `b` (of `set`) along row `j`, mixed in the documented order. */
function mixRow(
  state: SurfaceState,
  features: FeatureRasters,
  rows: ReturnType<typeof createRows>,
  j: number,
  b: number,
  natural: boolean,
  set: SpectralSet,
) {
  if (natural) {
    mixRowNatural(state, features, rows, j, b, set);
    return;
  }
  const { water, canopy, foam: foamSpectrum, cloud: cloudSpectrum, vegetation, soil, wetSand, drySand } = set.spectra;
  const { width } = state.window;
  const out = state.bands[b];
  const { fraction, contrast, cloud, glint } = features;
  const { kind, water: brightness, green, texture, foam, dim } = rows;
  const wb = water[b];
  const cb = canopy[b];
  // Per-bed canopy: the red-edge/NIR excess over red is scaled by the bed's contrast.
  const excess = set.redEdgeNirIndices.includes(b) ? canopy[b] - canopy[set.redIndex] : 0;
  const fb = foamSpectrum[b];
  const vb = vegetation[b];
  const sb = soil[b];
  const clb = cloudSpectrum[b];
  const sand = [wetSand[b], drySand[b]];
  for (let i = 0, p = j * width; i < width; i++, p++) {
    const k = kind[i];
    if (k === K_CLEAR_WATER) {
      out[p] = wb * brightness[i];
      continue;
    }
    let v: number;
    if (k === K_WATER) {
      const f = fraction[p];
      v = (1 - f) * wb * brightness[i] + f * (cb + (contrast[p] - 1) * excess);
      v += foam[i] * (fb - v);
      v += glint[p];
    } else if (k === K_INLAND) {
      v = (green[i] * vb + (1 - green[i]) * sb) * texture[i];
    } else if (k === K_NODATA) {
      continue;
    } else {
      v = sand[k - 1];
    }
    v *= dim[i];
    v += cloud[p] * (clb - v);
    out[p] = v;
  }
}

/**
 * {@link mixRow} for the natural variation: water is clear water mixed with the plume's turbid
 * water, glint (patches plus the gradient) has glint's spectral shape, and shoreline pixels mix
 * their land and sea parts by land share.
 */
function mixRowNatural(state: SurfaceState, features: FeatureRasters, rows: ReturnType<typeof createRows>, j: number, b: number, set: SpectralSet) {
  const { water, turbidWater: turbid, canopy, foam: foamSpectrum, cloud: cloudSpectrum, vegetation, soil, wetSand, drySand } = set.spectra;
  const { width } = state.window;
  const out = state.bands[b];
  const { contrast, cloud, glint } = features;
  const { kind, water: brightness, green, texture, foam, dim, plume, gradient, landShare, mixedKind, bedFraction } = rows;
  const wb = water[b];
  const tb = turbid[b];
  const cb = canopy[b];
  const shape = set.glintShape[b];
  const excess = set.redEdgeNirIndices.includes(b) ? canopy[b] - canopy[set.redIndex] : 0;
  const fb = foamSpectrum[b];
  const cloudB = cloudSpectrum[b];
  const land = (k: number, i: number) =>
    k === K_INLAND ? (green[i] * vegetation[b] + (1 - green[i]) * soil[b]) * texture[i] : k === K_WET_SAND ? wetSand[b] : drySand[b];
  for (let i = 0, p = j * width; i < width; i++, p++) {
    const k = kind[i];
    if (k === K_NODATA) continue;
    const share = landShare[i];
    let v = 0;
    if (share < 1) {
      const f = bedFraction[i];
      v = (1 - f) * (wb + (tb - wb) * plume[i]) * brightness[i] + f * (cb + (contrast[p] - 1) * excess);
      v += foam[i] * (fb - v);
      v += (glint[p] + gradient[i]) * shape;
    }
    if (share > 0) v = share * land(k === K_WATER || k === K_CLEAR_WATER ? mixedKind[i] : k, i) + (1 - share) * v;
    v *= dim[i];
    v += cloud[p] * (cloudB - v);
    out[p] = v;
  }
}

