import { parseAnalysisOptions } from '../../core/analysis/options.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../adapters/local/file-source.js';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { analyzeScene } from '../../core/analysis/analyze.js';
import type { AnalysisResult } from '../../core/analysis/result.js';
import { TRUTH, createSampleScene } from '../../core/sample/scene.js';
import { crsFromEpsg, fromWgs84 } from '../../core/raster/crs.js';
import { MIXING_RADIUS_PX, near } from '../helpers/science.js';

/** Truth flags that make a pixel unobservable: kelp there cannot be seen, so it is not scored. */
const HIDDEN = TRUTH.cloud | TRUTH.shadow | TRUTH.nodata;
/** Truth flags on which a detection is a false positive caused by that surface. */
const CONFUSERS = TRUTH.land | TRUTH.cloud | TRUTH.shadow | TRUTH.glint | TRUTH.foam;
const PIXEL_AREA_M2 = 100;

/** Absolute shoelace area of a closed ring of projected coordinates. */
function ringArea(ring: Array<[number, number]>): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(sum) / 2;
}

async function analyzeSampleWithArtifacts(dir: string, size: number, seed: number) {
  const scene = createSampleScene({ width: size, height: size, seed });
  const sceneDir = join(dir, `artifacts-${size}-${seed}`);
  await writeSampleScene(scene, sceneDir, { layout: 'multiband' });
  const source = await openFileSource(join(sceneDir, 'sample.tif'));
  try {
    return await analyzeScene({ id: 'a', input: { kind: 'multiband', source }, source: { uri: 'sample' } }, { clock: { now: () => 0 }, codeVersion: 'test' });
  } finally {
    await source.close();
  }
}

interface Scored {
  result: AnalysisResult;
  iou: number;
  confuserDetections: number;
  trueAreaM2: number;
  /** Share of canopy (fraction ≥ 0.2) under sun glint that was found. */
  glintRecall: number;
  /** Share of sparse canopy (fraction 0.2–0.5, bed edges) that was found. */
  sparseRecall: number;
}

async function analyzeSample(dir: string, size: number, seed: number, layout: 'multiband' | 'per-band', options = {}): Promise<Scored> {
  const scene = createSampleScene({ width: size, height: size, seed });
  const sceneDir = join(dir, `${layout}-${size}-${seed}`);
  await writeSampleScene(scene, sceneDir, { layout });
  const bands = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];
  const input =
    layout === 'multiband'
      ? { kind: 'multiband' as const, source: await openFileSource(join(sceneDir, 'sample.tif')) }
      : { kind: 'per-band' as const, sources: Object.fromEntries(await Promise.all(bands.map(async (b) => [b, await openFileSource(join(sceneDir, `${b}.tif`))]))) };
  const { result, artifacts } = await analyzeScene(
    { id: `seed-${seed}`, input, source: { uri: 'sample' }, options: parseAnalysisOptions(options) },
    { clock: { now: () => 0 }, codeVersion: 'test' },
  );
  const maskTiff = artifacts.find((a) => a.name === 'kelp-mask.tif')!.bytes;
  const image = await (await fromArrayBuffer(maskTiff.slice().buffer)).getImage();
  const mask = (await image.readRasters({ interleave: true })) as unknown as Uint8Array;
  const truth = scene.readTruth({ x0: 0, y0: 0, width: size, height: size });
  return { result, ...score(mask, truth.canopyFraction, truth.flags, size), trueAreaM2: observableArea(truth.canopyFraction, truth.flags) };
}

function observableArea(fraction: Float32Array, flags: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < fraction.length; i++) if (!(flags[i] & HIDDEN)) sum += fraction[i] * PIXEL_AREA_M2;
  return sum;
}

function score(mask: Uint8Array, fraction: Float32Array, flags: Uint8Array, size: number) {
  let intersection = 0;
  let union = 0;
  let confuserDetections = 0;
  const glint = { canopy: 0, found: 0 };
  const sparse = { canopy: 0, found: 0 };
  for (let i = 0; i < mask.length; i++) {
    if (flags[i] & HIDDEN) continue;
    const truth = fraction[i] >= 0.2;
    const found = mask[i] === 1;
    if (truth && found) intersection++;
    if (truth || found) union++;
    if (found && fraction[i] === 0 && flags[i] & CONFUSERS && !near(fraction, size, i, MIXING_RADIUS_PX)) confuserDetections++;
    if (truth && flags[i] & TRUTH.glint) tally(glint, found);
    if (truth && fraction[i] < 0.5) tally(sparse, found);
  }
  return { iou: intersection / union, confuserDetections, glintRecall: glint.found / glint.canopy, sparseRecall: sparse.found / sparse.canopy };
}

function tally(counter: { canopy: number; found: number }, found: boolean): void {
  counter.canopy++;
  if (found) counter.found++;
}

describe('kelp found in generated coastal scenes matches the ground truth', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-accuracy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: IoU ≥ 0.9 on canopy fraction ≥ 0.2, no detection caused by land, cloud, shadow, glint or foam`, async () => {
      const { iou, confuserDetections, result } = await analyzeSample(dir, 1024, seed, 'multiband');
      expect(result.kelp.beds).toBeGreaterThan(3);
      expect(iou).toBeGreaterThanOrEqual(0.9);
      expect(confuserDetections).toBe(0);
    });
  }

  it('finds canopy under sun glint, which the plain SWIR land test would lose', async () => {
    const guarded = await analyzeSample(dir, 1024, 1, 'multiband');
    const unguarded = await analyzeSample(dir, 1024, 1, 'multiband', { thresholds: { glintGreenSwirMin: 1 } });
    expect(guarded.glintRecall).toBeGreaterThanOrEqual(0.95);
    expect(unguarded.glintRecall).toBeLessThan(guarded.glintRecall - 0.2);
  });

  it('finds sparse canopy at bed edges (fraction 0.2–0.5)', async () => {
    const { sparseRecall } = await analyzeSample(dir, 1024, 2, 'multiband');
    expect(sparseRecall).toBeGreaterThanOrEqual(0.9);
  });

  it('does not count canopy under cloud or cloud shadow', async () => {
    const { result } = await analyzeSample(dir, 1024, 3, 'multiband');
    expect(result.pixels.cloud).toBeGreaterThan(0);
    expect(result.pixels.shadow).toBeGreaterThan(0);
    // kelp-mask.tif marks them 255: the IoU above already excludes them from the truth.
    expect(result.pixels.kelp + result.pixels.water + result.pixels.land + result.pixels.coast + result.pixels.cloud + result.pixels.shadow).toBe(
      result.pixels.valid,
    );
  });

  it('fractional area is within 10 % of the true canopy area that is not under cloud', async () => {
    const { result, trueAreaM2 } = await analyzeSample(dir, 1024, 4, 'multiband', { areaMode: 'fractional' });
    expect(result.kelp.areaMode).toBe('fractional');
    expect(Math.abs(result.kelp.areaM2 - trueAreaM2) / trueAreaM2).toBeLessThan(0.1);
  });

  it('per-band files at native 10 m and 20 m give the same answer as the stacked file', async () => {
    const stacked = await analyzeSample(dir, 512, 5, 'multiband');
    const perBand = await analyzeSample(dir, 512, 5, 'per-band');
    expect(perBand.result.pixels).toEqual(stacked.result.pixels);
    expect(perBand.result.kelp.binaryAreaM2).toBe(stacked.result.kelp.binaryAreaM2);
  });

  it('the bed polygons, projected back to UTM, enclose exactly the reported kelp area', async () => {
    const { result, artifacts } = await analyzeSampleWithArtifacts(dir, 512, 1);
    const geojson = JSON.parse(new TextDecoder().decode(artifacts.find((a) => a.name === 'beds.geojson')!.bytes));
    expect(geojson.features).toHaveLength(result.kelp.beds);
    const toUtm = fromWgs84(crsFromEpsg(32610));
    let polygonArea = 0;
    for (const feature of geojson.features) {
      for (const [outer, ...holes] of feature.geometry.coordinates) {
        polygonArea += ringArea(outer.map(([lon, lat]: number[]) => toUtm(lon, lat)));
        for (const hole of holes) polygonArea -= ringArea(hole.map(([lon, lat]: number[]) => toUtm(lon, lat)));
      }
    }
    const perBed = geojson.features.reduce((sum: number, f: { properties: { areaM2: number } }) => sum + f.properties.areaM2, 0);
    expect(perBed).toBeCloseTo(result.kelp.areaM2, 0);
    expect(Math.abs(polygonArea - result.kelp.binaryAreaM2) / result.kelp.binaryAreaM2).toBeLessThan(1e-4);
  });
});

describe('the real Sentinel-2 desert scene', () => {
  const fixture = join(import.meta.dirname, '../fixtures/s2-desert-29RKH');

  it('has no kelp, read as a stacked file', async () => {
    const source = await openFileSource(join(fixture, 'stack.tif'));
    const { result } = await analyzeScene(
      { id: 'desert', input: { kind: 'multiband', source }, source: { uri: 'stack.tif' } },
      { clock: { now: () => 0 }, codeVersion: 'test' },
    );
    expect(result.kelp.areaM2).toBe(0);
    expect(result.pixels.kelp).toBe(0);
    expect(result.pixels.cloud).toBeGreaterThan(0);
    expect(result.pixels.land).toBeGreaterThan(0);
    expect(result.source.reflectance).toMatchObject({ boaAddOffset: 0, origin: 'file' });
  });

  it('has no kelp, read as per-band COGs at 100 m and 200 m, with SCL clouds masked', async () => {
    const bands = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];
    const sources = Object.fromEntries(await Promise.all(bands.map(async (b) => [b, await openFileSource(join(fixture, `${b}.tif`))])));
    const { result } = await analyzeScene(
      { id: 'desert', input: { kind: 'per-band', sources }, source: { uri: 'per-band' } },
      { clock: { now: () => 0 }, codeVersion: 'test' },
    );
    expect(result.kelp.areaM2).toBe(0);
    expect(result.grid).toMatchObject({ width: 256, height: 256, crs: 'EPSG:32629', pixelSizeM: 100 });
    expect(result.warnings.map((w) => w.code)).toContain('BOA_OFFSET_ASSUMED');
  });
});
