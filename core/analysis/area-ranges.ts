/**
 * Ranges of the canopy area, from what the classification and the unmixing are sensitive to:
 *
 * - the threshold: pixel noise moves an index by its σ (measured over the scene's open water),
 *   so the area is recomputed with the threshold raised and lowered by `THRESHOLD_SIGMAS` σ:
 *   kelp pixels within that margin drop out, water pixels beside kelp within it join;
 * - the canopy end-member of each bed, moved by its uncertainty (endmembers.ts);
 * - the local water end-member, moved by its uncertainty (water-field.ts).
 *
 * Each part is read as ±2σ like the factor ranges. Threshold effects are systematic (one
 * threshold for the scene) and add linearly; end-member errors of beds with their own canopy
 * end-member are independent and add in quadrature across beds, those of beds sharing the
 * scene's value add linearly; the three parts then add in quadrature.
 */
import type { Bed, WaterEndMember } from './bed-areas.js';
import { unmix } from './bed-areas.js';
import type { CanopyEndMembers } from './endmembers.js';
import type { Range } from './factors.js';
import { MASK } from './mask-values.js';
import type { MethodPlugin } from './methods/method-plugin.js';
import type { SceneScan } from './scan.js';
import type { Thresholds } from './thresholds.js';

/** Threshold shift, in σ of the index's pixel noise. */
export const THRESHOLD_SIGMAS = 2;

/** The area ranges and what went into them. */
export interface AreaRanges {
  binaryM2: Range;
  fractionalM2: Range;
  /** Half-widths (m²) of each part, below and above. */
  parts: {
    threshold: { binary: [number, number]; fractional: [number, number]; sigmas: number; noise: Record<string, number> };
    canopyEndMember: [number, number];
    waterEndMember: [number, number];
  };
}

/**
 * The binary and fractional area ranges of `beds`.
 *
 * @example
 * ```ts
 * const ranges = measureAreaRanges(scan, beds, canopy, water, rowAreaM2, method, thresholds);
 * ranges.fractionalM2.low;
 * ```
 */
export function measureAreaRanges(
  scan: SceneScan,
  beds: readonly Bed[],
  canopy: CanopyEndMembers,
  water: WaterEndMember,
  rowAreaM2: Float64Array,
  method: MethodPlugin,
  thresholds: Thresholds,
): AreaRanges {
  const margin = marginOf(method, thresholds, scan.noise);
  const binary = beds.reduce((sum, bed) => sum + bed.binaryAreaM2, 0);
  const fractional = beds.reduce((sum, bed) => sum + bed.fractionalAreaM2, 0);
  const threshold = thresholdParts(scan, beds, canopy, water, rowAreaM2, margin);
  const canopyPart = endMemberPart(beds, (b) => [b.fractionalAreaM2 - b.fractionalSensitivity.canopyLowM2, b.fractionalSensitivity.canopyHighM2 - b.fractionalAreaM2], (b) => b.canopyOwn);
  const waterPart = endMemberPart(beds, (b) => [b.fractionalAreaM2 - b.fractionalSensitivity.waterLowM2, b.fractionalSensitivity.waterHighM2 - b.fractionalAreaM2], () => true);
  const below = Math.hypot(threshold.fractional[0], canopyPart[0], waterPart[0]);
  const above = Math.hypot(threshold.fractional[1], canopyPart[1], waterPart[1]);
  return {
    binaryM2: { low: Math.max(0, binary - threshold.binary[0]), central: binary, high: binary + threshold.binary[1] },
    fractionalM2: { low: Math.max(0, fractional - below), central: fractional, high: fractional + above },
    parts: {
      threshold: { ...threshold, sigmas: THRESHOLD_SIGMAS, noise: scan.noise },
      canopyEndMember: canopyPart,
      waterEndMember: waterPart,
    },
  };
}

/** How far a pixel's values are past the classification threshold, in σ; negative when short of it. */
type Margin = (scores: number[], faiShore: number, shore: boolean) => number;

function marginOf(method: MethodPlugin, thresholds: Thresholds, noise: Record<string, number>): Margin {
  const sigma = (name: string) => (noise[name] > 0 ? noise[name] : Number.POSITIVE_INFINITY);
  const names = method.indices;
  const limits = names.map((name) => thresholds[name as keyof Thresholds]);
  // A vote needs `needed` indices past their thresholds: the margin is the needed-th largest.
  const needed = names.length === 1 ? 1 : Math.floor(names.length / 2) + 1;
  return (scores, faiShore, shore) => {
    if (shore) return (faiShore - thresholds.fai) / sigma('fai');
    const margins = scores.map((v, k) => (v - limits[k]) / sigma(names[k])).sort((a, b) => b - a);
    return margins[needed - 1];
  };
}

/** Area lost (raise the threshold) and gained (lower it), binary and fractional. */
function thresholdParts(scan: SceneScan, beds: readonly Bed[], canopy: CanopyEndMembers, water: WaterEndMember, rowAreaM2: Float64Array, margin: Margin) {
  const binary: [number, number] = [0, 0];
  const fractional: [number, number] = [0, 0];
  const { runs, kelp } = scan;
  const runStart = new Float64Array(runs.length + 1);
  for (let i = 0; i < runs.length; i++) runStart[i + 1] = runStart[i] + (runs.x1(i) - runs.x0(i));
  const scores = new Array<number>(kelp.scores.length);
  for (const bed of beds) {
    for (const r of bed.runIndices) {
      const row = runs.row(r);
      for (let x = runs.x0(r), p = runStart[r]; x < runs.x1(r); x++, p++) {
        for (let k = 0; k < scores.length; k++) scores[k] = kelp.scores[k].get(p);
        if (margin(scores, kelp.faiShore.get(p), kelp.shore.get(p) === 1) >= THRESHOLD_SIGMAS) continue;
        binary[0] += rowAreaM2[row];
        fractional[0] += rowAreaM2[row] * unmix(kelp.fai.get(p), water.at(x, row), canopy.at(bed.label, x, row));
      }
    }
  }
  const { nearMiss, mask, window } = scan;
  for (let i = 0; i < nearMiss.rows.length; i++) {
    const row = nearMiss.rows[i];
    const x = nearMiss.cols[i];
    if (mask[row * window.width + x] !== MASK.water || !besideKelp(mask, window.width, window.height, x, row)) continue;
    for (let k = 0; k < scores.length; k++) scores[k] = nearMiss.values.scores[k].get(i);
    if (margin(scores, nearMiss.values.fai.get(i), false) < -THRESHOLD_SIGMAS) continue;
    binary[1] += rowAreaM2[row];
    fractional[1] += rowAreaM2[row] * unmix(nearMiss.values.fai.get(i), water.at(x, row), canopy.scene);
  }
  return { binary, fractional };
}

function besideKelp(mask: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[ny * width + nx] === MASK.kelp) return true;
    }
  }
  return false;
}

/** Combines per-bed half-widths: independent beds in quadrature, beds sharing one value linearly. */
function endMemberPart(beds: readonly Bed[], halfWidths: (bed: Bed) => [number, number], independent: (bed: Bed) => boolean): [number, number] {
  let squares: [number, number] = [0, 0];
  const shared: [number, number] = [0, 0];
  for (const bed of beds) {
    const [below, above] = halfWidths(bed);
    if (independent(bed)) squares = [squares[0] + below * below, squares[1] + above * above];
    else {
      shared[0] += below;
      shared[1] += above;
    }
  }
  return [Math.hypot(Math.sqrt(squares[0]), shared[0]), Math.hypot(Math.sqrt(squares[1]), shared[1])];
}
