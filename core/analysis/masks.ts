import type { BandName } from './bands.js';
import type { BandArrays } from './indices/index-plugin.js';
import type { Thresholds } from './thresholds.js';

/** What each analysed pixel is. `kelp` is set later, by the method, on `water` pixels. */
export const PIXEL = { water: 0, kelp: 1, land: 2, cloud: 3, shadow: 4, nodata: 5 } as const;
export type PixelClass = (typeof PIXEL)[keyof typeof PIXEL];

/**
 * Classifies every pixel of a window as nodata, cloud, shadow, land or water, in that order:
 *
 * 1. nodata: any of `required` is NaN (DN 0, NaN or the file's nodata), or the quality band
 *    says so (SCL 0, QA_PIXEL fill);
 * 2. cloud and shadow from the quality band through the sensor's table `quality` (SCL classes 1,
 *    3, 8, 9, 10, 11; QA_PIXEL's cloud, cirrus, shadow and snow bits). Never "keep only water":
 *    dense canopy is often labelled vegetation or land by both;
 * 3. land: `B11 > swirLandMax`, unless the pixel passes the glint guard
 *    `B03 − B11 ≥ glintGreenSwirMin` (a difference, so a flat glint term cancels);
 * 4. without a quality band, bright cloud: B02 (else B03) and B11 both above `cloudBrightMin`;
 * 5. everything else is water, where the method looks for canopy.
 *
 * @example
 * ```ts
 * const classes = new Uint8Array(n);
 * classifySurface(bands, ['B04', 'B06', 'B08', 'B11'], DEFAULT_THRESHOLDS, classes, SENTINEL_2.quality.toPixel);
 * ```
 */
export function classifySurface(
  bands: BandArrays,
  required: readonly BandName[],
  thresholds: Thresholds,
  out: Uint8Array,
  /** The pixel class each low byte of the quality band (slot SCL) forces, 255 for none (the sensor's `quality.toPixel`). */
  quality: Uint8Array,
): void {
  const n = out.length;
  const scl = bands.get('SCL');
  const swir16 = bands.get('B11') as Float32Array;
  const green = bands.get('B03');
  const bright = bands.get('B02') ?? green;
  const { swirLandMax, glintGreenSwirMin, cloudBrightMin } = thresholds;
  const nodataCode = PIXEL.nodata;
  // 1. nodata: one pass per required band (a NaN never equals itself), then each pixel once.
  out.fill(PIXEL.water, 0, n);
  for (const name of required) {
    const values = bands.get(name) as Float32Array;
    for (let i = 0; i < n; i++) if (values[i] !== values[i]) out[i] = nodataCode;
  }
  const land = PIXEL.land;
  const cloud = PIXEL.cloud;
  for (let i = 0; i < n; i++) {
    if (out[i] === nodataCode) continue;
    if (scl) {
      const forced = quality[scl[i] & 255];
      if (forced !== 255) {
        out[i] = forced;
        continue;
      }
    }
    const swir = swir16[i];
    if (swir > swirLandMax && !(green && green[i] - swir >= glintGreenSwirMin)) out[i] = land;
    else if (!scl && bright && bright[i] > cloudBrightMin && swir > cloudBrightMin) out[i] = cloud;
  }
}
