/**
 * Reading a window of a sample scene, strip by strip so memory stays bounded by the strip
 * (whatever the window), at 10 m or 20 m.
 */
import type { BandName } from '../analysis/bands.js';
import type { PixelWindow } from '../raster/grid.js';
import { encode10, encode20, encodeScl } from './encode.js';
import type { Encoding } from './encode.js';
import type { SceneLayout } from './layout.js';
import { SAMPLE_BANDS } from './spectra.js';
import type { SampleBand } from './spectra.js';
import { computeSurfaceState } from './surface-state.js';
import type { SurfaceState } from './surface-state.js';

/** Native 10 m bands of the sample scene. */
export const BANDS_10: readonly BandName[] = ['B02', 'B03', 'B04', 'B08'];
/** Native 20 m bands of the sample scene (SCL included). */
export const BANDS_20: readonly BandName[] = ['B05', 'B06', 'B11', 'B12', 'SCL'];

/** Rows of 20 m pixels computed at once (128 rows of 10 m pixels). */
const STRIP_ROWS_20 = 64;

/** The 20 m values (DN or SCL) of `band` over the (even-aligned) window of `state`. */
function band20(layout: SceneLayout, band: BandName, encoding: Encoding, state: SurfaceState): Uint16Array {
  if (band === 'SCL') return encodeScl(layout, state);
  return encode20(layout, state, SAMPLE_BANDS.indexOf(band as SampleBand), encoding);
}

/**
 * Band values over `window` of the 20 m grid: every band (10 m ones too) as the mean of the
 * 2 × 2 blocks of 10 m reflectance plus 20 m sensor noise; SCL by block.
 */
export function readWindow20(
  layout: SceneLayout,
  bands: readonly BandName[],
  window: PixelWindow,
  encoding: Encoding,
): Record<string, Uint16Array> {
  const out: Record<string, Uint16Array> = {};
  for (const band of bands) out[band] = new Uint16Array(window.width * window.height);
  for (let r0 = 0; r0 < window.height; r0 += STRIP_ROWS_20) {
    const rows = Math.min(STRIP_ROWS_20, window.height - r0);
    const window10 = { x0: 2 * window.x0, y0: 2 * (window.y0 + r0), width: 2 * window.width, height: 2 * rows };
    const state = computeSurfaceState(layout, window10);
    for (const band of bands) out[band].set(band20(layout, band, encoding, state), r0 * window.width);
  }
  return out;
}

/**
 * Band values over `window` of the 10 m grid: native 10 m bands per pixel with 10 m noise;
 * 20 m bands as their native 20 m values repeated 2 × 2 (nearest-neighbour), exactly as a
 * 10 m resampled product holds them.
 */
export function readWindow10(
  layout: SceneLayout,
  bands: readonly BandName[],
  window: PixelWindow,
  encoding: Encoding,
): Record<string, Uint16Array> {
  const out: Record<string, Uint16Array> = {};
  for (const band of bands) out[band] = new Uint16Array(window.width * window.height);
  // Work on the enclosing even-aligned window so every 20 m parent is whole.
  const ax0 = window.x0 & ~1;
  const ax1 = (window.x0 + window.width + 1) & ~1;
  const ay1 = (window.y0 + window.height + 1) & ~1;
  const aw = ax1 - ax0;
  for (let ay = window.y0 & ~1; ay < ay1; ay += 2 * STRIP_ROWS_20) {
    const ah = Math.min(2 * STRIP_ROWS_20, ay1 - ay);
    const state = computeSurfaceState(layout, { x0: ax0, y0: ay, width: aw, height: ah });
    const rowFrom = Math.max(ay, window.y0);
    const rowTo = Math.min(ay + ah, window.y0 + window.height);
    for (const band of bands) {
      const target = out[band];
      const native10 = BANDS_10.includes(band);
      const values = native10
        ? encode10(layout, state, SAMPLE_BANDS.indexOf(band as SampleBand), encoding)
        : band20(layout, band, encoding, state);
      for (let row = rowFrom; row < rowTo; row++) {
        const base = (row - window.y0) * window.width - window.x0;
        if (native10) {
          const src = (row - ay) * aw - ax0;
          target.set(values.subarray(src + window.x0, src + window.x0 + window.width), base + window.x0);
        } else {
          const src = ((row - ay) >> 1) * (aw >> 1);
          for (let col = window.x0; col < window.x0 + window.width; col++) target[base + col] = values[src + ((col - ax0) >> 1)];
        }
      }
    }
  }
  return out;
}

/** Ground truth over `window` of the 10 m grid. */
export function readTruthWindow(layout: SceneLayout, window: PixelWindow): { canopyFraction: Float32Array; flags: Uint8Array } {
  const canopyFraction = new Float32Array(window.width * window.height);
  const flags = new Uint8Array(window.width * window.height);
  for (let r0 = 0; r0 < window.height; r0 += 2 * STRIP_ROWS_20) {
    const rows = Math.min(2 * STRIP_ROWS_20, window.height - r0);
    const state = computeSurfaceState(layout, { x0: window.x0, y0: window.y0 + r0, width: window.width, height: rows });
    canopyFraction.set(state.fraction, r0 * window.width);
    flags.set(state.flags, r0 * window.width);
  }
  return { canopyFraction, flags };
}
