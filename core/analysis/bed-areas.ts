import { type BedStats, groupRunsByBed, labelRuns, summarizeBeds } from './beds.js';
import { MASK, type SceneScan } from './scan.js';

/** One bed kept after the minimum-area filter, with its areas. */
export interface Bed {
  /** 1-based, in order of first appearance (top to bottom). */
  id: number;
  pixelCount: number;
  binaryAreaM2: number;
  fractionalAreaM2: number;
  /** Indices of the bed's runs in `scan.runs`. */
  runIndices: Int32Array;
  stats: BedStats;
}

export interface BedAreasInput {
  /** Pixel area by window row, m². */
  rowAreaM2: Float64Array;
  minBedAreaM2: number;
  /** Open-water and full-canopy FAI, the end-members of fractional cover. */
  waterFai: number;
  canopyFai: number;
}

/**
 * Labels beds, drops those under `minBedAreaM2` (clearing them from the mask and the kelp count),
 * and measures the rest: binary area (pixels × area) and fractional area (Σ canopy fraction ×
 * area, the fraction unmixed linearly between open-water and full-canopy FAI, clamped to 0–1).
 * Mutates `scan.mask` and `scan.counts`: it is the step that finalises them.
 */
export function measureBeds(scan: SceneScan, input: BedAreasInput): { beds: Bed[]; dropped: number } {
  const { runs, kelpFai, mask, window } = scan;
  const { bedOfRun, count } = labelRuns(runs);
  const stats = summarizeBeds(runs, bedOfRun, count);
  const groups = groupRunsByBed(bedOfRun, count);
  // First kelp pixel of each run in kelpFai: runs and kelpFai share row-major order.
  const runStart = new Float64Array(runs.length + 1);
  for (let i = 0; i < runs.length; i++) runStart[i + 1] = runStart[i] + (runs.x1(i) - runs.x0(i));
  const span = input.canopyFai - input.waterFai;
  const beds: Bed[] = [];
  let dropped = 0;
  for (let b = 0; b < count; b++) {
    let binary = 0;
    let fractional = 0;
    for (const r of groups[b]) {
      const rowArea = input.rowAreaM2[runs.row(r)];
      const length = runs.x1(r) - runs.x0(r);
      binary += rowArea * length;
      for (let p = runStart[r]; p < runStart[r] + length; p++) {
        fractional += rowArea * Math.min(1, Math.max(0, (kelpFai.get(p) - input.waterFai) / span));
      }
    }
    if (binary < input.minBedAreaM2) {
      dropped++;
      for (const r of groups[b]) {
        const rowOffset = runs.row(r) * window.width;
        mask.fill(MASK.water, rowOffset + runs.x0(r), rowOffset + runs.x1(r));
        scan.counts.kelp -= runs.x1(r) - runs.x0(r);
        scan.counts.water += runs.x1(r) - runs.x0(r);
      }
      continue;
    }
    beds.push({
      id: beds.length + 1,
      pixelCount: stats[b].pixelCount,
      binaryAreaM2: binary,
      fractionalAreaM2: fractional,
      runIndices: groups[b],
      stats: stats[b],
    });
  }
  return { beds, dropped };
}
