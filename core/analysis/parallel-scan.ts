/**
 * The scan of a window, in-process or split into bands of whole strips run by a `BandExecutor`
 * (worker threads) and merged in row order. Strips are scanned independently of each other, so
 * the merged scan equals the sequential one exactly: the same mask, the same runs in the same
 * order (beds are labelled afterwards, over the merged runs, so a bed crossing a seam is one
 * bed), the same pixel values and histogram counts, and layer sums added in the same order.
 */
import type { BandExecutor } from '../ports/band-executor.js';
import type { BandStack, OpenStackOptions, SceneInput } from '../raster/band-stack.js';
import { mergeBandLayers } from './band-layers.js';
import { type BandPartial, type BandTask, describeInput } from './band-task.js';
import { createCandidates } from './candidates.js';
import { Histogram } from './histogram.js';
import { type LayerAccumulator, layerSources } from './layers.js';
import { type RowsScan, type ScanPlan, type SceneScan, finishScan, scanScene } from './scan.js';
import { StripKernel } from './strip-kernel.js';
import { WaterField } from './water-field.js';

/** Bands per unit of parallelism: enough for the fast bands (land, nodata) to leave no worker idle. */
const BANDS_PER_WORKER = 4;

/** How to scan in parallel: the executor, and the scene as the workers open it. */
export interface ParallelScan {
  executor: BandExecutor;
  input: SceneInput;
  open: Pick<OpenStackOptions, 'maxPixels' | 'boaAddOffset' | 'sensor'>;
  /** Names this scan's tasks (unique per scan). */
  scanId: string;
}

/**
 * Scans `plan.window` of `stack`: on the executor when one is given, it has more than one worker
 * and the window is large enough (at least two strips and `executor.minPixels`), else in-process.
 *
 * @example
 * ```ts
 * const scan = await scanWindow(stack, plan, { executor, input, open: { maxPixels }, scanId: id });
 * ```
 */
export async function scanWindow(stack: BandStack, plan: ScanPlan & { layers: LayerAccumulator | undefined }, parallel?: ParallelScan): Promise<SceneScan> {
  const { window, stripRows } = plan;
  const executor = parallel?.executor;
  if (!parallel || !executor || executor.parallelism < 2 || window.height <= stripRows || window.width * window.height < executor.minPixels) {
    return scanScene(stack, plan);
  }
  const bands = planBands(window.height, stripRows, alignmentRows(stack.blockRows, stripRows, window.y0), executor.parallelism * BANDS_PER_WORKER);
  const { plan: input, sources } = describeInput(parallel.input);
  const task = (rows: { y0: number; y1: number }): BandTask => ({
    scanId: parallel.scanId,
    input,
    open: parallel.open,
    scan: {
      sensor: plan.sensor,
      method: plan.method.name,
      thresholds: plan.thresholds,
      required: plan.required,
      read: plan.read,
      window,
      stripRows,
      shoreBufferPx: plan.shoreBufferPx,
      ...(plan.redEdge ? { redEdge: plan.redEdge } : {}),
      ...(plan.aoi ? { aoi: plan.aoi } : {}),
      ...(plan.layers ? { layers: { names: [...plan.layers.layers], factor: plan.layers.size.factor } } : {}),
    },
    rows,
  });
  const names = StripKernel.namesOf(plan.method);
  const merger = new BandMerger(plan, bands.length, names.noise, names.score);
  const controller = new AbortController();
  const stop = () => controller.abort(plan.signal?.reason);
  plan.signal?.addEventListener('abort', stop, { once: true });
  if (plan.signal?.aborted) stop();
  let done = 0;
  const onRows = (rows: number) => {
    done += rows;
    plan.onProgress?.(done, window.height);
  };
  try {
    const runs = bands.map((rows, index) =>
      executor.run(task(rows), { sources, signal: controller.signal, onRows }).then(
        (partial) => merger.take(index, partial),
        (error: unknown) => {
          // The first failure stops the other bands; theirs (aborts) are not the cause.
          if (!controller.signal.aborted) controller.abort(error);
          throw error;
        },
      ),
    );
    const settled = await Promise.allSettled(runs);
    if (controller.signal.aborted) throw controller.signal.reason;
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } finally {
    plan.signal?.removeEventListener('abort', stop);
  }
  return finishScan(plan, merger.result());
}

/**
 * Splits `height` rows into at most `count` bands of whole alignment units (`unitRows`, a
 * multiple of `stripRows`), as even as the units allow; the last band ends at `height`.
 */
export function planBands(height: number, stripRows: number, unitRows: number, count: number): Array<{ y0: number; y1: number }> {
  const unit = unitRows % stripRows === 0 && unitRows > 0 ? unitRows : stripRows;
  const units = Math.ceil(height / unit);
  const n = Math.max(1, Math.min(units, count));
  return Array.from({ length: n }, (_, i) => ({
    y0: Math.floor((i * units) / n) * unit,
    y1: Math.min(height, Math.floor(((i + 1) * units) / n) * unit),
  }));
}

/**
 * Rows per band unit: the least common multiple of the strip and every file's block rows, when
 * the window starts on a block boundary and that stays small, so neighbouring bands never decode
 * the same tile; otherwise one strip.
 */
export function alignmentRows(blockRows: readonly number[], stripRows: number, windowY0: number): number {
  let unit = stripRows;
  for (const rows of blockRows) {
    if (rows <= 0 || windowY0 % rows !== 0) return stripRows;
    unit = lcm(unit, rows);
    if (unit > 8 * stripRows) return stripRows;
  }
  return unit;
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}

/** Puts partials together in row order as they arrive (masks at once, the rest when all before it are in). */
class BandMerger {
  private readonly scan: RowsScan;
  private readonly waiting: Array<BandPartial | undefined>;
  private next = 0;

  constructor(
    private readonly plan: ScanPlan & { layers: LayerAccumulator | undefined },
    bands: number,
    noiseNames: readonly string[],
    scoreNames: readonly string[],
  ) {
    const { width, height } = plan.window;
    const { candidates, nearMiss } = createCandidates(scoreNames);
    this.scan = {
      rows: { y0: 0, y1: height },
      mask: new Uint8Array(width * height),
      counts: { nodata: 0, cloud: 0, shadow: 0 },
      candidates,
      nearMiss,
      water: new WaterField(width, height),
      waterFai: new Histogram(-0.2, 0.2, 4000),
      noiseNames,
      noise: noiseNames.map(() => []),
      sharpening: { strips: 0, regressed: 0, gains: [] },
      shoreTest: false,
    };
    this.waiting = new Array<BandPartial | undefined>(bands);
  }

  take(index: number, partial: BandPartial): void {
    this.scan.mask.set(partial.mask, partial.rows.y0 * this.plan.window.width);
    this.scan.water.placeCellRows(partial.water);
    this.waiting[index] = { ...partial, mask: new Uint8Array(0) };
    for (let ready = this.waiting[this.next]; ready; ready = this.waiting[this.next]) {
      this.waiting[this.next++] = undefined;
      this.append(ready);
    }
  }

  result(): RowsScan {
    return this.scan;
  }

  private append(partial: BandPartial): void {
    const { scan } = this;
    scan.counts.nodata += partial.counts.nodata;
    scan.counts.cloud += partial.counts.cloud;
    scan.counts.shadow += partial.counts.shadow;
    scan.candidates.runs.appendArrays(partial.candidates.runs);
    scan.candidates.values.appendArrays(partial.candidates.values);
    pushAll(scan.nearMiss.rows, partial.nearMiss.rows);
    pushAll(scan.nearMiss.cols, partial.nearMiss.cols);
    scan.nearMiss.values.appendArrays(partial.nearMiss.values);
    scan.waterFai.addCounts(partial.waterFai);
    partial.noise.forEach((values, k) => pushAll(scan.noise[k], values));
    scan.sharpening.strips += partial.sharpening.strips;
    scan.sharpening.regressed += partial.sharpening.regressed;
    pushAll(scan.sharpening.gains, partial.sharpening.gains);
    scan.shoreTest = partial.shoreTest;
    const layers = this.plan.layers;
    if (layers && partial.layers) mergeBandLayers(layers, partial.layers, layerSources(layers.layers));
  }
}

/** Appends every value (spreading a large typed array into `push` would overflow the stack). */
function pushAll(into: number[], values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) into.push(values[i]);
}
