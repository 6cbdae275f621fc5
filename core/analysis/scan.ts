import type { BandStack } from '../raster/band-stack.js';
import type { PixelWindow } from '../raster/grid.js';
import type { AoiMask } from './aoi-mask.js';
import type { BandName } from './bands.js';
import { type Candidates, type NearMiss, type PixelValues, createCandidates } from './candidates.js';
import { Histogram } from './histogram.js';
import { LAYER_STYLES, LayerAccumulator, type LayerSink } from './layers.js';
import { MASK } from './mask-values.js';
import type { MethodPlugin } from './methods/method-plugin.js';
import type { LayerName } from './options.js';
import type { RunList } from './runs.js';
import { type ShoreSummary, resolveShore } from './shore.js';
import type { RedEdgeMode } from './sharpen.js';
import { StripKernel, type StripSink } from './strip-kernel.js';
import type { Thresholds } from './thresholds.js';
import { WATER_CELL_PX, WaterField } from './water-field.js';
import { type SensorId, getSensor } from '../sensors/registry.js';

/** Pixel counts by class over the analysed window. */
export interface PixelCounts {
  total: number;
  valid: number;
  nodata: number;
  cloud: number;
  shadow: number;
  land: number;
  /** Water within the shore zone that was not analysed (only without B03, when the 10 m shore test cannot run). */
  coast: number;
  water: number;
  kelp: number;
  /**
   * With an exact area of interest (a polygon): pixels of the window outside it, left out of
   * every count above (`total` is the pixels inside), and pixels of it beyond the scene's edge.
   */
  outsideAoi?: number;
  aoiOutsideScene?: number;
}

/** How the red edge was brought to 10 m (see sharpen.ts). */
export interface SharpeningSummary {
  /** Strips where B06 was a 20 m band and was sharpened, and those whose gain was regressed on the strip. */
  strips: number;
  regressed: number;
  /** Median regressed gain (NaN when none). */
  gain: number;
}

/** What one streaming pass over the scene gathers; everything later is computed from it. */
export interface SceneScan {
  window: PixelWindow;
  /** The analysis mask over the window (`MASK` values: 1 kelp, 0 water, land, 255), row-major. */
  mask: Uint8Array;
  counts: PixelCounts;
  /** Runs of kelp pixels, in row-major order. */
  runs: RunList;
  /** Per kelp pixel, in the order of `runs`: FAI (shore FAI in the shore zone) and the method's index values. */
  kelp: PixelValues;
  /** Water pixels beside kelp, with their values (for the threshold's sensitivity). */
  nearMiss: NearMiss;
  /** Local open-water FAI on a grid of cells. */
  water: WaterField;
  /** Open-water FAI over the whole window. */
  waterFai: Histogram;
  /** Pixel noise of the method's indices and FAI over open water (robust σ), by index name. */
  noise: Record<string, number>;
  sharpening: SharpeningSummary;
  shore: ShoreSummary;
  layers: LayerAccumulator | undefined;
}

export interface ScanPlan {
  /** The sensor (its id: the plan travels to worker threads as data): quality table and wavelengths. */
  sensor: SensorId;
  method: MethodPlugin;
  thresholds: Thresholds;
  /** Bands whose absence or nodata makes a pixel nodata. */
  required: BandName[];
  /** All bands to read (required plus the optional ones present). */
  read: BandName[];
  window: PixelWindow;
  /** Rows per strip; a multiple of `WATER_CELL_PX`. */
  stripRows: number;
  /** The shore zone's width in pixels. */
  shoreBufferPx: number;
  /** How the 20 m red edge meets the 10 m red (default `sharpened`; see sharpen.ts). */
  redEdge?: RedEdgeMode;
  /** The area of interest on the window (aoi-mask.ts, plain typed arrays a worker can take); pixels outside it count as nodata. */
  aoi?: AoiMask;
  /** The layers to make (`names`; `LayerAccumulator` to accumulate into, or a band's share of one in a worker). */
  layers: LayerSink | undefined;
  /** Which layers, when `layers` is a band's share (the accumulator says it itself). */
  layerNames?: readonly LayerName[];
  signal?: AbortSignal;
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
}

/**
 * What a pass over some rows of the window gathers: only facts of those rows' own strips (see
 * strip-kernel.ts), so the passes over the bands of a window, put together in row order, are
 * the pass over the window, whoever made them.
 */
export interface RowsScan {
  /** Window rows `[y0, y1)`, whole strips from the window's first row. */
  rows: { y0: number; y1: number };
  /** Those rows of the analysis mask. */
  mask: Uint8Array;
  counts: { nodata: number; cloud: number; shadow: number };
  /** Candidate kelp runs (window rows) with their values, and water pixels beside method kelp. */
  candidates: Candidates;
  nearMiss: NearMiss;
  /** The window's water cells, those of these rows measured. */
  water: WaterField;
  waterFai: Histogram;
  /** |Differences| of each of `noiseNames` over water pairs, in the order sampled. */
  noiseNames: readonly string[];
  noise: number[][];
  sharpening: { strips: number; regressed: number; gains: number[] };
  shoreTest: boolean;
}

/**
 * One pass over the window in strips of rows (see strip-kernel.ts), then the shore step.
 * Memory: one strip of bands and indices, the 1-byte mask, a grid of water cells, and what is
 * proportional to the kelp found.
 */
export async function scanScene(stack: BandStack, plan: ScanPlan): Promise<SceneScan> {
  return finishScan(plan, await scanRows(stack, plan));
}

/** The strips of window rows `[y0, y1)` (default the whole window; `y0` a multiple of the strip height). */
export async function scanRows(stack: BandStack, plan: ScanPlan, rows = { y0: 0, y1: plan.window.height }): Promise<RowsScan> {
  const { window } = plan;
  if (plan.stripRows % WATER_CELL_PX !== 0) throw new RangeError(`strip rows (${plan.stripRows}) must be a multiple of ${WATER_CELL_PX}`);
  if (rows.y0 % plan.stripRows !== 0) throw new RangeError(`a band of rows starts on a strip (${rows.y0} is not a multiple of ${plan.stripRows})`);
  const mask = new Uint8Array(window.width * (rows.y1 - rows.y0));
  const maxRows = Math.min(plan.stripRows, window.height);
  const layerNames = plan.layers instanceof LayerAccumulator ? plan.layers.layers : (plan.layerNames ?? []);
  const extraIndices = layerNames.flatMap((layer) => LAYER_STYLES[layer].sources.filter((s) => !/^B/.test(s)));
  const sensor = getSensor(plan.sensor);
  const kernel = new StripKernel(
    {
      method: plan.method,
      thresholds: plan.thresholds,
      required: plan.required,
      redEdge: plan.redEdge ?? 'sharpened',
      extraIndices,
      ...(plan.aoi ? { aoi: plan.aoi } : {}),
      quality: sensor.quality.toPixel,
      spectral: { faiBaselineWeight: sensor.faiBaselineWeight },
      swirOnGrid: sensor.bands.some((band) => band.role === 'swir1' && band.resolutionM <= sensor.pixelSizeM),
    },
    window.width,
    maxRows,
  );
  const { candidates, nearMiss } = createCandidates(kernel.scoreNames);
  const water = new WaterField(window.width, window.height);
  const waterFai = new Histogram(-0.2, 0.2, 4000);
  const noise = kernel.noiseNames.map(() => [] as number[]);
  const gains: number[] = [];
  const sink: StripSink = {
    mask,
    counts: { nodata: 0, cloud: 0, shadow: 0 },
    candidates,
    nearMiss,
    waterCells: StripKernel.cellHistograms(window.width, maxRows),
    waterFai,
    addNoise: (k, value) => noise[k].push(value),
    sharpening: { strips: 0, regressed: 0, gains },
    shoreTest: stack.has('B03'),
  };
  for (let y = rows.y0; y < rows.y1; y += plan.stripRows) {
    if (plan.signal?.aborted) throw plan.signal.reason;
    const height = Math.min(plan.stripRows, rows.y1 - y);
    const strip = { x0: window.x0, y0: window.y0 + y, width: window.width, height };
    const bands = await stack.read(plan.read, strip, plan.signal);
    const offset = (y - rows.y0) * window.width;
    const stripSink = { ...sink, mask: mask.subarray(offset, offset + height * window.width) };
    const { values, classes } = kernel.scan(bands, y, height, stripSink);
    for (let r = 0; r < Math.ceil(height / WATER_CELL_PX); r++) water.takeRow(y / WATER_CELL_PX + r, sink.waterCells, r);
    plan.layers?.add(y, height, bands, values, classes);
    plan.onProgress?.(y + height - rows.y0, rows.y1 - rows.y0);
  }
  return { rows, mask, counts: sink.counts, candidates, nearMiss, water, waterFai, noiseNames: kernel.noiseNames, noise, sharpening: sink.sharpening, shoreTest: sink.shoreTest };
}

/** The steps over the whole window once every strip is in: water cells filled, the shore zone decided, counts, noise. */
export function finishScan(plan: ScanPlan, scan: RowsScan): SceneScan {
  const { window } = plan;
  scan.water.fill();
  const shore = resolveShore(scan.mask, window.width, window.height, scan.candidates, plan.shoreBufferPx, scan.shoreTest);
  return {
    window,
    mask: scan.mask,
    counts: countPixels(scan.mask, scan.counts),
    runs: shore.runs,
    kelp: shore.values,
    nearMiss: scan.nearMiss,
    water: scan.water,
    waterFai: scan.waterFai,
    noise: Object.fromEntries(scan.noiseNames.map((name, k) => [name, robustSigma(scan.noise[k])])),
    sharpening: { strips: scan.sharpening.strips, regressed: scan.sharpening.regressed, gain: median(scan.sharpening.gains) },
    shore: shore.summary,
    layers: plan.layers instanceof LayerAccumulator ? plan.layers : undefined,
  };
}

/** Counts the resolved mask's classes, with nodata, cloud and shadow from the scan. */
function countPixels(mask: Uint8Array, scanned: { nodata: number; cloud: number; shadow: number }): PixelCounts {
  let land = 0;
  let coast = 0;
  let water = 0;
  let kelp = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i];
    if (v === MASK.water) water++;
    else if (v === MASK.kelp) kelp++;
    else if (v === MASK.land) land++;
    else if (v === MASK.coast) coast++;
  }
  const valid = mask.length - scanned.nodata;
  return { total: mask.length, valid, ...scanned, land, coast, water, kelp };
}

/**
 * Robust σ of one pixel's value from |differences| of pixel pairs: for Gaussian noise the
 * difference of two independent draws has σ√2, and its median absolute value is 0.6745 σ√2.
 */
function robustSigma(differences: number[]): number {
  const m = median(differences);
  return Number.isNaN(m) ? NaN : m / (0.6745 * Math.SQRT2);
}

function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
