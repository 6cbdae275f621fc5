/**
 * Canopy area against ground truth on scenes that vary as real coasts do (the sample
 * generator's `natural` variation: canopy brightness per scene, bed and patch, bed density,
 * beds touching the shore, a turbid plume, a glint gradient, shorelines mixed within pixels).
 *
 * The constants of the area method (thresholds, end-member rules) were chosen on seeds 11–22;
 * 101–108 and 301–306 were held out and each showed a failure (false kelp on a wet-sand spit,
 * then on vegetated shoreline pixels beside a bed) that was fixed in general, not for the seed.
 * The seeds here were not run until the method was fixed, so they test it as independent
 * scenes would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SceneFigures, analyzeGenerated, formatFigures, scoreRun } from '../helpers/science.js';

const HELD_OUT_SEEDS = [501, 502, 503, 504, 505, 506];
const SIZE = 1024;

describe('canopy area on naturally varying scenes, seeds not used while tuning', () => {
  let dir: string;
  const figures = new Map<number, SceneFigures & { range: { low: number; high: number }; rangeWidth: string }>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-canopy-area-'));
    for (const seed of HELD_OUT_SEEDS) {
      const run = await analyzeGenerated(dir, { size: SIZE, seed, options: { areaMode: 'fractional' } });
      const range = run.result.kelp.fractionalAreaRangeM2;
      const width = `−${(100 * (1 - range.low / range.central)).toFixed(1)} %/+${(100 * (range.high / range.central - 1)).toFixed(1)} %`;
      figures.set(seed, { ...scoreRun(run), range, rangeWidth: width });
    }
    // The table the issue asks for, in the test output.
    console.log(['canopy area, natural variation, 1024 × 1024 at 10 m:', ...[...figures].map(([seed, f]) => `${formatFigures(seed, f)} | range ${f.rangeWidth}`)].join('\n'));
  }, 600_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(HELD_OUT_SEEDS)('seed %i: fractional area within 3 % of the true canopy area', (seed) => {
    expect(Math.abs(figures.get(seed)!.fractionalError)).toBeLessThan(0.03);
  });

  it.each(HELD_OUT_SEEDS)('seed %i: IoU ≥ 0.95 on canopy fraction ≥ 0.2', (seed) => {
    expect(figures.get(seed)!.accuracy.iou).toBeGreaterThanOrEqual(0.95);
  });

  it.each(HELD_OUT_SEEDS)('seed %i: canopy that touches the shore is found (recall ≥ 0.9)', (seed) => {
    const f = figures.get(seed)!;
    expect(f.shoreCanopyPixels).toBeGreaterThan(100);
    expect(f.shoreRecall).toBeGreaterThanOrEqual(0.9);
  });

  it.each(HELD_OUT_SEEDS)('seed %i: no kelp on land, wet sand, cloud, shadow, glint or foam', (seed) => {
    expect(figures.get(seed)!.falseKelp).toEqual({ land: 0, wetSand: 0, cloud: 0, shadow: 0, glint: 0, foam: 0 });
  });

  it.each(HELD_OUT_SEEDS)('seed %i: the fractional area range contains the true area', (seed) => {
    const f = figures.get(seed)!;
    expect(f.range.low).toBeLessThanOrEqual(f.trueAreaM2);
    expect(f.range.high).toBeGreaterThanOrEqual(f.trueAreaM2);
  });

  it('keeps the area ranges narrow: each side within 10 % of the area (the widths are printed above)', () => {
    for (const f of figures.values()) {
      expect(f.range.high / f.fractionalAreaM2 - 1).toBeLessThan(0.1);
      expect(1 - f.range.low / f.fractionalAreaM2).toBeLessThan(0.1);
    }
  });
});
