import type { BandStack } from '../raster/band-stack.js';
import type { PixelWindow } from '../raster/grid.js';
import type { BandName } from './bands.js';
import { GrowableFloat32 } from './growable.js';
import { Histogram } from './histogram.js';
import { getIndex } from './indices/registry.js';
import { LayerAccumulator, type LayerSink } from './layers.js';
import { PIXEL, classifySurface } from './masks.js';
import type { MethodPlugin } from './methods/method-plugin.js';
import { RunList, appendRowRuns } from './runs.js';
import type { Thresholds } from './thresholds.js';

/**
 * Kelp-mask values (DESIGN.md): 1 kelp, 0 water without kelp, 255 masked (nodata, cloud, shadow,
 * land, coast). `land` and `coast` are working values the coast step turns into 255.
 */
export const MASK = { water: 0, kelp: 1, coast: 253, land: 254, masked: 255 } as const;

/** Pixel counts by class over the analysed window. */
export interface PixelCounts {
  total: number;
  valid: number;
  nodata: number;
  cloud: number;
  shadow: number;
  land: number;
  /** Water pixels within the coastal buffer, where 20 m bands mix land in; not analysed. */
  coast: number;
  water: number;
  kelp: number;
}

/** What one streaming pass over the scene gathers; everything later is computed from it. */
export interface SceneScan {
  window: PixelWindow;
  /** The kelp mask over the window (MASK values), row-major; 1 byte a pixel. */
  mask: Uint8Array;
  counts: PixelCounts;
  /** Runs of kelp pixels, in row-major order. */
  runs: RunList;
  /** FAI of every kelp pixel, in the order of `runs`. */
  kelpFai: GrowableFloat32;
  /** FAI of open-water pixels, for the water end-member of fractional cover. */
  waterFai: Histogram;
  layers: LayerAccumulator | undefined;
}

export interface ScanPlan {
  method: MethodPlugin;
  thresholds: Thresholds;
  /** Bands whose absence or nodata makes a pixel nodata. */
  required: BandName[];
  /** All bands to read (required plus the optional ones present). */
  read: BandName[];
  window: PixelWindow;
  stripRows: number;
  /** Where each strip's layer inputs go: the scene's accumulator, or a band's share of it. */
  layers: LayerSink | undefined;
  signal?: AbortSignal;
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
}

/**
 * One pass over the window in strips of rows: masks, indices, classification, and the
 * per-pixel facts later steps need. Memory: one strip of bands and indices, the 1-byte mask,
 * and what is proportional to the kelp found.
 */
export async function scanScene(stack: BandStack, plan: ScanPlan): Promise<SceneScan> {
  const { window, method, thresholds } = plan;
  const mask = new Uint8Array(window.width * window.height);
  const counts: PixelCounts = { total: 0, valid: 0, nodata: 0, cloud: 0, shadow: 0, land: 0, coast: 0, water: 0, kelp: 0 };
  const runs = new RunList();
  const kelpFai = new GrowableFloat32();
  const waterFai = new Histogram(-0.2, 0.2, 4000);
  const indexNames = [...new Set([...method.indices, 'fai'])];
  // Per-strip work arrays, allocated once for the tallest strip and reused (subarrays for the last).
  const capacity = window.width * Math.min(plan.stripRows, window.height);
  const classesBuffer = new Uint8Array(capacity);
  const waterBuffer = new Uint8Array(capacity);
  const kelpBuffer = new Uint8Array(capacity);
  const indexBuffers = new Map(indexNames.map((name) => [name, new Float32Array(capacity)]));
  for (let y = 0; y < window.height; y += plan.stripRows) {
    if (plan.signal?.aborted) throw plan.signal.reason;
    const rows = Math.min(plan.stripRows, window.height - y);
    const strip = { x0: window.x0, y0: window.y0 + y, width: window.width, height: rows };
    const n = strip.width * rows;
    const bands = await stack.read(plan.read, strip, plan.signal);
    const classes = classesBuffer.subarray(0, n);
    classifySurface(bands, plan.required, thresholds, classes);
    const values = new Map<string, Float32Array>();
    for (const name of indexNames) {
      const out = (indexBuffers.get(name) as Float32Array).subarray(0, n);
      getIndex(name).compute(bands, out);
      values.set(name, out);
    }
    const water = waterBuffer.subarray(0, n);
    for (let i = 0; i < n; i++) water[i] = classes[i] === PIXEL.water ? 1 : 0;
    const kelp = kelpBuffer.subarray(0, n);
    method.classify(values, thresholds, water, kelp);
    const fai = values.get('fai') as Float32Array;
    const stripMask = mask.subarray(y * window.width, y * window.width + n);
    for (let i = 0; i < n; i++) {
      const cls = kelp[i] ? PIXEL.kelp : classes[i];
      countPixel(counts, cls);
      if (cls === PIXEL.kelp) {
        stripMask[i] = MASK.kelp;
        kelpFai.push(fai[i]);
      } else if (cls === PIXEL.water) {
        stripMask[i] = MASK.water;
        waterFai.add(fai[i]);
      } else {
        stripMask[i] = cls === PIXEL.land ? MASK.land : MASK.masked;
      }
    }
    for (let r = 0; r < rows; r++) {
      appendRowRuns(runs, y + r, stripMask.subarray(r * window.width, (r + 1) * window.width));
    }
    plan.layers?.add(strip.y0 - window.y0, rows, bands, values, classes);
    plan.onProgress?.(y + rows, window.height);
  }
  return { window, mask, counts, runs, kelpFai, waterFai, layers: plan.layers instanceof LayerAccumulator ? plan.layers : undefined };
}

function countPixel(counts: PixelCounts, cls: number): void {
  counts.total++;
  switch (cls) {
    case PIXEL.nodata:
      counts.nodata++;
      return;
    case PIXEL.cloud:
      counts.cloud++;
      break;
    case PIXEL.shadow:
      counts.shadow++;
      break;
    case PIXEL.land:
      counts.land++;
      break;
    case PIXEL.water:
      counts.water++;
      break;
    case PIXEL.kelp:
      counts.kelp++;
      break;
  }
  counts.valid++;
}
