import type { BandName } from './bands.js';
import type { BandArrays } from './indices/index-plugin.js';
import { SCL_CLOUD_CLASSES, SCL_OTHER_MASKED_CLASSES, SCL_SHADOW_CLASSES, type Thresholds } from './thresholds.js';

/** What each analysed pixel is. `kelp` is set later, by the method, on `water` pixels. */
export const PIXEL = { water: 0, kelp: 1, land: 2, cloud: 3, shadow: 4, nodata: 5 } as const;
export type PixelClass = (typeof PIXEL)[keyof typeof PIXEL];

/** Look-up from SCL class code (0–11) to the pixel class it forces, or 255 for none. */
const SCL_TO_PIXEL = (() => {
  const table = new Uint8Array(256).fill(255);
  table[0] = PIXEL.nodata;
  for (const code of SCL_CLOUD_CLASSES) table[code] = PIXEL.cloud;
  for (const code of SCL_OTHER_MASKED_CLASSES) table[code] = PIXEL.cloud;
  for (const code of SCL_SHADOW_CLASSES) table[code] = PIXEL.shadow;
  return table;
})();

/**
 * Classifies every pixel of a window as nodata, cloud, shadow, land or water, in that order:
 *
 * 1. nodata: any of `required` is NaN (DN 0, NaN or the file's nodata), or SCL is 0;
 * 2. cloud and shadow from SCL classes 1, 3, 8, 9, 10, 11 (never "keep only class 6": dense
 *    canopy is often labelled 4 or 7);
 * 3. land: `B11 > swirLandMax`, unless the pixel passes the glint guard
 *    `B03 − B11 ≥ glintGreenSwirMin` (a difference, so a flat glint term cancels);
 * 4. without SCL, bright cloud: B02 (else B03) and B11 both above `cloudBrightMin`;
 * 5. everything else is water, where the method looks for canopy.
 *
 * @example
 * ```ts
 * const classes = new Uint8Array(n);
 * classifySurface(bands, ['B04', 'B06', 'B08', 'B11'], DEFAULT_THRESHOLDS, classes);
 * ```
 */
export function classifySurface(
  bands: BandArrays,
  required: readonly BandName[],
  thresholds: Thresholds,
  out: Uint8Array,
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
      const forced = SCL_TO_PIXEL[scl[i] & 255];
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
