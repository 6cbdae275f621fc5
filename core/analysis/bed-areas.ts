import { type BedStats, groupRunsByBed, labelRuns, summarizeBeds } from './beds.js';
import { measureEdgeCanopy } from './edge-canopy.js';
import { type CanopyEndMembers, estimateCanopy } from './endmembers.js';
import { MASK } from './mask-values.js';
import type { SceneScan } from './scan.js';

/** One bed kept after the minimum-area filter, with its areas. */
export interface Bed {
  /** 1-based, in order of first appearance (top to bottom). */
  id: number;
  /** Component number before small beds were dropped (indexes the canopy end-members). */
  label: number;
  pixelCount: number;
  binaryAreaM2: number;
  fractionalAreaM2: number;
  /** Fractional area with each end-member moved by its uncertainty (for the area's range). */
  fractionalSensitivity: { canopyLowM2: number; canopyHighM2: number; waterLowM2: number; waterHighM2: number };
  /** Full-canopy FAI of this bed (median; cells of the bed may have their own), and whether it came from the bed's own full-cover pixels. */
  canopyFai: number;
  canopyOwn: boolean;
  /** Indices of the bed's runs in `scan.runs`. */
  runIndices: Int32Array;
  stats: BedStats;
}

/** The local open-water FAI, per window pixel, and its uncertainty. */
export interface WaterEndMember {
  at(x: number, y: number): number;
  uncertaintyAt(x: number, y: number): number;
}

export interface BedAreasInput {
  /** Pixel area by window row, m². */
  rowAreaM2: Float64Array;
  minBedAreaM2: number;
  /** The grid's pixel size, m (the end-member rules are in metres); default 10. */
  pixelSizeM?: number;
  water: WaterEndMember;
  /** Full-canopy FAI given with the request; else estimated from the scene (endmembers.ts). */
  canopyFai?: number;
}

/**
 * Labels beds, drops those under `minBedAreaM2` (clearing them from the mask and the kelp count),
 * estimates the canopy end-members, and measures the rest: binary area (pixels × area) and
 * fractional area (Σ canopy fraction × area, the fraction unmixed between the local water FAI
 * and the bed's full-canopy FAI, clamped to 0–1, over the bed's pixels and the thin canopy
 * just outside them, edge-canopy.ts). Mutates `scan.mask` and `scan.counts`: it is
 * the step that finalises them.
 */
export function measureBeds(scan: SceneScan, input: BedAreasInput): { beds: Bed[]; dropped: number; canopy: CanopyEndMembers } {
  const { runs, mask, window } = scan;
  const fai = scan.kelp.fai.view();
  const { bedOfRun, count } = labelRuns(runs);
  const stats = summarizeBeds(runs, bedOfRun, count);
  const groups = groupRunsByBed(bedOfRun, count);
  const keep = new Uint8Array(count);
  const binary = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    for (const r of groups[b]) binary[b] += input.rowAreaM2[runs.row(r)] * (runs.x1(r) - runs.x0(r));
    if (binary[b] >= input.minBedAreaM2) {
      keep[b] = 1;
      continue;
    }
    for (const r of groups[b]) {
      const rowOffset = runs.row(r) * window.width;
      mask.fill(MASK.water, rowOffset + runs.x0(r), rowOffset + runs.x1(r));
      scan.counts.kelp -= runs.x1(r) - runs.x0(r);
      scan.counts.water += runs.x1(r) - runs.x0(r);
    }
  }
  const canopy = estimateCanopy(mask, window.width, window.height, runs, fai, bedOfRun, count, input.canopyFai, scan.noise.fai, input.pixelSizeM);
  // First kelp pixel of each run in the per-pixel values: runs and values share row-major order.
  const runStart = new Float64Array(runs.length + 1);
  for (let i = 0; i < runs.length; i++) runStart[i + 1] = runStart[i] + (runs.x1(i) - runs.x0(i));
  const edge = measureEdgeCanopy(scan, bedOfRun, keep, canopy, input.water, input.rowAreaM2);
  const beds: Bed[] = [];
  for (let b = 0; b < count; b++) {
    if (!keep[b]) continue;
    const dc = canopy.uncertainty[b];
    const sums = { central: edge.central[b], canopyLow: edge.canopyLow[b], canopyHigh: edge.canopyHigh[b], waterLow: edge.waterLow[b], waterHigh: edge.waterHigh[b] };
    for (const r of groups[b]) {
      const row = runs.row(r);
      const rowArea = input.rowAreaM2[row];
      for (let x = runs.x0(r), p = runStart[r]; x < runs.x1(r); x++, p++) {
        const w = input.water.at(x, row);
        const dw = input.water.uncertaintyAt(x, row);
        const f = fai[p];
        const c = canopy.at(b, x, row);
        sums.central += rowArea * unmix(f, w, c);
        // A lower canopy end-member or a lower water end-member both raise the fraction.
        sums.canopyHigh += rowArea * unmix(f, w, c - dc);
        sums.canopyLow += rowArea * unmix(f, w, c + dc);
        sums.waterHigh += rowArea * unmix(f, w - dw, c);
        sums.waterLow += rowArea * unmix(f, w + dw, c);
      }
    }
    beds.push({
      id: beds.length + 1,
      label: b,
      pixelCount: stats[b].pixelCount,
      binaryAreaM2: binary[b],
      fractionalAreaM2: sums.central,
      fractionalSensitivity: { canopyLowM2: sums.canopyLow, canopyHighM2: sums.canopyHigh, waterLowM2: sums.waterLow, waterHighM2: sums.waterHigh },
      canopyFai: canopy.perBed[b],
      canopyOwn: canopy.own[b] === 1,
      runIndices: groups[b],
      stats: stats[b],
    });
  }
  return { beds, dropped: count - beds.length, canopy };
}

/** Canopy fraction of a pixel with FAI `fai` between water `water` and full canopy `canopy`, clamped to 0–1. */
export function unmix(fai: number, water: number, canopy: number): number {
  const f = (fai - water) / (canopy - water);
  return f < 0 ? 0 : f > 1 ? 1 : f;
}
