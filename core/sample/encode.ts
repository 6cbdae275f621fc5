/**
 * From noise-free 10 m surface state to L2A digital numbers: sensor noise, 20 m aggregation
 * (a 20 m pixel's reflectance is the mean of its four 10 m pixels), DN encoding and the Scene
 * Classification Layer.
 */
import { SCL } from '../analysis/bands.js';
import { COVER } from './fields.js';
import type { SceneLayout } from './layout.js';
import { addGaussianRow, uniform } from './noise.js';
import { SCENE_PARAMS } from './params.js';
import { TRUTH } from './surface-state.js';
import type { SurfaceState } from './surface-state.js';

// Local copies of imported constants for the per-pixel loops (see surface-state.ts).
const NODATA_FLAG = TRUTH.nodata;
const SHADOW_FLAG = TRUTH.shadow;
const COVER_WATER = COVER.water;
const COVER_VEGETATED = COVER.vegetated;
const SCL_CODE = { ...SCL };
const { cloudHigh: DENSITY_HIGH, cloudThin: DENSITY_THIN, sclDense: FRACTION_DENSE, sclMid: FRACTION_MID } = SCENE_PARAMS;

/**
 * L2A DN for a reflectance: `round(reflectance × 10000) − boaAddOffset`, clamped to 1…65535
 * (0 is reserved for nodata).
 *
 * @example
 * ```ts
 * encodeDn(0.05, -1000); // 1500 (baseline 04.00 and later)
 * encodeDn(0.05, 0);     // 500  (before 04.00)
 * ```
 */
export function encodeDn(reflectance: number, boaAddOffset: number): number {
  const dn = Math.round(reflectance * 10000) - boaAddOffset;
  return dn < 1 ? 1 : dn > 65535 ? 65535 : dn;
}

/** How to encode: the offset and whether to add sensor noise. */
export interface Encoding {
  boaAddOffset: number;
  noise: boolean;
}

/** Noise stream id of a band at a resolution (so 10 m and 20 m noise are independent). */
function noiseStream(bandIndex: number, resolutionM: 10 | 20): number {
  return bandIndex * 2 + (resolutionM === 20 ? 1 : 0);
}

/**
 * DNs of band `bandIndex` (into `SAMPLE_BANDS`) for every 10 m pixel of `state`, with 10 m noise.
 */
export function encode10(layout: SceneLayout, state: SurfaceState, bandIndex: number, encoding: Encoding): Uint16Array {
  const { x0, y0, width, height } = state.window;
  const out = new Uint16Array(width * height);
  const noise = new Float64Array(width);
  const stream = noiseStream(bandIndex, 10);
  const refl = state.bands[bandIndex];
  const { flags } = state;
  const offset = encoding.boaAddOffset;
  for (let j = 0; j < height; j++) {
    noise.fill(0);
    if (encoding.noise) addGaussianRow(layout.seeds.sensor, x0, width, y0 + j, stream, SCENE_PARAMS.noiseSigma, noise, 0);
    for (let i = 0, p = j * width; i < width; i++, p++) {
      if (flags[p] & NODATA_FLAG) continue;
      // encodeDn, inlined for speed.
      const dn = Math.round((refl[p] + noise[i]) * 10000) - offset;
      out[p] = dn < 1 ? 1 : dn > 65535 ? 65535 : dn;
    }
  }
  return out;
}

/**
 * DNs of band `bandIndex` on the 20 m grid covered by `state` (whose window must start on even
 * 10 m coordinates and have even size): the mean of each 2 × 2 block of 10 m reflectances, with
 * 20 m noise.
 */
export function encode20(layout: SceneLayout, state: SurfaceState, bandIndex: number, encoding: Encoding): Uint16Array {
  const { x0, y0, width } = state.window;
  const w20 = state.window.width >> 1;
  const h20 = state.window.height >> 1;
  const out = new Uint16Array(w20 * h20);
  const noise = new Float64Array(w20);
  const stream = noiseStream(bandIndex, 20);
  const refl = state.bands[bandIndex];
  for (let j = 0; j < h20; j++) {
    noise.fill(0);
    if (encoding.noise) addGaussianRow(layout.seeds.sensor, x0 >> 1, w20, (y0 >> 1) + j, stream, SCENE_PARAMS.noiseSigma, noise, 0);
    for (let i = 0; i < w20; i++) {
      const p = 2 * j * width + 2 * i;
      if (state.flags[p] & NODATA_FLAG) continue;
      const q = p + width;
      const mean = (refl[p] + refl[p + 1] + refl[q] + refl[q + 1]) / 4;
      out[j * w20 + i] = encodeDn(mean + noise[i], encoding.boaAddOffset);
    }
  }
  return out;
}

/**
 * SCL codes on the 20 m grid covered by `state` (even-aligned as for {@link encode20}). Per 2 × 2
 * block: nodata → 0; any cloud → 9, 8 or 10 by the densest; else any shadow → 3; else land
 * (≥ 2 of 4) → 4 vegetated or 5; else water by mean canopy fraction: dense → 4 or 7, mid → 7 or
 * 6, sparse or none → 6 (the mix is hashed per pixel, as Sen2Cor labels canopy inconsistently).
 */
export function encodeScl(layout: SceneLayout, state: SurfaceState): Uint16Array {
  const code = SCL_CODE;
  const { x0, y0, width } = state.window;
  const w20 = state.window.width >> 1;
  const h20 = state.window.height >> 1;
  const out = new Uint16Array(w20 * h20);
  const { flags, cloud, cover, fraction } = state;
  for (let j = 0; j < h20; j++) {
    for (let i = 0; i < w20; i++) {
      const a = 2 * j * width + 2 * i;
      if (flags[a] & NODATA_FLAG) {
        out[j * w20 + i] = code.noData;
        continue;
      }
      let maxCloud = 0;
      let shadowed = false;
      let land = 0;
      let vegetated = 0;
      let meanFraction = 0;
      for (let k = 0; k < 4; k++) {
        const p = a + (k & 1) + (k >> 1) * width;
        maxCloud = Math.max(maxCloud, cloud[p]);
        if (flags[p] & SHADOW_FLAG) shadowed = true;
        if (cover[p] !== COVER_WATER) land++;
        if (cover[p] === COVER_VEGETATED) vegetated++;
        meanFraction += fraction[p] / 4;
      }
      let scl: number = code.water;
      if (maxCloud > 0) {
        scl = maxCloud >= DENSITY_HIGH ? code.cloudHigh : maxCloud >= DENSITY_THIN ? code.cloudMedium : code.thinCirrus;
      } else if (shadowed) {
        scl = code.cloudShadow;
      } else if (land >= 2) {
        scl = 2 * vegetated > land ? code.vegetation : code.notVegetated;
      } else if (meanFraction >= FRACTION_MID) {
        const pick = uniform(layout.seeds.scl, (x0 >> 1) + i, (y0 >> 1) + j);
        if (meanFraction >= FRACTION_DENSE) scl = pick < 0.6 ? code.vegetation : code.unclassified;
        else scl = pick < 0.5 ? code.unclassified : code.water;
      }
      out[j * w20 + i] = scl;
    }
  }
  return out;
}
