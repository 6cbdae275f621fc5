import { describe, expect, it } from 'vitest';
import { labelRuns } from '../../../core/analysis/beds.js';
import { CANOPY_FAI_BOUNDS, estimateCanopy, fullCoverRules } from '../../../core/analysis/endmembers.js';
import { DEFAULT_CANOPY_FAI } from '../../../core/analysis/fraction.js';
import { MASK } from '../../../core/analysis/mask-values.js';
import { RunList, appendRowRuns } from '../../../core/analysis/runs.js';

const NOISE = 0.002;

/**
 * A scene of square beds (side `size` px, at `x`) whose FAI is `full` over a uniform core and
 * falls towards the edges: FAI = f × full + (1 − f) × water with f from the distance to the edge.
 */
function scene(beds: Array<{ x: number; size: number; full: number; coreFull?: boolean }>, width = 120, height = 40) {
  const mask = new Uint8Array(width * height);
  const faiImage = new Float64Array(width * height);
  for (const bed of beds) {
    for (let y = 2; y < 2 + bed.size; y++) {
      for (let x = bed.x; x < bed.x + bed.size; x++) {
        const edge = Math.min(x - bed.x, bed.x + bed.size - 1 - x, y - 2, 2 + bed.size - 1 - y);
        // Cores are a uniform mat (full cover) or, for sparse beds, patchy cover that never closes.
        const f = bed.coreFull === false ? 0.35 + 0.25 * (((x * 7 + y * 13) % 5) / 4) : Math.min(1, 0.4 + 0.15 * edge);
        mask[y * width + x] = MASK.kelp;
        faiImage[y * width + x] = f * bed.full + (1 - f) * -0.009;
      }
    }
  }
  const runs = new RunList();
  for (let y = 0; y < height; y++) appendRowRuns(runs, y, mask.subarray(y * width, (y + 1) * width));
  const fai: number[] = [];
  for (let r = 0; r < runs.length; r++) for (let x = runs.x0(r); x < runs.x1(r); x++) fai.push(faiImage[runs.row(r) * width + x]);
  const { bedOfRun, count } = labelRuns(runs);
  return { mask, width, height, runs, fai, bedOfRun, count };
}

describe('estimateCanopy', () => {
  it('measures each bed’s own full-cover FAI from the uniform mat of its core', () => {
    const s = scene([
      { x: 2, size: 20, full: 0.15 },
      { x: 40, size: 20, full: 0.2 },
    ]);
    const canopy = estimateCanopy(s.mask, s.width, s.height, s.runs, s.fai, s.bedOfRun, s.count, undefined, NOISE);
    expect(canopy.own).toEqual(Uint8Array.of(1, 1));
    expect(canopy.perBed[0]).toBeCloseTo(0.15, 3);
    expect(canopy.perBed[1]).toBeCloseTo(0.2, 3);
    expect(canopy.sceneSource).toBe('scene');
    expect(canopy.range).toEqual([canopy.perBed[0], canopy.perBed[1]]);
  });

  it('gives a bed too small to have a core the scene’s value, with a wide uncertainty', () => {
    const s = scene([
      { x: 2, size: 20, full: 0.18 },
      { x: 40, size: 4, full: 0.3 },
    ]);
    const canopy = estimateCanopy(s.mask, s.width, s.height, s.runs, s.fai, s.bedOfRun, s.count, undefined, NOISE);
    expect(canopy.own[1]).toBe(0);
    expect(canopy.perBed[1]).toBe(canopy.scene);
    expect(canopy.uncertainty[1]).toBeGreaterThanOrEqual(0.25 * canopy.scene);
  });

  it('takes a bed far darker than the scene’s others as sparse, not dark', () => {
    const s = scene([
      { x: 2, size: 20, full: 0.18 },
      { x: 30, size: 20, full: 0.19 },
      { x: 60, size: 20, full: 0.18, coreFull: false },
    ]);
    const canopy = estimateCanopy(s.mask, s.width, s.height, s.runs, s.fai, s.bedOfRun, s.count, undefined, NOISE);
    expect(canopy.own[2]).toBe(0);
    expect(canopy.perBed[2]).toBeCloseTo(canopy.scene, 6);
  });

  it('falls back to the default without any bed to measure, and uses a requested value as given', () => {
    const s = scene([{ x: 2, size: 3, full: 0.2 }]);
    const fallback = estimateCanopy(s.mask, s.width, s.height, s.runs, s.fai, s.bedOfRun, s.count, undefined, NOISE);
    expect(fallback).toMatchObject({ scene: DEFAULT_CANOPY_FAI, sceneSource: 'default', beds: 0 });
    const big = scene([{ x: 2, size: 20, full: 0.15 }]);
    const requested = estimateCanopy(big.mask, big.width, big.height, big.runs, big.fai, big.bedOfRun, big.count, 0.25, NOISE);
    expect(requested).toMatchObject({ scene: 0.25, sceneSource: 'request' });
    expect(requested.perBed[0]).toBe(0.25);
  });

  it('keeps every value within the physical bounds', () => {
    const s = scene([{ x: 2, size: 20, full: 0.9 }]);
    const canopy = estimateCanopy(s.mask, s.width, s.height, s.runs, s.fai, s.bedOfRun, s.count, undefined, NOISE);
    expect(canopy.perBed[0]).toBe(CANOPY_FAI_BOUNDS[1]);
  });
});

describe('fullCoverRules', () => {
  it('keeps the 10 m rules and gives 30 m the same distances and area in its own pixels', () => {
    expect(fullCoverRules(10)).toEqual({ interiorPx: 2, minPixels: 20, flatSigmas: 1 });
    // 20 m inside → 1 pixel; 2000 m² → 2.2 pixels, floored at 5; the 90 m neighbourhood holds the mat's texture: 2σ.
    expect(fullCoverRules(30)).toEqual({ interiorPx: 1, minPixels: 5, flatSigmas: 2 });
    expect(fullCoverRules(20)).toEqual({ interiorPx: 1, minPixels: 5, flatSigmas: 2 });
    expect(fullCoverRules(NaN)).toEqual(fullCoverRules(10));
  });
});
