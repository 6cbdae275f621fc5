import { NoValidDataError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { BandExecutor } from '../ports/band-executor.js';
import type { Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import type { Logger } from '../ports/logger.js';
import { BandStack, type OpenStackOptions } from '../raster/band-stack.js';
import type { Compress } from '../raster/deflate.js';
import type { Inflate } from '../raster/tile-decode.js';
import { pixelAreaByRow } from '../raster/crs.js';
import type { Grid, PixelWindow } from '../raster/grid.js';
import { renderArtifacts } from '../artifacts/render.js';
import { type AoiMask, rasterizeAoi } from './aoi-mask.js';
import { measureAreaRanges } from './area-ranges.js';
import type { BandName } from './bands.js';
import { measureBeds } from './bed-areas.js';
import type { AnalyzeCommand } from './command.js';
import { SPECIES_FACTORS } from './factors.js';
import { localWater } from './fraction.js';
import { getIndex } from './indices/registry.js';
import { LayerAccumulator, layerBands } from './layers.js';
import { getMethod } from './methods/registry.js';
import { type AnalysisOptions, areaModeOf, methodOf, parseAnalysisOptions, sensorOf } from './options.js';
import { sensorBandName } from '../raster/band-stack.js';
import type { SensorId } from '../sensors/registry.js';
import { ROLE_SLOTS } from '../sensors/sensor.js';
import type { AnalysisResult, Artifact } from './result.js';
import { buildResult } from './summarize.js';
import { scanWindow } from './parallel-scan.js';
import type { SceneScan } from './scan.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

export type { AnalyzeCommand } from './command.js';

/** Bands read when present: they widen the masks (SCL, glint guard) and the layers. */
const OPTIONAL_BANDS: BandName[] = ['B02', 'B03', 'SCL'];

/** Rows per strip: bounds memory to ~ width × 256 × (bands + indices) × 4 bytes. */
export const STRIP_ROWS = 256;

/** What the analysis needs from the world. */
export interface AnalyzeDeps {
  clock: Clock;
  logger?: Logger;
  codeVersion: string;
  /** Largest image accepted, width × height, checked from the header. */
  maxImagePixels?: number;
  signal?: AbortSignal;
  /** Called after each strip: rows done of total. */
  onProgress?: (done: number, total: number) => void;
  compress?: Compress;
  /** How deflate tiles are inflated; default the Web-standard `DecompressionStream` (Node passes its zlib). */
  inflate?: Inflate;
  /** Runs bands of a large window in parallel (worker threads); without it the scan runs in-process. */
  executor?: BandExecutor;
  /** Decodes JPEG 2000 band files (a .SAFE's) in this thread; without it they are refused. */
  jpeg2000?: Jpeg2000Decoder;
}

/** Tells apart the scans of one process (two analyses of one id may run at once). */
let scans = 0;

/**
 * Analyses one Sentinel-2 scene: reads the bands strip by strip, masks, classifies, measures
 * beds, converts area to biomass and carbon, and renders the artifacts. Returns the result, the
 * artifacts (writing them is the caller's, see `saveAnalysis`) and the analysis mask on the
 * analysed window (`MASK` values: kelp, water, land, or 255 not observed), e.g. for scoring.
 *
 * @example
 * ```ts
 * const { result, artifacts } = await analyzeScene(
 *   { id, input: { kind: 'multiband', source }, source: { uri: key }, options: parseAnalysisOptions({ method: 'kd' }) },
 *   { clock: systemClock, codeVersion: '0.1.0' },
 * );
 * ```
 */
export async function analyzeScene(command: AnalyzeCommand, deps: AnalyzeDeps): Promise<{ result: AnalysisResult; artifacts: Artifact[]; mask: Uint8Array }> {
  const started = deps.clock.now();
  const options = command.options ?? parseAnalysisOptions({});
  const input = command.input.kind === 'multiband' && options.bands ? { ...command.input, bands: options.bands } : command.input;
  const boaAddOffset: OpenStackOptions['boaAddOffset'] =
    options.boaOffset !== undefined
      ? { value: options.boaOffset, origin: 'request' }
      : command.stacBoaOffset !== undefined
        ? { value: command.stacBoaOffset, origin: 'stac' }
        : undefined;
  const sensor = sensorOf(options, command.sensor);
  const methodName = methodOf(options, sensor);
  const open = { maxPixels: deps.maxImagePixels, boaAddOffset, sensor: sensor.id };
  const stack = await BandStack.open(input, { ...open, signal: deps.signal, inflate: deps.inflate, jpeg2000: deps.jpeg2000 });
  const method = getMethod(methodName, sensor);
  const { required, wanted } = sceneBands(options, sensor.id);
  const requiredNames = required.map((band) => sensorBandName(sensor, band));
  stack.require(required, `method "${method.name}" needs ${requiredNames.join(', ')}`);
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...sensor.thresholds, ...(options.thresholds as Partial<Thresholds>) };
  const window = command.window ?? { x0: 0, y0: 0, width: stack.grid.width, height: stack.grid.height };
  const layers = options.layers?.length ? new LayerAccumulator(options.layers, window.width, window.height) : undefined;
  const read = wanted.filter((band) => stack.has(band));
  const opened = deps.clock.now();

  const grid = windowGrid(stack.grid, window);
  const aoi = command.aoi ? rasterizeAoi(command.aoi, stack.grid, window) : undefined;
  const scan = await scanWindow(
    stack,
    {
      sensor: sensor.id,
      method,
      thresholds,
      required,
      read,
      window,
      stripRows: STRIP_ROWS,
      shoreBufferPx: Math.ceil(thresholds.coastBufferM / approximatePixelSizeM(grid) - 1e-9),
      redEdge: options.redEdge,
      ...(aoi ? { aoi } : {}),
      layers,
      signal: deps.signal,
      onProgress: deps.onProgress,
    },
    deps.executor && { executor: deps.executor, input, open, scanId: `${command.id}#${++scans}` },
  );
  if (aoi) scan.counts = countsInsideAoi(scan.counts, aoi);
  if (scan.counts.valid === 0) {
    throw new NoValidDataError(
      `${command.source.uri} has no valid pixel: every pixel is nodata (0, NaN or the file's nodata value) in at least one of ${requiredNames.join(', ')}`,
    );
  }
  const scanned = deps.clock.now();

  const rowAreaM2 = pixelAreaByRow(grid.crs, grid.transform, grid.height);
  const water = localWater(scan);
  const { beds, dropped, canopy } = measureBeds(scan, { rowAreaM2, minBedAreaM2: options.minBedAreaM2, water, canopyFai: options.canopyFai, pixelSizeM: approximatePixelSizeM(grid) });
  const ranges = measureAreaRanges(scan, beds, canopy, water, rowAreaM2, method, thresholds);
  const artifacts = await renderArtifacts(scan, beds, grid, areaModeOf(options, sensor), deps.compress);
  const finished = deps.clock.now();

  const result = buildResult({
    command,
    options,
    stack,
    grid,
    scan,
    beds,
    dropped,
    method,
    thresholds,
    fraction: {
      canopyFai: canopy.scene,
      canopyFaiSource: canopy.sceneSource,
      canopyFaiPixels: canopy.pixels,
      bedsWithOwnCanopyFai: canopy.beds,
      canopyFaiRange: canopy.range,
      ...water.summary,
    },
    ranges,
    factors: SPECIES_FACTORS[options.species],
    artifacts,
    codeVersion: deps.codeVersion,
    createdAt: new Date(finished).toISOString(),
    timings: { openMs: opened - started, scanMs: scanned - opened, bedsAndArtifactsMs: finished - scanned, totalMs: finished - started },
  });
  deps.logger?.info('analysis finished', { id: command.id, kelpAreaM2: result.kelp.areaM2, beds: beds.length, ms: finished - started });
  return { result, artifacts, mask: scan.mask };
}

/**
 * The band slots an analysis with `options` on `sensor` (default: the options', else
 * Sentinel-2) needs (the method's index inputs, plus B04, B08 and B11 — red, NIR, SWIR 1 — for
 * the masks) and all it would read when present (plus blue, green, the quality band and the
 * layers' bands the sensor has): a per-band source (STAC, a folder) opens only these. Refuses a
 * method the sensor cannot run.
 *
 * @example
 * ```ts
 * sceneBands(parseAnalysisOptions({})).required; // ['B06', 'B04', 'B08', 'B11']
 * sceneBands(parseAnalysisOptions({}), 'landsat-8').required; // ['B04', 'B08', 'B11'] (SR_B4, SR_B5, SR_B6)
 * ```
 */
export function sceneBands(options: AnalysisOptions, sensorId?: SensorId): { required: BandName[]; wanted: BandName[] } {
  const sensor = sensorOf(options, sensorId);
  const method = getMethod(methodOf(options, sensor), sensor);
  const required = [...new Set<BandName>([...method.indices.flatMap((name) => getIndex(name).inputs), 'B04', 'B08', 'B11'])];
  const has = (band: BandName) => sensor.bands.some((b) => ROLE_SLOTS[b.role] === band);
  return { required, wanted: [...new Set<BandName>([...required, ...OPTIONAL_BANDS, ...layerBands(options.layers ?? [])])].filter(has) };
}

/** The counts of the pixels inside the AOI: the scan counted those outside it as nodata. */
function countsInsideAoi(counts: SceneScan['counts'], aoi: AoiMask): SceneScan['counts'] {
  const outside = counts.total - aoi.inside;
  return { ...counts, total: aoi.inside, nodata: counts.nodata - outside, outsideAoi: outside, aoiOutsideScene: aoi.outsideGrid };
}

/** Pixel width in metres: exact for projected grids, at the window's centre latitude for geographic ones. */
function approximatePixelSizeM(grid: Grid): number {
  const t = grid.transform;
  if (grid.crs.kind === 'projected') return Math.abs(t.pixelWidth);
  const centreLat = t.originY + (grid.height / 2) * t.pixelHeight;
  return Math.abs(t.pixelWidth) * 111_320 * Math.cos((centreLat * Math.PI) / 180);
}

/** The grid of a window of `grid`. */
export function windowGrid(grid: Grid, window: PixelWindow): Grid {
  const t = grid.transform;
  return {
    width: window.width,
    height: window.height,
    crs: grid.crs,
    transform: { ...t, originX: t.originX + window.x0 * t.pixelWidth, originY: t.originY + window.y0 * t.pixelHeight },
  };
}
