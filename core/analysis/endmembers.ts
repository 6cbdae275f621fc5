/**
 * End-members of fractional canopy cover, from the scene. A pixel's FAI is, to first order,
 * `f × canopy + (1 − f) × water` (FAI is linear in reflectance and linear mixing holds for a
 * canopy floating on the surface), so `f = (FAI − water) / (canopy − water)`.
 *
 * - Water: the local open water around each pixel (water-field.ts).
 * - Canopy: the FAI of full cover, which varies with canopy brightness (frond density in the
 *   water column, tide, epiphytes, season) between scenes and beds. It is measured on each
 *   bed's full-cover pixels: interior pixels (at least `INTERIOR_M` inside the outline), in
 *   the brighter half of the interior, whose neighbourhood is flat — a continuous surface mat
 *   is uniform at 10 m, partial cover is patchy. This is the image-derived "pure" end-member of
 *   spectral mixture analysis, resting on the cores of established beds being continuous mats.
 *   Beds without enough full cover, or whose value says they are sparse rather than dark
 *   (`SPARSE_BED_SHARE`), take the scene's value (the median of the beds', weighted by
 *   full-cover pixels), else `DEFAULT_CANOPY_FAI`. Every value is bounded by
 *   `CANOPY_FAI_BOUNDS`.
 */
import { DEFAULT_CANOPY_FAI } from './fraction.js';
import { MASK } from './mask-values.js';
import type { RunList } from './runs.js';

/**
 * A pixel is interior when every pixel within this distance (Chebyshev, rounded to whole pixels
 * of the grid, at least one) is kelp of the same bed: 2 pixels at 10 m, 1 at 30 m.
 */
export const INTERIOR_M = 20;
/**
 * A full-cover pixel is flat: the mean absolute deviation of its 3 × 3 neighbourhood is within
 * this many σ of the FAI's pixel noise (a continuous surface mat reads uniform; partial cover
 * reads patchy).
 */
export const FLAT_SIGMAS = 1;
/**
 * The same on grids of 20 m pixels or coarser (Landsat's 30 m): there a 3 × 3 neighbourhood spans
 * at least 60 m, four to nine times Sentinel-2's, and holds beside the pixel noise the mat's own
 * brightness texture (frond density, a bed's brighter and darker parts), which a continuous mat
 * at 10 m spreads over several neighbourhoods. Ours: at one σ, too few pixels of the natural
 * generated beds pass at 30 m for any bed to have its own value (the default end-member then
 * puts fractional area 12 % off); at two σ, every generated bed type yields one.
 */
export const FLAT_SIGMAS_COARSE = 2;
/**
 * Full-cover area a bed needs for its own end-member: 20 pixels at 10 m. On a coarser grid the
 * same area is fewer pixels, but never fewer than `MIN_FULL_COVER_FLOOR_PX` (a median of fewer
 * is one pixel's noise): 5 at 30 m, where a bed of 2000 m² of full cover is 2.2 pixels.
 */
export const MIN_FULL_COVER_M2 = 2000;
export const MIN_FULL_COVER_FLOOR_PX = 5;

/** The pixel rules of a grid of `pixelSizeM` pixels (see `INTERIOR_M`, `MIN_FULL_COVER_M2`, `FLAT_SIGMAS`). */
export function fullCoverRules(pixelSizeM: number): { interiorPx: number; minPixels: number; flatSigmas: number } {
  const size = pixelSizeM > 0 ? pixelSizeM : 10;
  return {
    interiorPx: Math.max(1, Math.round(INTERIOR_M / size)),
    minPixels: Math.max(MIN_FULL_COVER_FLOOR_PX, Math.ceil(MIN_FULL_COVER_M2 / (size * size) - 1e-9)),
    flatSigmas: size >= 20 ? FLAT_SIGMAS_COARSE : FLAT_SIGMAS,
  };
}
/**
 * A bed whose own value is below this share of the scene's is taken to have no full-cover core
 * (sparse canopy throughout) rather than to be that much darker, and uses the scene's value:
 * full-cover canopy brightness varies between the beds of one acquisition by about ±15 %, far
 * less than the brightest pixels of a sparse bed fall short of full cover.
 */
export const SPARSE_BED_SHARE = 0.7;
/**
 * Smallest uncertainty of a bed's own value, as a share of it: on generated scenes with known
 * full-cover brightness, bed values measured this way are off by 5–7 % (rms, sparse beds aside).
 */
export const MIN_CANOPY_UNCERTAINTY = 0.075;
/** Pixel noise of FAI assumed when the scene has too little water to measure it. */
const DEFAULT_FAI_NOISE = 0.002;
/**
 * Physical bounds on full-canopy FAI (reflectance units). Floating canopy reflects about 0.1–0.4
 * in the NIR with red about 0.02–0.04 and SWIR about 0.01–0.03 (surface canopy spectra of
 * Macrocystis and Nereocystis: Mora-Soto et al. 2020, Timmer et al. 2024), which puts full-cover
 * FAI between about 0.06 and 0.37; an estimate outside [0.05, 0.4] is clamped to it.
 */
export const CANOPY_FAI_BOUNDS = [0.05, 0.4] as const;

/** Where the canopy end-member of the scene came from. */
export type CanopySource = 'scene' | 'default' | 'request';

/** The canopy end-members: per bed and for the scene. */
export interface CanopyEndMembers {
  /** Full-canopy FAI at a kelp pixel (x, y) of bed `bed` (by component number). */
  at(bed: number, x: number, y: number): number;
  /** Per bed: FAI of full cover and its uncertainty (±, FAI units). */
  perBed: Float64Array;
  uncertainty: Float64Array;
  /** Per bed: 1 when the bed's own full-cover pixels gave its value. */
  own: Uint8Array;
  scene: number;
  sceneSource: CanopySource;
  /** Full-cover pixels the scene's value rests on, and beds with their own value. */
  pixels: number;
  beds: number;
  /** Smallest and largest of the beds' own values (the scene value twice when none). */
  range: [number, number];
}

/**
 * Estimates the canopy end-members of `count` beds from their full-cover pixels: interior
 * pixels at or above the bed's median interior FAI whose neighbourhood is flat (within
 * `FLAT_SIGMAS` σ of the FAI noise `noise`). A bed with at least `MIN_FULL_COVER_M2` of them
 * takes their median; the others take the scene's (the beds' values' median weighted by
 * full-cover pixels, or `requested`, or the default). `fai[p]` is the FAI of the p-th kelp pixel
 * in run order; `bedOfRun` labels runs.
 */
export function estimateCanopy(
  mask: Uint8Array,
  width: number,
  height: number,
  runs: RunList,
  fai: ArrayLike<number>,
  bedOfRun: Int32Array,
  count: number,
  requested?: number,
  noise = NaN,
  /** The grid's pixel size, m (default 10): the interior inset and the full-cover area are in metres. */
  pixelSizeM = 10,
): CanopyEndMembers {
  const { interiorPx, minPixels, flatSigmas } = fullCoverRules(pixelSizeM);
  const flatMax = flatSigmas * (noise > 0 ? noise : DEFAULT_FAI_NOISE);
  const interior: number[][] = Array.from({ length: count }, () => []);
  const interiorAt: number[][] = Array.from({ length: count }, () => []);
  let p = 0;
  for (let r = 0; r < runs.length; r++) {
    const row = runs.row(r);
    for (let x = runs.x0(r); x < runs.x1(r); x++, p++) {
      if (!isInterior(mask, width, height, x, row, interiorPx)) continue;
      interior[bedOfRun[r]].push(fai[p]);
      interiorAt[bedOfRun[r]].push(row * width + x);
    }
  }
  const image = new KelpFai(runs, fai, height);
  const perBed = new Float64Array(count);
  const uncertainty = new Float64Array(count);
  const own = new Uint8Array(count);
  const estimates: Array<{ value: number; weight: number }> = [];
  for (let b = 0; b < count; b++) {
    if (interior[b].length < minPixels) continue;
    const median = quantile(Float64Array.from(interior[b]).sort(), 0.5);
    const full: number[] = [];
    for (let k = 0; k < interior[b].length; k++) {
      const i = interiorAt[b][k];
      if (interior[b][k] >= median && localRoughness(image, i % width, Math.floor(i / width)) <= flatMax) full.push(interior[b][k]);
    }
    if (full.length < minPixels) continue;
    const sorted = Float64Array.from(full).sort();
    perBed[b] = clamp(quantile(sorted, 0.5));
    // Half the interquartile range of the full-cover FAI (how much full-cover brightness varies
    // within the bed), at least MIN_CANOPY_UNCERTAINTY.
    uncertainty[b] = Math.max(MIN_CANOPY_UNCERTAINTY * perBed[b], (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2);
    own[b] = 1;
    estimates.push({ value: perBed[b], weight: full.length });
  }
  let scene = weightedMedian(estimates);
  let sceneSource: CanopySource = 'scene';
  if (requested !== undefined) {
    scene = requested;
    sceneSource = 'request';
  } else if (Number.isNaN(scene)) {
    scene = DEFAULT_CANOPY_FAI;
    sceneSource = 'default';
  } else {
    for (let b = 0; b < count; b++) if (own[b] && perBed[b] < SPARSE_BED_SHARE * scene) own[b] = 0;
  }
  const kept = estimates.filter((e) => e.value >= SPARSE_BED_SHARE * scene || sceneSource !== 'scene');
  const ownValues = kept.map((e) => e.value);
  const range: [number, number] = ownValues.length ? [Math.min(...ownValues), Math.max(...ownValues)] : [scene, scene];
  // Beds without their own value may be anywhere in the range the scene's beds span.
  const spread = Math.max((range[1] - range[0]) / 2, 0.25 * scene);
  for (let b = 0; b < count; b++) {
    if (requested !== undefined) {
      perBed[b] = requested;
      uncertainty[b] = 0;
      own[b] = 0;
    } else if (!own[b]) {
      perBed[b] = scene;
      uncertainty[b] = spread;
    }
  }
  const pixels = kept.reduce((sum, e) => sum + e.weight, 0);
  return { at: (bed) => perBed[bed], perBed, uncertainty, own, scene, sceneSource, pixels, beds: kept.length, range };
}

/**
 * The FAI of the kelp pixels by position, NaN elsewhere (as a Float32 image of the window would
 * hold it), looked up in the runs: a full tile's window would be half a gigabyte of mostly NaN.
 */
class KelpFai {
  private readonly rowStart: Int32Array;
  private readonly offsets: Int32Array;

  constructor(
    private readonly runs: RunList,
    private readonly fai: ArrayLike<number>,
    height: number,
  ) {
    this.rowStart = new Int32Array(height + 1).fill(runs.length);
    this.offsets = new Int32Array(runs.length);
    for (let r = runs.length - 1; r >= 0; r--) this.rowStart[runs.row(r)] = r;
    for (let y = height - 1; y >= 0; y--) this.rowStart[y] = Math.min(this.rowStart[y], this.rowStart[y + 1]);
    for (let r = 0, p = 0; r < runs.length; r++) {
      this.offsets[r] = p;
      p += runs.x1(r) - runs.x0(r);
    }
  }

  at(x: number, y: number): number {
    const { runs } = this;
    for (let r = this.rowStart[y]; r < this.rowStart[y + 1]; r++) {
      if (x < runs.x0(r)) return NaN;
      if (x < runs.x1(r)) return Math.fround(this.fai[this.offsets[r] + x - runs.x0(r)]);
    }
    return NaN;
  }
}

/** Mean absolute deviation of the 3 × 3 neighbourhood from its mean. */
function localRoughness(image: KelpFai, x: number, y: number): number {
  let sum = 0;
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += image.at(x + dx, y + dy);
  const mean = sum / 9;
  let dev = 0;
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) dev += Math.abs(image.at(x + dx, y + dy) - mean);
  return dev / 9;
}

function isInterior(mask: Uint8Array, width: number, height: number, x: number, y: number, inset: number): boolean {
  if (x < inset || y < inset || x >= width - inset || y >= height - inset) return false;
  for (let dy = -inset; dy <= inset; dy++) {
    const o = (y + dy) * width;
    for (let dx = -inset; dx <= inset; dx++) if (mask[o + x + dx] !== MASK.kelp) return false;
  }
  return true;
}

function clamp(value: number): number {
  return Math.min(CANOPY_FAI_BOUNDS[1], Math.max(CANOPY_FAI_BOUNDS[0], value));
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const j = Math.min(sorted.length - 1, i + 1);
  return sorted[i] + (sorted[j] - sorted[i]) * (pos - i);
}

function weightedMedian(items: Array<{ value: number; weight: number }>): number {
  if (!items.length) return NaN;
  const sorted = [...items].sort((a, b) => a.value - b.value);
  const half = sorted.reduce((sum, e) => sum + e.weight, 0) / 2;
  let seen = 0;
  for (const e of sorted) {
    seen += e.weight;
    if (seen >= half) return e.value;
  }
  return sorted[sorted.length - 1].value;
}
