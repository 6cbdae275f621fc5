/**
 * Synthetic coastal Sentinel-2 L2A scenes (or the same place as Landsat 8/9 C2 L2, see
 * `landsat.ts`) with ground truth, generated procedurally: any window
 * of any size of scene, deterministically from (seed, pixel coordinates), without generating
 * the rest. Used to test the classifier, as the bundled sample and by the benchmark.
 */
import type { BandName } from '../analysis/bands.js';
import { InvalidRequestError, MissingBandError } from '../errors.js';
import type { Crs, Grid, PixelWindow } from '../raster/grid.js';
import { ALL_FEATURES, createLayout } from './layout.js';
import type { SampleFeature, SceneVariation } from './layout.js';
import { type LandsatSampleScene, type LandsatSampleSensor, createLandsatScene } from './landsat.js';
import { BANDS_10, BANDS_20, readTruthWindow, readWindow10, readWindow20 } from './read-window.js';
import { checkWindow } from './window.js';

export { TRUTH } from './surface-state.js';
export type { SampleFeature, SceneVariation } from './layout.js';
export type { LandsatSampleScene, LandsatSampleSensor } from './landsat.js';

/** Sensors a sample scene can be rendered for. */
export const SAMPLE_SENSORS = ['sentinel-2', 'landsat-8', 'landsat-9'] as const;
export type SampleSensor = (typeof SAMPLE_SENSORS)[number];

/** Options of {@link createSampleScene}. */
export interface SampleSceneOptions {
  /**
   * Size of the truth field in 10 m pixels (a Landsat scene covers it with `ceil(size / 3)`
   * 30 m pixels a side: the same place).
   */
  width: number;
  height: number;
  /**
   * `sentinel-2` (default): Sentinel-2 L2A at 10 m and 20 m. `landsat-8` or `landsat-9`: the same
   * truth field (same seed, layout and place) as Landsat 8/9 OLI Collection 2 Level-2 at 30 m,
   * bands SR_B1…SR_B7 and QA_PIXEL (see `landsat.ts`).
   */
  sensor?: SampleSensor;
  /** Landsat only: the acquisition date, `YYYY-MM-DD` (default 2023-08-15). */
  date?: string;
  /** Default 1. */
  seed?: number;
  /**
   * Default `'04.00'`: DN = round(reflectance × 10000) + 1000 (BOA_ADD_OFFSET −1000);
   * before `'04.00'` (e.g. `'02.14'`): DN = round(reflectance × 10000). DN is clamped to
   * 1…65535; 0 is nodata.
   */
  processingBaseline?: string;
  /** Default EPSG:32610 (WGS 84 / UTM 10N), origin (590000, 4060000) off the Monterey Peninsula. */
  epsg?: number;
  originX?: number;
  originY?: number;
  /** Switch features off; all are on by default. */
  features?: Partial<Record<SampleFeature, boolean>>;
  /**
   * `uniform` (default) or `natural`: canopy brightness and density varying between scenes, beds
   * and within beds, a turbid plume, a glint gradient, beds touching the shore (see `layout.ts`).
   */
  variation?: SceneVariation;
  /**
   * Scales every kelp bed about its centre (default 1): the canopy area goes with its square,
   * the beds stay where they are. Scenes of one seed at falling scales are a bed in decline, as
   * the tests of monitored sites use them.
   */
  canopyScale?: number;
}

/** A synthetic Sentinel-2 scene: a 10 m grid, band readers and ground truth. */
export interface SampleScene {
  sensor: 'sentinel-2';
  /** The 10 m grid. */
  grid: Grid;
  processingBaseline: string;
  /** −1000 for baseline 04.00 and later, else 0. */
  boaAddOffset: number;
  /** `['B02', 'B03', 'B04', 'B08']`. */
  bands10: readonly BandName[];
  /** `['B05', 'B06', 'B11', 'B12', 'SCL']`. */
  bands20: readonly BandName[];
  /**
   * DN (uint16) for `bands` over `window`, given in pixels of the `resolutionM` grid. At a
   * band's native resolution: 20 m pixel (c, r) covers 10 m pixels 2c…2c+1, 2r…2r+1 and its
   * reflectance is the mean of those four. A 20 m band read at 10 m is its native value repeated
   * 2 × 2; a 10 m band read at 20 m is the 2 × 2 mean. SCL codes come in the same arrays.
   */
  readBands(bands: readonly BandName[], window: PixelWindow, resolutionM: 10 | 20): Record<string, Uint16Array>;
  /** Ground truth on the 10 m grid: canopy fraction 0–1 (0 where no kelp) and `TRUTH` bit flags. */
  readTruth(window: PixelWindow): { canopyFraction: Float32Array; flags: Uint8Array };
}

/** Default origin: UTM 10N, just west of the Monterey Peninsula (multiples of 20 m). */
const DEFAULT_ORIGIN = { x: 590000, y: 4060000 };

/** Largest scene side accepted, pixels (ten Sentinel-2 tiles). */
const MAX_SIDE = 109800;

/** The CRS of a WGS 84 / UTM EPSG code (326zz north, 327zz south), the only kind sample scenes use. */
function utmCrs(epsg: number): Crs {
  const zone = epsg % 100;
  const base = epsg - zone;
  if (!Number.isInteger(epsg) || (base !== 32600 && base !== 32700) || zone < 1 || zone > 60) {
    throw new InvalidRequestError(`sample scenes use WGS 84 / UTM (EPSG:326zz or 327zz), got EPSG:${epsg}`, { epsg });
  }
  const south = base === 32700 ? ' +south' : '';
  return { epsg, kind: 'projected', proj4: `+proj=utm +zone=${zone}${south} +datum=WGS84 +units=m +no_defs` };
}

/** BOA_ADD_OFFSET for a processing baseline `NN.NN`. */
function offsetForBaseline(baseline: string): number {
  if (!/^\d{2}\.\d{2}$/.test(baseline)) {
    throw new InvalidRequestError(`processingBaseline must look like "04.00", got "${baseline}"`, { baseline });
  }
  return Number(baseline) >= 4 ? -1000 : 0;
}

/**
 * Creates a synthetic coastal scene (see `layout.ts` for what is in it). Cheap: the layout is
 * listed once, pixels are generated only when read.
 *
 * @example
 * ```ts
 * const scene = createSampleScene({ width: 512, height: 512, seed: 1 });
 * const { B04, B08 } = scene.readBands(['B04', 'B08'], { x0: 0, y0: 0, width: 512, height: 512 }, 10);
 * const { SCL } = scene.readBands(['SCL'], { x0: 0, y0: 0, width: 256, height: 256 }, 20);
 * ```
 */
export function createSampleScene(options: SampleSceneOptions & { sensor?: 'sentinel-2' }): SampleScene;
export function createSampleScene(options: SampleSceneOptions & { sensor: LandsatSampleSensor }): LandsatSampleScene;
export function createSampleScene(options: SampleSceneOptions): SampleScene | LandsatSampleScene;
export function createSampleScene(options: SampleSceneOptions): SampleScene | LandsatSampleScene {
  const { width, height } = options;
  const sensor = options.sensor ?? 'sentinel-2';
  if (!SAMPLE_SENSORS.includes(sensor)) {
    throw new InvalidRequestError(`sensor must be one of ${SAMPLE_SENSORS.join(', ')}, got "${String(sensor)}"`, { sensor });
  }
  if (sensor === 'sentinel-2' && options.date !== undefined) {
    throw new InvalidRequestError('date is for Landsat sample scenes only (a Sentinel-2 sample carries no acquisition date)', { date: options.date });
  }
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
      throw new InvalidRequestError(`${name} must be a whole number of pixels from 1 to ${MAX_SIDE}`, { [name]: value });
    }
  }
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new InvalidRequestError('seed must be an integer', { seed });
  const processingBaseline = options.processingBaseline ?? '04.00';
  const boaAddOffset = offsetForBaseline(processingBaseline);
  const crs = utmCrs(options.epsg ?? 32610);
  const grid: Grid = {
    width,
    height,
    transform: {
      originX: options.originX ?? DEFAULT_ORIGIN.x,
      originY: options.originY ?? DEFAULT_ORIGIN.y,
      pixelWidth: 10,
      pixelHeight: -10,
    },
    crs,
  };
  const features = { ...ALL_FEATURES, ...options.features };
  const variation = options.variation ?? 'uniform';
  if (variation !== 'uniform' && variation !== 'natural') {
    throw new InvalidRequestError(`variation must be "uniform" or "natural", got "${String(variation)}"`, { variation });
  }
  const canopyScale = options.canopyScale ?? 1;
  if (!(canopyScale > 0 && canopyScale <= 2)) throw new InvalidRequestError(`canopyScale must be above 0 and at most 2, got ${canopyScale}`, { canopyScale });
  const layout = createLayout(seed | 0, width, height, features, variation, canopyScale);
  const encoding = { boaAddOffset, noise: features.noise };
  if (sensor !== 'sentinel-2') return createLandsatScene(layout, grid, sensor, features.noise, options.date);
  const known = [...BANDS_10, ...BANDS_20];

  return {
    sensor,
    grid,
    processingBaseline,
    boaAddOffset,
    bands10: BANDS_10,
    bands20: BANDS_20,
    readBands(bands, window, resolutionM) {
      const missing = bands.filter((band) => !known.includes(band));
      if (missing.length) throw new MissingBandError(missing, known);
      if (resolutionM === 10) {
        checkWindow(window, width, height, '10 m');
        return readWindow10(layout, bands, window, encoding);
      }
      if (resolutionM === 20) {
        checkWindow(window, Math.ceil(width / 2), Math.ceil(height / 2), '20 m');
        return readWindow20(layout, bands, window, encoding);
      }
      throw new InvalidRequestError(`resolutionM must be 10 or 20, got ${String(resolutionM)}`);
    },
    readTruth(window) {
      checkWindow(window, width, height, '10 m');
      return readTruthWindow(layout, window);
    },
  };
}
