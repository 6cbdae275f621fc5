import type { WaterEndMember } from './bed-areas.js';
import type { FractionSummary } from './result.js';
import type { SceneScan } from './scan.js';

/**
 * FAI of full canopy cover used only when no bed of the scene is large enough to measure its
 * own (endmembers.ts): the FAI of a dense floating Macrocystis canopy spectrum at the
 * Sentinel-2 band centres as Mora-Soto et al. 2020 (Remote Sensing 12(4):694) show it — red
 * about 0.025, NIR about 0.20, SWIR about 0.015. Override with `canopyFai` where a local
 * end-member is known (e.g. from a field-verified dense bed).
 */
export const DEFAULT_CANOPY_FAI = 0.177;

/**
 * FAI of open water when a scene has too little water to measure it (clear coastal water:
 * red 0.015, NIR 0.004, SWIR 0.002).
 */
export const DEFAULT_WATER_FAI = -0.0087;

/** Open-water pixels needed before the scene's own median FAI is trusted as the water end-member. */
export const MIN_WATER_PIXELS = 1000;

/** Uncertainty of the default water end-member: clear to moderately turbid coastal water spans about ±0.01 FAI. */
const DEFAULT_WATER_UNCERTAINTY = 0.01;

/**
 * The water end-member of every pixel of a scanned scene: the local water field where any cell
 * had enough open water, else the scene median, else the default; with what it was.
 */
export function localWater(scan: SceneScan): WaterEndMember & { summary: Pick<FractionSummary, 'waterFai' | 'waterFaiSource' | 'waterCells' | 'waterFaiRange'> } {
  const field = scan.water;
  const sceneMedian = scan.waterFai.count >= MIN_WATER_PIXELS ? scan.waterFai.quantile(0.5) : NaN;
  if (field.measured > 0) {
    const measured = Float64Array.from(field.median.filter((_, i) => field.count[i] >= 1 && !Number.isNaN(field.median[i]))).sort();
    return {
      at: (x, y) => field.at(x, y),
      uncertaintyAt: (x, y) => field.uncertaintyAt(x, y),
      summary: {
        waterFai: Number.isNaN(sceneMedian) ? field.median[0] : sceneMedian,
        waterFaiSource: 'local',
        waterCells: field.measured,
        waterFaiRange: [pick(measured, 0.05), pick(measured, 0.95)],
      },
    };
  }
  const value = Number.isNaN(sceneMedian) ? DEFAULT_WATER_FAI : sceneMedian;
  const uncertainty = Number.isNaN(sceneMedian) ? DEFAULT_WATER_UNCERTAINTY : 2 * (scan.waterFai.quantile(0.75) - scan.waterFai.quantile(0.25));
  return {
    at: () => value,
    uncertaintyAt: () => uncertainty,
    summary: { waterFai: value, waterFaiSource: Number.isNaN(sceneMedian) ? 'default' : 'scene', waterCells: 0, waterFaiRange: [value, value] },
  };
}

function pick(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}
