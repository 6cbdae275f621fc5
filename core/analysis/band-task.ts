/**
 * One band of rows of a scan as a task another thread can run: everything in it is plain data
 * (structured-clonable), the files are reached through byte sources the runner supplies, and the
 * answer (`BandPartial`) is plain typed arrays. `scanBand` is the whole of a worker's job.
 */
import type { Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import type { BandFileFacts } from '../raster/band-reader.js';
import type { ByteSource } from '../raster/byte-source.js';
import { BandStack, type OpenStackOptions, type SceneInput } from '../raster/band-stack.js';
import type { Inflate } from '../raster/tile-decode.js';
import { type BandLayers, BandLayerSink } from './band-layers.js';
import type { PixelValueArrays } from './candidates.js';
import { getMethod } from './methods/registry.js';
import { getSensor } from '../sensors/registry.js';
import type { LayerName } from './options.js';
import type { RunArrays } from './runs.js';
import { type ScanPlan, scanRows } from './scan.js';
import { WATER_CELL_PX, type WaterCellRows } from './water-field.js';

/** A scene input without its sources: they are passed beside it, in this order. */
export type InputPlan = { kind: 'multiband'; bands?: string[] } | { kind: 'per-band'; keys: string[]; facts?: Record<string, BandFileFacts> };

/** What one band of a scan needs, all plain data. */
export interface BandTask {
  /** Tasks of one scan share it: a runner may keep the opened files between them. */
  scanId: string;
  input: InputPlan;
  open: Pick<OpenStackOptions, 'maxPixels' | 'boaAddOffset' | 'sensor'>;
  /** The scan's plan as data: the method by name, the layers by name with the window rows each output row averages. */
  scan: Omit<ScanPlan, 'method' | 'layers' | 'layerNames' | 'signal' | 'onProgress'> & { method: string; layers?: { names: LayerName[]; factor: number } };
  /** Window rows `[y0, y1)`; `y0` and, unless it is the window's end, `y1` are multiples of `stripRows`. */
  rows: { y0: number; y1: number };
}

/** What a band's scan found (a `RowsScan` as plain arrays), in window coordinates, ready to merge in row order. */
export interface BandPartial {
  rows: { y0: number; y1: number };
  /** The band's rows of the analysis mask. */
  mask: Uint8Array;
  counts: { nodata: number; cloud: number; shadow: number };
  candidates: { runs: RunArrays; values: PixelValueArrays };
  nearMiss: { rows: Int32Array; cols: Int32Array; values: PixelValueArrays };
  /** The band's rows of water cells. */
  water: WaterCellRows;
  /** Bin counts of the open-water FAI histogram. */
  waterFai: Float64Array;
  noise: Float64Array[];
  sharpening: { strips: number; regressed: number; gains: Float64Array };
  shoreTest: boolean;
  layers?: BandLayers;
}

/** What running a band needs from its thread. */
export interface BandRunDeps {
  inflate?: Inflate;
  /** Decodes JPEG 2000 band files in this thread. */
  jpeg2000?: Jpeg2000Decoder;
  signal?: AbortSignal;
  /** Called after each strip with the rows it scanned. */
  onRows?: (rows: number) => void;
  /** Opened stacks by scan id, kept by the runner between tasks of one scan. */
  stacks?: Map<string, Promise<BandStack>>;
}

/** Splits a scene input into its plan and its sources (in plan order). */
export function describeInput(input: SceneInput): { plan: InputPlan; sources: ByteSource[] } {
  if (input.kind === 'multiband') return { plan: { kind: 'multiband', ...(input.bands ? { bands: input.bands } : {}) }, sources: [input.source] };
  const keys = Object.keys(input.sources);
  return { plan: { kind: 'per-band', keys, ...(input.facts ? { facts: input.facts } : {}) }, sources: keys.map((key) => input.sources[key]) };
}

/** The scene input of a plan over its sources. */
export function bindInput(plan: InputPlan, sources: readonly ByteSource[]): SceneInput {
  if (plan.kind === 'multiband') return { kind: 'multiband', source: sources[0], ...(plan.bands ? { bands: plan.bands } : {}) };
  return { kind: 'per-band', sources: Object.fromEntries(plan.keys.map((key, i) => [key, sources[i]])), ...(plan.facts ? { facts: plan.facts } : {}) };
}

/**
 * Scans the band of `task` over files read through `sources`: opens them (or takes the stack
 * this runner opened for the same scan), then the same strip loop as a sequential scan.
 *
 * @example
 * ```ts
 * const partial = await scanBand(task, proxiedSources, { inflate: zlibInflate, onRows: report });
 * ```
 */
export async function scanBand(task: BandTask, sources: readonly ByteSource[], deps: BandRunDeps = {}): Promise<BandPartial> {
  const stack = await openStack(task, sources, deps);
  const { window, layers } = task.scan;
  const { y0, y1 } = task.rows;
  const sink = layers ? new BandLayerSink(layers.names, window.width, window.height, layers.factor, y0, y1) : undefined;
  let done = 0;
  const scan = await scanRows(
    stack,
    {
      ...task.scan,
      method: getMethod(task.scan.method, getSensor(task.scan.sensor)),
      layers: sink,
      layerNames: layers?.names,
      signal: deps.signal,
      onProgress: (rows) => {
        deps.onRows?.(rows - done);
        done = rows;
      },
    },
    task.rows,
  );
  return {
    rows: task.rows,
    mask: scan.mask,
    counts: scan.counts,
    candidates: { runs: scan.candidates.runs.toArrays(), values: scan.candidates.values.toArrays() },
    nearMiss: { rows: Int32Array.from(scan.nearMiss.rows), cols: Int32Array.from(scan.nearMiss.cols), values: scan.nearMiss.values.toArrays() },
    water: scan.water.cellRows(y0 / WATER_CELL_PX, Math.ceil(y1 / WATER_CELL_PX)),
    waterFai: scan.waterFai.binCounts(),
    noise: scan.noise.map((values) => Float64Array.from(values)),
    sharpening: { strips: scan.sharpening.strips, regressed: scan.sharpening.regressed, gains: Float64Array.from(scan.sharpening.gains) },
    shoreTest: scan.shoreTest,
    ...(sink ? { layers: sink.result() } : {}),
  };
}

/** The buffers of a partial, to transfer rather than copy to another thread. */
export function partialBuffers(partial: BandPartial): ArrayBuffer[] {
  const { mask, candidates, nearMiss, water, waterFai, noise, sharpening, layers } = partial;
  const columns = (values: PixelValueArrays) => [values.fai, values.faiShore, values.shore, ...values.scores];
  const arrays: ArrayBufferView[] = [mask, waterFai, ...noise, sharpening.gains, water.median, water.spread, water.count];
  arrays.push(candidates.runs.rows, candidates.runs.x0s, candidates.runs.x1s, candidates.runs.weights, ...columns(candidates.values));
  arrays.push(nearMiss.rows, nearMiss.cols, ...columns(nearMiss.values));
  for (const edge of [layers?.head, layers?.tail]) if (edge) arrays.push(edge.classes, ...edge.values.filter((v): v is Float32Array => v !== null));
  if (layers?.interior) arrays.push(layers.interior.counts, ...layers.interior.sums);
  // A buffer may back several views; each is transferred once. Shared memory is never transferred.
  return [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

function openStack(task: BandTask, sources: readonly ByteSource[], deps: BandRunDeps): Promise<BandStack> {
  const cached = deps.stacks?.get(task.scanId);
  if (cached) return cached;
  const opened = BandStack.open(bindInput(task.input, sources), { ...task.open, inflate: deps.inflate, jpeg2000: deps.jpeg2000, signal: deps.signal });
  deps.stacks?.set(task.scanId, opened);
  opened.catch(() => deps.stacks?.delete(task.scanId));
  return opened;
}
