/**
 * The sample scene as Landsat 8/9 OLI Collection 2 Level-2 would record it: the same truth field
 * (same seed, layout and place in metres as the Sentinel-2 scene) on a 30 m grid aligned with the
 * 10 m one, one 30 m pixel covering 3 × 3 10 m pixels. Reflectance is mixed at OLI's band centres
 * (spectra.ts, `OLI_SET`) for each 10 m pixel, and a 30 m pixel's reflectance is the mean of its
 * nine, the same linear mixing the Sentinel-2 scene does for its 20 m bands; then sensor noise
 * and the Collection 2 DN rule. QA_PIXEL is built from the truth.
 */
import { InvalidRequestError, MissingBandError } from '../errors.js';
import type { Grid, PixelWindow } from '../raster/grid.js';
import { QA_PIXEL_BITS } from '../sensors/landsat.js';
import type { SceneLayout } from './layout.js';
import { addGaussianRow } from './noise.js';
import { SCENE_PARAMS } from './params.js';
import { OLI_SAMPLE_BANDS, OLI_SET } from './spectra.js';
import { TRUTH, computeSurfaceState } from './surface-state.js';
import { checkWindow } from './window.js';

/** The Landsat sensors a sample scene can be rendered for. */
export type LandsatSampleSensor = 'landsat-8' | 'landsat-9';

/** Every band of a Landsat sample scene: the reflective bands, then the quality band. */
export const LANDSAT_SAMPLE_BANDS: readonly string[] = [...OLI_SAMPLE_BANDS, 'QA_PIXEL'];

/** 10 m pixels along one side of a 30 m pixel. */
const BLOCK = 3;
const CELLS = BLOCK * BLOCK;

/** Rows of 30 m pixels computed at once (126 rows of 10 m pixels, as many as a Sentinel-2 strip). */
const STRIP_ROWS_30 = 42;

/**
 * Collection 2 Level-2 surface reflectance coding (USGS, Landsat 8–9 Collection 2 Level-2
 * Science Product Guide, LSDS-1619): reflectance = DN × 0.0000275 − 0.2; DN 0 is fill, so valid
 * DNs are clamped to 1…65535.
 */
export const LANDSAT_SR = { scale: 0.0000275, offset: -0.2, fill: 0 } as const;

/**
 * Collection 2 DN of a reflectance: `round((reflectance + 0.2) / 0.0000275)`, clamped to 1…65535.
 *
 * @example
 * ```ts
 * encodeLandsatDn(0.05); // 9091
 * encodeLandsatDn(-0.25); // 1 (0 is fill)
 * ```
 */
export function encodeLandsatDn(reflectance: number): number {
  const dn = Math.round((reflectance - LANDSAT_SR.offset) / LANDSAT_SR.scale);
  return dn < 1 ? 1 : dn > 65535 ? 65535 : dn;
}

/**
 * QA_PIXEL confidence fields (bits 8–15, two bits each: 1 low, 3 high; LSDS-1619 table 6-3):
 * cloud (8–9), cloud shadow (10–11), snow/ice (12–13), cirrus (14–15). The generator knows
 * its clouds and shadows, so they are "high" where the bit is set and "low" elsewhere; it has no
 * snow and no separate cirrus layer, so those are always "low". A clear land pixel is then
 * 21824, clear water 21952, cloud 22280, cloud shadow 23888, dilated cloud 21762: the values
 * real Landsat 8/9 C2 L2 scenes carry.
 */
const CONFIDENCE = { cloudLow: 1 << 8, cloudHigh: 3 << 8, shadowLow: 1 << 10, shadowHigh: 3 << 10, snowLow: 1 << 12, cirrusLow: 1 << 14 } as const;

/** QA_PIXEL of a fill pixel (bit 0 alone), also the QA file's no-data value. */
export const QA_FILL = 1 << QA_PIXEL_BITS.fill;

/**
 * A 30 m pixel's truth is flagged `water` in QA_PIXEL only when fewer than this many of its nine
 * 10 m pixels are land and its mean canopy fraction is below {@link QA_WATER_MAX_CANOPY}: the
 * USGS water bit comes from a land/water test that calls dense floating canopy land (its NIR is
 * land-like), and the analysis must not lean on it (core/sensors/landsat.ts reads it as a hint
 * only).
 */
const QA_WATER_MAX_LAND = 5;
export const QA_WATER_MAX_CANOPY = 0.5;

/** Scene date and product identity of a Landsat sample scene, for file names and the MTL. */
export interface LandsatAcquisition {
  /** `LANDSAT_8` or `LANDSAT_9`. */
  spacecraftId: 'LANDSAT_8' | 'LANDSAT_9';
  /** `LC08` or `LC09` (OLI/TIRS combined). */
  productPrefix: 'LC08' | 'LC09';
  /** WRS-2 path and row. */
  wrsPath: number;
  wrsRow: number;
  /** `YYYY-MM-DD`. */
  dateAcquired: string;
  /** `HH:MM:SS.sssssssZ`, as the MTL writes it. */
  sceneCenterTime: string;
  /** `YYYY-MM-DD` the product was made (eight days after acquisition, as USGS typically is). */
  dateProcessed: string;
  /** `LC08_L2SP_044034_20230815_20230823_02_T1`. */
  productId: string;
}

/** Default acquisition date of a Landsat sample scene. */
export const DEFAULT_LANDSAT_DATE = '2023-08-15';

/**
 * WRS-2 path 44, row 34: the frame that holds the sample's default place (UTM 10N, off the
 * Monterey Peninsula). Scene centre time: that frame's descending pass, about 18:40 UTC.
 */
const DEFAULT_FRAME = { path: 44, row: 34, centreTime: '18:40:52.3310950Z' } as const;

/** First day each satellite could have acquired (launch dates: Landsat 8 2013-02-11, Landsat 9 2021-09-27). */
const LAUNCH = { 'landsat-8': '2013-02-11', 'landsat-9': '2021-09-27' } as const;

/** The acquisition of a `sensor` scene on `date` (default {@link DEFAULT_LANDSAT_DATE}); `InvalidRequestError` for a bad or pre-launch date. */
export function landsatAcquisition(sensor: LandsatSampleSensor, date = DEFAULT_LANDSAT_DATE): LandsatAcquisition {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new InvalidRequestError(`a Landsat sample's date must be a calendar date YYYY-MM-DD, got "${date}"`, { date });
  }
  if (date < LAUNCH[sensor]) {
    throw new InvalidRequestError(`${sensor} was launched on ${LAUNCH[sensor]}: a scene dated ${date} cannot exist; give a later date`, { date, sensor });
  }
  const processed = new Date(parsed.getTime() + 8 * 86_400_000).toISOString().slice(0, 10);
  const nine = sensor === 'landsat-9';
  const productPrefix = nine ? 'LC09' : 'LC08';
  const pathRow = `${String(DEFAULT_FRAME.path).padStart(3, '0')}${String(DEFAULT_FRAME.row).padStart(3, '0')}`;
  const compact = (d: string) => d.replaceAll('-', '');
  return {
    spacecraftId: nine ? 'LANDSAT_9' : 'LANDSAT_8',
    productPrefix,
    wrsPath: DEFAULT_FRAME.path,
    wrsRow: DEFAULT_FRAME.row,
    dateAcquired: date,
    sceneCenterTime: DEFAULT_FRAME.centreTime,
    dateProcessed: processed,
    productId: `${productPrefix}_L2SP_${pathRow}_${compact(date)}_${compact(processed)}_02_T1`,
  };
}

/** A synthetic Landsat 8/9 C2 L2 scene: a 30 m grid, band readers and ground truth at 30 m. */
export interface LandsatSampleScene {
  sensor: LandsatSampleSensor;
  /** The 30 m grid: same origin as the 10 m truth field, `ceil(side / 3)` pixels a side. */
  grid: Grid;
  /** Size of the truth field in 10 m pixels (the scene options' width and height). */
  extent10: { width: number; height: number };
  /** `SR_B1` … `SR_B7`, `QA_PIXEL`. */
  bands: readonly string[];
  acquisition: LandsatAcquisition;
  /**
   * Values over `window` of the 30 m grid: DN (uint16, 0 fill) of the SR bands; QA_PIXEL bits
   * (uint16, 1 fill), see {@link readLandsatWindow}.
   */
  readBands(bands: readonly string[], window: PixelWindow): Record<string, Uint16Array>;
  /**
   * Ground truth on the 30 m grid: canopy fraction (the mean of the nine 10 m fractions) and
   * `TRUTH` flags (the OR of the nine 10 m flags: a flag says the surface is somewhere in the pixel).
   */
  readTruth(window: PixelWindow): { canopyFraction: Float32Array; flags: Uint8Array };
}

/** The aggregate of the 10 m state over 30 m pixels of a (padded) strip. */
interface Strip30 {
  /** Width and height in 30 m pixels. */
  width: number;
  height: number;
  /** Mean reflectance per OLI band. */
  reflectance: Float64Array[];
  /** Mean canopy fraction. */
  fraction: Float32Array;
  /** OR of the nine truth flags. */
  flags: Uint8Array;
  /** How many of the nine are land. */
  land: Uint8Array;
}

/** Aggregates the 10 m surface state of 30 m pixels `[x0, x0 + width) × [y0, y0 + height)`. */
function aggregate(layout: SceneLayout, x0: number, y0: number, width: number, height: number, withBands: boolean): Strip30 {
  const w10 = BLOCK * width;
  const state = computeSurfaceState(layout, { x0: BLOCK * x0, y0: BLOCK * y0, width: w10, height: BLOCK * height }, OLI_SET);
  const n = width * height;
  const strip: Strip30 = {
    width,
    height,
    reflectance: withBands ? state.bands.map(() => new Float64Array(n)) : [],
    fraction: new Float32Array(n),
    flags: new Uint8Array(n),
    land: new Uint8Array(n),
  };
  const landBit = TRUTH.land;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const q = j * width + i;
      const first = BLOCK * j * w10 + BLOCK * i;
      let fraction = 0;
      let flags = 0;
      let land = 0;
      for (let dy = 0; dy < BLOCK; dy++) {
        for (let dx = 0; dx < BLOCK; dx++) {
          const p = first + dy * w10 + dx;
          fraction += state.fraction[p];
          flags |= state.flags[p];
          if (state.flags[p] & landBit) land++;
        }
      }
      strip.fraction[q] = fraction / CELLS;
      strip.flags[q] = flags;
      strip.land[q] = land;
      for (let b = 0; b < strip.reflectance.length; b++) {
        const refl = state.bands[b];
        let sum = 0;
        for (let dy = 0; dy < BLOCK; dy++) for (let dx = 0; dx < BLOCK; dx++) sum += refl[first + dy * w10 + dx];
        strip.reflectance[b][q] = sum / CELLS;
      }
    }
  }
  return strip;
}

/** Noise stream of OLI band `b` (apart from the Sentinel-2 streams 0–15: another instrument, other noise). */
function noiseStream(bandIndex: number): number {
  return 32 + bandIndex;
}

/**
 * QA_PIXEL of pixel (i, j) of `strip` (its inner area starts at (1, 1): the strip is padded by
 * one pixel for the dilation). Fill (any of the nine 10 m pixels nodata) is 1. Cloud (bit 3):
 * any of the nine is cloud in the truth (density above the generator's 0.02). Dilated cloud
 * (bit 1): not cloud, with a cloud pixel among its eight neighbours (USGS dilates CFMask's cloud;
 * one 30 m pixel here, the width of the soft edge the truth's cloud already includes). Cloud
 * shadow (bit 4): not cloud, any of the nine shadowed. Clear (bit 6): neither cloud nor dilated
 * cloud (LSDS-1619: shadowed pixels stay "clear"). Water (bit 7): clear or shadowed, fewer than
 * five of the nine land, mean canopy under 0.5. No cirrus (bit 2) or snow (bit 5): the generator
 * has neither.
 */
function qaValue(strip: Strip30, i: number, j: number): number {
  const { width, flags } = strip;
  const q = j * width + i;
  if (flags[q] & TRUTH.nodata) return QA_FILL;
  const cloudBit = TRUTH.cloud;
  const cloud = (flags[q] & cloudBit) !== 0;
  let dilated = false;
  if (!cloud) {
    for (let dy = -1; dy <= 1 && !dilated; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (flags[q + dy * width + dx] & cloudBit) {
          dilated = true;
          break;
        }
      }
    }
  }
  const shadow = !cloud && (flags[q] & TRUTH.shadow) !== 0;
  let value = CONFIDENCE.snowLow | CONFIDENCE.cirrusLow;
  value |= cloud ? CONFIDENCE.cloudHigh : CONFIDENCE.cloudLow;
  value |= shadow ? CONFIDENCE.shadowHigh : CONFIDENCE.shadowLow;
  if (cloud) value |= 1 << QA_PIXEL_BITS.cloud;
  if (dilated) value |= 1 << QA_PIXEL_BITS.dilatedCloud;
  if (shadow) value |= 1 << QA_PIXEL_BITS.cloudShadow;
  if (!cloud && !dilated) {
    value |= 1 << QA_PIXEL_BITS.clear;
    if (strip.land[q] < QA_WATER_MAX_LAND && strip.fraction[q] < QA_WATER_MAX_CANOPY) value |= 1 << QA_PIXEL_BITS.water;
  }
  return value;
}

/**
 * Band values over `window` of the 30 m grid, strip by strip (memory bounded by the strip): SR
 * bands as Collection 2 DN of the nine-pixel mean reflectance plus sensor noise (σ as for the
 * Sentinel-2 scene, an independent draw per 30 m pixel), 0 where any of the nine is nodata;
 * QA_PIXEL from the truth (see {@link qaValue}).
 */
export function readLandsatWindow(layout: SceneLayout, bands: readonly string[], window: PixelWindow, noise: boolean): Record<string, Uint16Array> {
  const out: Record<string, Uint16Array> = {};
  for (const band of bands) out[band] = new Uint16Array(window.width * window.height);
  const reflective = bands.filter((band) => band !== 'QA_PIXEL').map((band) => ({ band, index: OLI_SAMPLE_BANDS.indexOf(band as never) }));
  const wantQa = bands.includes('QA_PIXEL');
  const rowNoise = new Float64Array(window.width);
  for (let r0 = 0; r0 < window.height; r0 += STRIP_ROWS_30) {
    const rows = Math.min(STRIP_ROWS_30, window.height - r0);
    // Padded by one 30 m pixel all round, so the cloud dilation sees its neighbours.
    const strip = aggregate(layout, window.x0 - 1, window.y0 + r0 - 1, window.width + 2, rows + 2, reflective.length > 0);
    for (let j = 0; j < rows; j++) {
      const row = window.y0 + r0 + j;
      const target = (r0 + j) * window.width;
      const source = (j + 1) * strip.width + 1;
      for (const { band, index } of reflective) {
        rowNoise.fill(0);
        if (noise) addGaussianRow(layout.seeds.sensor, window.x0, window.width, row, noiseStream(index), SCENE_PARAMS.noiseSigma, rowNoise, 0);
        const refl = strip.reflectance[index];
        const values = out[band];
        for (let i = 0; i < window.width; i++) {
          if (strip.flags[source + i] & TRUTH.nodata) continue;
          values[target + i] = encodeLandsatDn(refl[source + i] + rowNoise[i]);
        }
      }
      if (wantQa) {
        const qa = out.QA_PIXEL;
        for (let i = 0; i < window.width; i++) qa[target + i] = qaValue(strip, i + 1, j + 1);
      }
    }
  }
  return out;
}

/** Ground truth over `window` of the 30 m grid (see `LandsatSampleScene.readTruth`). */
export function readLandsatTruth(layout: SceneLayout, window: PixelWindow): { canopyFraction: Float32Array; flags: Uint8Array } {
  const canopyFraction = new Float32Array(window.width * window.height);
  const flags = new Uint8Array(window.width * window.height);
  for (let r0 = 0; r0 < window.height; r0 += STRIP_ROWS_30) {
    const rows = Math.min(STRIP_ROWS_30, window.height - r0);
    const strip = aggregate(layout, window.x0, window.y0 + r0, window.width, rows, false);
    canopyFraction.set(strip.fraction, r0 * window.width);
    flags.set(strip.flags, r0 * window.width);
  }
  return { canopyFraction, flags };
}

/**
 * The Landsat scene of `layout`, whose truth field is `width10` × `height10` 10 m pixels from
 * `origin` (the 30 m grid covers it with whole pixels, reaching up to 20 m past its east and
 * south edges when a side is not a multiple of 3: the field is defined there too).
 */
export function createLandsatScene(
  layout: SceneLayout,
  grid10: Grid,
  sensor: LandsatSampleSensor,
  noise: boolean,
  date?: string,
): LandsatSampleScene {
  const width = Math.ceil(grid10.width / BLOCK);
  const height = Math.ceil(grid10.height / BLOCK);
  const grid: Grid = {
    width,
    height,
    transform: { ...grid10.transform, pixelWidth: BLOCK * grid10.transform.pixelWidth, pixelHeight: BLOCK * grid10.transform.pixelHeight },
    crs: grid10.crs,
  };
  const acquisition = landsatAcquisition(sensor, date);
  return {
    sensor,
    grid,
    extent10: { width: grid10.width, height: grid10.height },
    bands: LANDSAT_SAMPLE_BANDS,
    acquisition,
    readBands(bands, window) {
      const missing = bands.filter((band) => !LANDSAT_SAMPLE_BANDS.includes(band));
      if (missing.length) throw new MissingBandError(missing, [...LANDSAT_SAMPLE_BANDS]);
      checkWindow(window, width, height, '30 m');
      return readLandsatWindow(layout, bands, window, noise);
    },
    readTruth(window) {
      checkWindow(window, width, height, '30 m');
      return readLandsatTruth(layout, window);
    },
  };
}
