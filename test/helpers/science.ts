/**
 * Scoring analyses of generated scenes against their ground truth: the figures of the canopy
 * area accuracy tests (test/integration/accuracy*.test.ts) and of `.scratch` tuning runs.
 */
import { join } from 'node:path';
import { openFileSource } from '../../adapters/local/file-source.js';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { analyzeScene } from '../../core/analysis/analyze.js';
import { parseAnalysisOptions } from '../../core/analysis/options.js';
import type { AnalysisResult, Artifact } from '../../core/analysis/result.js';
import { type LandsatSampleScene, type LandsatSampleSensor, TRUTH, type SampleScene, type SceneVariation, createSampleScene } from '../../core/sample/scene.js';
import { landsatFileNames } from '../../core/sample/landsat-metadata.js';
import { QA_PIXEL_BITS } from '../../core/sensors/landsat.js';
import { type AccuracyFigures, type LabelRule, scoreMask } from '../../core/accuracy/score.js';

/** Truth flags that make a pixel unobservable: kelp there cannot be seen, so it is not scored. */
export const HIDDEN = TRUTH.cloud | TRUTH.shadow | TRUTH.nodata;
/** Surfaces on which a detection away from canopy is a false positive caused by that surface. */
export const CONFUSERS = { land: TRUTH.land, wetSand: TRUTH.wetSand, cloud: TRUTH.cloud, shadow: TRUTH.shadow, glint: TRUTH.glint, foam: TRUTH.foam } as const;
/** A detection within this many pixels of canopy is an edge effect, not a confusion. */
export const MIXING_RADIUS_PX = 2;
/** Canopy this close to land (pixels) is "at the shore": the old coastal buffer dropped it. */
export const SHORE_PX = 2;

export interface GeneratedRun {
  scene: SampleScene | LandsatSampleScene;
  result: AnalysisResult;
  artifacts: Artifact[];
  /** The analysis mask: 1 kelp, 0 water, `MASK.land`, 255 not observed (kelp-mask.tif has 255 for land too). */
  mask: Uint8Array;
  truth: { canopyFraction: Float32Array; flags: Uint8Array };
}

/** Generates a scene, writes it as GeoTIFF(s) into `dir`, and analyses it from the files. */
export async function analyzeGenerated(
  dir: string,
  { size, seed, variation = 'natural', layout = 'multiband', options = {} }: { size: number; seed: number; variation?: SceneVariation; layout?: 'multiband' | 'per-band'; options?: object },
): Promise<GeneratedRun> {
  const scene = createSampleScene({ width: size, height: size, seed, variation });
  const sceneDir = join(dir, `${variation}-${layout}-${size}-${seed}`);
  await writeSampleScene(scene, sceneDir, { layout });
  const bands = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];
  const sources =
    layout === 'multiband'
      ? [await openFileSource(join(sceneDir, 'sample.tif'))]
      : await Promise.all(bands.map((b) => openFileSource(join(sceneDir, `${b}.tif`))));
  try {
    const input =
      layout === 'multiband'
        ? { kind: 'multiband' as const, source: sources[0] }
        : { kind: 'per-band' as const, sources: Object.fromEntries(bands.map((b, i) => [b, sources[i]])) };
    const { result, artifacts, mask } = await analyzeScene(
      { id: `seed-${seed}`, input, source: { uri: `generated ${variation} seed ${seed}` }, options: parseAnalysisOptions(options) },
      { clock: { now: () => 0 }, codeVersion: 'test' },
    );
    const truth = scene.readTruth({ x0: 0, y0: 0, width: size, height: size });
    return { scene, result, artifacts, mask, truth };
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/** The Landsat bands a generated scene is analysed from: the reflective bands the analysis reads, and QA_PIXEL. */
const LANDSAT_ANALYSED = ['SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'QA_PIXEL'];

/**
 * Generates the Landsat rendering of a scene (the same truth field at 30 m), writes it as USGS
 * ships it (per-band `…_SR_Bn.TIF`, `…_QA_PIXEL.TIF`) or as one multiband file into `dir`, and
 * analyses it from the files, telling the analysis the sensor. `size` is the field's side in
 * 10 m pixels (the Sentinel-2 scene of the same seed and size is the same place). Also returns
 * the QA_PIXEL the product carries, for {@link productMasked}.
 */
export async function analyzeGeneratedLandsat(
  dir: string,
  {
    size,
    seed,
    variation = 'natural',
    sensor = 'landsat-8',
    layout = 'per-band',
    options = {},
  }: { size: number; seed: number; variation?: SceneVariation; sensor?: LandsatSampleSensor; layout?: 'multiband' | 'per-band'; options?: object },
): Promise<GeneratedRun & { scene: LandsatSampleScene; qa: Uint16Array }> {
  const scene = createSampleScene({ width: size, height: size, seed, variation, sensor });
  const sceneDir = join(dir, `${sensor}-${variation}-${layout}-${size}-${seed}`);
  await writeSampleScene(scene, sceneDir, { layout });
  const names = landsatFileNames(scene).bands;
  const sources =
    layout === 'multiband'
      ? [await openFileSource(join(sceneDir, 'sample.tif'))]
      : await Promise.all(LANDSAT_ANALYSED.map((b) => openFileSource(join(sceneDir, names[b]))));
  try {
    const input =
      layout === 'multiband'
        ? { kind: 'multiband' as const, source: sources[0] }
        : { kind: 'per-band' as const, sources: Object.fromEntries(LANDSAT_ANALYSED.map((b, i) => [b, sources[i]])) };
    const { result, artifacts, mask } = await analyzeScene(
      { id: `${sensor}-seed-${seed}`, input, source: { uri: `generated ${sensor} ${variation} seed ${seed}` }, options: parseAnalysisOptions({ sensor, ...options }) },
      { clock: { now: () => 0 }, codeVersion: 'test' },
    );
    const window = { x0: 0, y0: 0, width: scene.grid.width, height: scene.grid.height };
    const truth = scene.readTruth(window);
    const { QA_PIXEL: qa } = scene.readBands(['QA_PIXEL'], window);
    return { scene, result, artifacts, mask, truth, qa };
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/**
 * 1 where the product's own QA_PIXEL hides the surface (fill, cloud, dilated cloud, cloud
 * shadow): canopy there cannot be counted by any analysis of the product, so the true area it is
 * scored against leaves it out too. (The truth's own cloud, shadow and nodata flags are
 * {@link HIDDEN}; the dilation ring is the product's addition.)
 */
export function productMasked(qa: Uint16Array): Uint8Array {
  const bits = [QA_PIXEL_BITS.fill, QA_PIXEL_BITS.dilatedCloud, QA_PIXEL_BITS.cloud, QA_PIXEL_BITS.cloudShadow].reduce<number>((m, b) => m | (1 << b), 0);
  return Uint8Array.from(qa, (value) => (value & bits ? 1 : 0));
}

/** What the accuracy tests check, for one analysed scene. */
export interface SceneFigures {
  /** Σ canopy fraction × pixel area over the pixels not hidden by cloud, shadow or nodata. */
  trueAreaM2: number;
  fractionalAreaM2: number;
  /** fractional / true − 1. */
  fractionalError: number;
  /** The validation figures (labels: truth fraction ≥ 0.2 kelp, 0 not kelp, in between not scored). */
  accuracy: AccuracyFigures;
  /** Share of canopy (fraction ≥ 0.2) in sea pixels within SHORE_PX of land that was found. */
  shoreRecall: number;
  shoreCanopyPixels: number;
  /** Share of canopy (fraction ≥ 0.2) under glint that was found. */
  glintRecall: number;
  /** Detections away from canopy on each confusing surface. */
  falseKelp: Record<keyof typeof CONFUSERS, number>;
}

/**
 * Scores one run against its truth. Pixel area is taken from the result's grid. `unobserved`
 * (1 per pixel) leaves more pixels out of the true area (see {@link productMasked}); `rule` is
 * the labelling of the accuracy figures (default: kelp from fraction 0.2, not kelp at 0).
 */
export function scoreRun(run: GeneratedRun, { unobserved, rule }: { unobserved?: Uint8Array; rule?: LabelRule } = {}): SceneFigures {
  const { truth, result } = run;
  const mask = run.mask;
  const size = result.grid.width;
  const pixelAreaM2 = result.grid.pixelSizeM ** 2;
  const { canopyFraction: fraction, flags } = truth;
  const labels = new Float32Array(fraction.length);
  let trueAreaM2 = 0;
  for (let i = 0; i < fraction.length; i++) {
    labels[i] = fraction[i];
    if (!(flags[i] & HIDDEN) && !unobserved?.[i]) trueAreaM2 += fraction[i] * pixelAreaM2;
  }
  const falseKelp = Object.fromEntries(Object.keys(CONFUSERS).map((k) => [k, 0])) as Record<keyof typeof CONFUSERS, number>;
  const shore = { canopy: 0, found: 0 };
  const glint = { canopy: 0, found: 0 };
  const land = dilate(flags, size, TRUTH.land, SHORE_PX);
  for (let i = 0; i < mask.length; i++) {
    const found = mask[i] === 1;
    if (found && fraction[i] === 0 && !near(fraction, size, i, MIXING_RADIUS_PX)) {
      for (const [name, bit] of Object.entries(CONFUSERS)) if (flags[i] & bit) falseKelp[name as keyof typeof CONFUSERS]++;
    }
    if (flags[i] & HIDDEN || fraction[i] < 0.2) continue;
    if (land[i] && !(flags[i] & TRUTH.land)) tally(shore, found);
    if (flags[i] & TRUTH.glint) tally(glint, found);
  }
  const fractionalAreaM2 = result.kelp.fractionalAreaM2;
  return {
    trueAreaM2,
    fractionalAreaM2,
    fractionalError: fractionalAreaM2 / trueAreaM2 - 1,
    accuracy: scoreMask(mask, labels, rule),
    shoreRecall: shore.found / shore.canopy,
    shoreCanopyPixels: shore.canopy,
    glintRecall: glint.found / glint.canopy,
    falseKelp,
  };
}

function tally(counter: { canopy: number; found: number }, found: boolean): void {
  counter.canopy++;
  if (found) counter.found++;
}

/** 1 where a pixel with `bit` lies within `radius` (Chebyshev) pixels, else 0. */
function dilate(flags: Uint8Array, size: number, bit: number, radius: number): Uint8Array {
  const out = new Uint8Array(flags.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!(flags[y * size + x] & bit)) continue;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < size && ny < size) out[ny * size + nx] = 1;
        }
      }
    }
  }
  return out;
}

/** True when canopy (fraction > 0) lies within `radius` pixels (Chebyshev) of pixel `i`. */
export function near(fraction: Float32Array, size: number, i: number, radius: number): boolean {
  const x = i % size;
  const y = Math.floor(i / size);
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx >= 0 && ny >= 0 && nx < size && ny < size && fraction[ny * size + nx] > 0) return true;
    }
  }
  return false;
}

/** One line of the per-seed table the accuracy tests print. */
export function formatFigures(seed: number, f: SceneFigures): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
  const falseTotal = Object.values(f.falseKelp).reduce((a, b) => a + b, 0);
  return [
    `seed ${String(seed).padStart(4)}`,
    `true ${(f.trueAreaM2 / 1e4).toFixed(2)} ha`,
    `fractional ${(f.fractionalAreaM2 / 1e4).toFixed(2)} ha (${f.fractionalError >= 0 ? '+' : ''}${pct(f.fractionalError)})`,
    `IoU ${f.accuracy.iou.toFixed(4)}`,
    `kappa ${f.accuracy.kappa.toFixed(4)}`,
    `shore recall ${f.shoreRecall.toFixed(3)} (${f.shoreCanopyPixels} px)`,
    `glint recall ${f.glintRecall.toFixed(3)}`,
    `false kelp ${falseTotal} ${JSON.stringify(f.falseKelp)}`,
  ].join(' | ');
}
