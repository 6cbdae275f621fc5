/**
 * Landsat 8/9 canopy area against ground truth, and against Sentinel-2 over the same place
 * (issue 15's must-holds). The sample generator renders one truth field (seed, layout, place in
 * metres) at 10 m for Sentinel-2 and at 30 m for Landsat, each 30 m pixel the mean of its nine
 * 10 m pixels (core/sample/landsat.ts); the Landsat scene is written as USGS ships it and
 * analysed from the files with the sensor's defaults (FAI).
 *
 * Scored on 30 m pixels: the fractional area against Σ fraction × 900 m² over the pixels that
 * neither the truth (cloud, shadow, nodata) nor the product's QA_PIXEL (fill, cloud, dilated
 * cloud, shadow) hides; IoU with kelp = truth fraction ≥ 0.5 and not kelp = no canopy (pixels in
 * between are mixed and not scored); false kelp on a surface = a detection on a 30 m pixel with no
 * canopy, more than two pixels from any canopy, that holds some of that surface (the 30 m truth
 * flags are the OR of the nine 10 m flags).
 *
 * Seeds: 1 (uniform) and 11, 12 (natural) were looked at while the Landsat sample was built;
 * 2, 3 and 601–603 were first run for this test. The 30 m end-member and shore rules
 * (endmembers.ts FLAT_SIGMAS_COARSE, strip-kernel.ts swirOnGrid) were then chosen looking at
 * 11, 12, 601–603 and 701–705; 803 and 804 (of 801–805, all within 5 %, none looked at before)
 * were first run with the rules fixed and are kept as the seeds nothing was tuned on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '../../core/analysis/mask-values.js';
import type { SceneVariation } from '../../core/sample/scene.js';
import { type SceneFigures, analyzeGenerated, analyzeGeneratedLandsat, formatFigures, productMasked, scoreRun } from '../helpers/science.js';

/** The field's side in 10 m pixels: 342 × 342 pixels at 30 m, the same 10.26 km square at 10 m. */
const SIZE = 1026;
const IOU_RULE = { minFraction: 0.5, maxNonKelp: 0 };

interface Case {
  seed: number;
  variation: SceneVariation;
  sensor: 'landsat-8' | 'landsat-9';
  layout: 'per-band' | 'multiband';
}

const CASES: Case[] = [
  { seed: 1, variation: 'uniform', sensor: 'landsat-8', layout: 'per-band' },
  { seed: 2, variation: 'uniform', sensor: 'landsat-8', layout: 'multiband' },
  { seed: 3, variation: 'uniform', sensor: 'landsat-9', layout: 'per-band' },
  { seed: 11, variation: 'natural', sensor: 'landsat-8', layout: 'per-band' },
  { seed: 12, variation: 'natural', sensor: 'landsat-8', layout: 'per-band' },
  { seed: 601, variation: 'natural', sensor: 'landsat-8', layout: 'per-band' },
  { seed: 602, variation: 'natural', sensor: 'landsat-9', layout: 'per-band' },
  { seed: 603, variation: 'natural', sensor: 'landsat-8', layout: 'multiband' },
  { seed: 803, variation: 'natural', sensor: 'landsat-8', layout: 'per-band' },
  { seed: 804, variation: 'natural', sensor: 'landsat-9', layout: 'per-band' },
];
const name = (c: Case) => `${c.sensor} ${c.variation} seed ${c.seed} (${c.layout})`;

interface Figures {
  landsat: SceneFigures;
  /** IoU at fraction ≥ 0.5. */
  iou: number;
  /** Kelp pixels where QA_PIXEL says fill, cloud, dilated cloud or shadow. */
  kelpOnProductMask: number;
  sentinel2: SceneFigures;
  /** Landsat fractional area over Sentinel-2's, minus 1. */
  sensorsDiffer: number;
  sensor: string;
  pixelSizeM: number;
}

describe('Landsat canopy area against the truth and against Sentinel-2 over the same place', () => {
  let dir: string;
  const figures = new Map<Case, Figures>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-landsat-accuracy-'));
    for (const c of CASES) {
      const run = await analyzeGeneratedLandsat(dir, { size: SIZE, seed: c.seed, variation: c.variation, sensor: c.sensor, layout: c.layout, options: { areaMode: 'fractional' } });
      const unobserved = productMasked(run.qa);
      const landsat = scoreRun(run, { unobserved });
      const iou = scoreRun(run, { unobserved, rule: IOU_RULE }).accuracy.iou;
      let kelpOnProductMask = 0;
      for (let i = 0; i < run.mask.length; i++) if (run.mask[i] === MASK.kelp && unobserved[i]) kelpOnProductMask++;
      const s2 = await analyzeGenerated(dir, { size: SIZE, seed: c.seed, variation: c.variation, options: { areaMode: 'fractional' } });
      const sentinel2 = scoreRun(s2);
      figures.set(c, {
        landsat,
        iou,
        kelpOnProductMask,
        sentinel2,
        sensorsDiffer: landsat.fractionalAreaM2 / sentinel2.fractionalAreaM2 - 1,
        sensor: run.result.source.sensor ?? '',
        pixelSizeM: run.result.grid.pixelSizeM,
      });
      // The scene files are not needed once analysed (the writer makes the folder again).
      await rm(dir, { recursive: true, force: true });
    }
    const pct = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)} %`;
    console.log(
      [
        `canopy area, Landsat at 30 m (fai) and Sentinel-2 at 10 m (kd) of one ${SIZE} × ${SIZE} field:`,
        ...[...figures].flatMap(([c, f]) => [
          `${name(c)}`,
          `  30 m ${formatFigures(c.seed, f.landsat)} | IoU at ≥ 0.5 ${f.iou.toFixed(4)} | kelp on QA mask ${f.kelpOnProductMask}`,
          `  10 m ${formatFigures(c.seed, f.sentinel2)}`,
          `  Landsat / Sentinel-2 fractional area ${pct(f.sensorsDiffer)}`,
        ]),
      ].join('\n'),
    );
  }, 900_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES.map((c) => [name(c), c] as const))('%s: is analysed as Landsat on 30 m pixels', (_, c) => {
    const f = figures.get(c)!;
    expect(f.sensor).toBe(c.sensor);
    expect(f.pixelSizeM).toBe(30);
    expect(f.landsat.trueAreaM2).toBeGreaterThan(50 * 1e4);
  });

  it.each(CASES.map((c) => [name(c), c] as const))('%s: fractional area within 5 % of the true canopy area', (_, c) => {
    expect(Math.abs(figures.get(c)!.landsat.fractionalError)).toBeLessThan(0.05);
  });

  it.each(CASES.map((c) => [name(c), c] as const))('%s: IoU ≥ 0.9 on 30 m pixels at canopy fraction ≥ 0.5', (_, c) => {
    expect(figures.get(c)!.iou).toBeGreaterThanOrEqual(0.9);
  });

  it.each(CASES.map((c) => [name(c), c] as const))('%s: no kelp on cloud, shadow, land or glint', (_, c) => {
    const f = figures.get(c)!;
    const { cloud, shadow, land, glint } = f.landsat.falseKelp;
    expect({ cloud, shadow, land, glint }).toEqual({ cloud: 0, shadow: 0, land: 0, glint: 0 });
    expect(f.kelpOnProductMask).toBe(0);
  });

  it.each(CASES.map((c) => [name(c), c] as const))('%s: the fractional area agrees with Sentinel-2\'s over the same place within 10 %', (_, c) => {
    expect(Math.abs(figures.get(c)!.sensorsDiffer)).toBeLessThan(0.1);
  });
});
