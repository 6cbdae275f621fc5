/**
 * Canopy below the classification threshold at the edge of a bed. A bed's outer pixels hold
 * thin canopy: their FAI is above the local water's but their index below the threshold, so
 * they are not kelp pixels. Binary area rightly leaves them out (they are not "canopy"
 * pixels), but fractional cover — how much of the surface canopy covers — would be biased low
 * without them, so their unmixed fraction is added to the bed they touch, where it is clearly
 * above the noise (at least `EDGE_NOISE_SIGMAS` σ of FAI above the water). Only pixels that
 * touch the bed (8-neighbours) count.
 */
import type { WaterEndMember } from './bed-areas.js';
import { unmix } from './bed-areas.js';
import type { CanopyEndMembers } from './endmembers.js';
import { MASK } from './mask-values.js';
import type { SceneScan } from './scan.js';

/** How far above the local water an edge pixel's FAI must be, in σ of FAI pixel noise. */
export const EDGE_NOISE_SIGMAS = 2;

/** Fraction sums (× pixel area) added per bed label: central and with each end-member moved. */
export interface EdgeSums {
  central: Float64Array;
  canopyLow: Float64Array;
  canopyHigh: Float64Array;
  waterLow: Float64Array;
  waterHigh: Float64Array;
}

/**
 * The edge canopy of every bed (by component label) from the scan's near-miss pixels.
 * `keep[label]` is 1 for beds kept after the minimum-area filter.
 */
export function measureEdgeCanopy(
  scan: SceneScan,
  bedOfRun: Int32Array,
  keep: Uint8Array,
  canopy: CanopyEndMembers,
  water: WaterEndMember,
  rowAreaM2: Float64Array,
): EdgeSums {
  const count = keep.length;
  const sums: EdgeSums = {
    central: new Float64Array(count),
    canopyLow: new Float64Array(count),
    canopyHigh: new Float64Array(count),
    waterLow: new Float64Array(count),
    waterHigh: new Float64Array(count),
  };
  const { runs, nearMiss, mask, window } = scan;
  const floor = EDGE_NOISE_SIGMAS * (scan.noise.fai > 0 ? scan.noise.fai : 0.002);
  // First run of each row, so the bed beside a pixel is found by a search of three rows.
  const rowStart = new Int32Array(window.height + 1).fill(runs.length);
  for (let r = runs.length - 1; r >= 0; r--) rowStart[runs.row(r)] = r;
  for (let y = window.height - 1; y >= 0; y--) if (rowStart[y] > rowStart[y + 1]) rowStart[y] = rowStart[y + 1];
  for (let i = 0; i < nearMiss.rows.length; i++) {
    const y = nearMiss.rows[i];
    const x = nearMiss.cols[i];
    if (mask[y * window.width + x] !== MASK.water) continue;
    const label = bedBeside(runs, rowStart, bedOfRun, keep, x, y, window.height);
    if (label < 0) continue;
    const f = nearMiss.values.fai.get(i);
    const w = water.at(x, y);
    if (f - w < floor) continue;
    const c = canopy.at(label, x, y);
    const dc = canopy.uncertainty[label];
    const dw = water.uncertaintyAt(x, y);
    const area = rowAreaM2[y];
    sums.central[label] += area * unmix(f, w, c);
    sums.canopyHigh[label] += area * unmix(f, w, c - dc);
    sums.canopyLow[label] += area * unmix(f, w, c + dc);
    sums.waterHigh[label] += area * unmix(f, w - dw, c);
    sums.waterLow[label] += area * unmix(f, w + dw, c);
  }
  return sums;
}

/** The label of a kept bed with a pixel 8-adjacent to (x, y), or −1. */
function bedBeside(
  runs: SceneScan['runs'],
  rowStart: Int32Array,
  bedOfRun: Int32Array,
  keep: Uint8Array,
  x: number,
  y: number,
  height: number,
): number {
  for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
    for (let r = rowStart[ny]; r < runs.length && runs.row(r) === ny; r++) {
      if (runs.x0(r) > x + 1) break;
      if (runs.x1(r) >= x && keep[bedOfRun[r]]) return bedOfRun[r];
    }
  }
  return -1;
}
