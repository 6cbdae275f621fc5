import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { type WorkerExecutor, createWorkerExecutor } from '../../adapters/workers/worker-band-executor.js';
import { inflateOnThreadPool } from '../../adapters/shared/node-inflate.js';
import { type AnalyzeDeps, analyzeScene } from '../../core/analysis/analyze.js';
import { parseAnalysisOptions } from '../../core/analysis/options.js';
import type { AnalysisResult, Artifact } from '../../core/analysis/result.js';
import { CorruptImageError } from '../../core/errors.js';
import type { BandExecutor } from '../../core/ports/band-executor.js';
import { memoryByteSource } from '../../core/raster/byte-source.js';
import { openTiff } from '../../core/raster/open-tiff.js';
import { createSampleScene } from '../../core/sample/scene.js';
import { SPECTRA, type Spectrum, mix } from '../helpers/bands.js';
import { TEST_GEOREFERENCE, makeSceneTiff } from '../helpers/tiff.js';
import { crsFromEpsg, toWgs84 } from '../../core/raster/crs.js';

/**
 * A 768 × 1280 scene, five strips of 256 rows, so a scan on workers runs five bands (64 px tiles
 * align with the strips). Land on the west; beds made to cross the seams between bands: a kelp
 * blob over rows 150–700 (bands 0, 1 and 2), a diagonal chain of single pixels that crosses the
 * seam at row 512 only corner to corner (one bed by 8-connectivity), and small beds straddling
 * each seam. Canopy fraction varies per pixel, so fractional sums are not round numbers.
 */
const WIDTH = 768;
const HEIGHT = 1280;
const SEAMS = [256, 512, 768, 1024];

function pixel(x: number, y: number): Spectrum & { SCL?: number } {
  if (x < 60 + ((y * 7) % 13)) return { ...SPECTRA.soil, SCL: 5 };
  const wobble = 0.35 + 0.6 * (((x * 31 + y * 17) % 97) / 97);
  const inBlob = ((x - 400) / 150) ** 2 + ((y - 425) / 275) ** 2 <= 1;
  const onChain = y >= 480 && y < 545 && x === 600 + (y - 480);
  const straddler = SEAMS.some((seam) => Math.abs(y - seam + 0.5) < 3 && x % 97 >= 150 - 90 && x % 97 < 66 && x > 120);
  if (inBlob || onChain || straddler) return { ...mix(wobble), SCL: 6 };
  return { ...SPECTRA.water, SCL: 6 };
}

let scene: Uint8Array;
const executors: WorkerExecutor[] = [];

beforeAll(async () => {
  scene = await makeSceneTiff({ width: WIDTH, height: HEIGHT, pixel });
});
afterAll(async () => {
  await Promise.all(executors.map((executor) => executor.pool.close()));
});

/** An executor of `workers` threads that always runs in parallel, recording how many bands it ran and at most how many at once. */
function executorOf(workers: number): WorkerExecutor & { bands: number; peak: number } {
  const inner = createWorkerExecutor({ workers, minPixels: 0 });
  executors.push(inner);
  let running = 0;
  const spy = Object.assign(Object.create(inner) as WorkerExecutor, { bands: 0, peak: 0 });
  spy.run = async (task, io) => {
    spy.bands++;
    spy.peak = Math.max(spy.peak, ++running);
    try {
      return await inner.run(task, io);
    } finally {
      running--;
    }
  };
  return spy;
}

async function analyze(bytes: Uint8Array, executor?: BandExecutor, extra: Partial<AnalyzeDeps> = {}) {
  return analyzeScene(
    { id: 'parallel', input: { kind: 'multiband', source: memoryByteSource('scene.tif', bytes) }, source: { uri: 'scene.tif' }, options: parseAnalysisOptions({ areaMode: 'fractional', layers: ['rgb', 'kd'] }) },
    { clock: { now: () => 0 }, codeVersion: 'test', inflate: inflateOnThreadPool, ...(executor ? { executor } : {}), ...extra },
  );
}

const figures = (result: AnalysisResult) => ({ ...result, timings: undefined, createdAt: undefined });
const bytesOf = (artifacts: Artifact[], name: string) => Buffer.from(artifacts.find((artifact) => artifact.name === name)?.bytes ?? new Uint8Array());

describe('an analysis on worker threads', () => {
  it('gives byte-identical kelp-mask.tif, beds.geojson and layers, and equal figures, at 1, 2 and 4 workers', async () => {
    const sequential = await analyze(scene);
    expect(sequential.result.kelp.beds).toBeGreaterThanOrEqual(3);
    for (const workers of [2, 4]) {
      const executor = executorOf(workers);
      const parallel = await analyze(scene, executor);
      expect(executor.bands).toBe(5);
      expect(executor.peak).toBeGreaterThanOrEqual(Math.min(workers, 3));
      expect(figures(parallel.result)).toEqual(figures(sequential.result));
      expect(parallel.artifacts.map((artifact) => artifact.name)).toEqual(sequential.artifacts.map((artifact) => artifact.name));
      for (const { name } of sequential.artifacts) expect(bytesOf(parallel.artifacts, name).equals(bytesOf(sequential.artifacts, name)), `${name} at ${workers} workers`).toBe(true);
    }
  });

  it('gives the same on a synthetic Sentinel-2 scene read from per-band files (20 m red edge sharpened, glint, plume)', async () => {
    const bands = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-parallel-'));
    try {
      await writeSampleScene(createSampleScene({ width: 768, height: 1280, seed: 11, variation: 'natural' }), dir, { layout: 'per-band', tileSize: 128 });
      const files = Object.fromEntries(await Promise.all(bands.map(async (band) => [band, new Uint8Array(await readFile(join(dir, `${band}.tif`)))] as const)));
      const run = (executor?: BandExecutor) =>
        analyzeScene(
          { id: 'natural', input: { kind: 'per-band', sources: Object.fromEntries(bands.map((band) => [band, memoryByteSource(band, files[band])])) }, source: { uri: dir }, options: parseAnalysisOptions({ layers: ['rgb', 'fai'] }) },
          { clock: { now: () => 0 }, codeVersion: 'test', inflate: inflateOnThreadPool, ...(executor ? { executor } : {}) },
        );
      const sequential = await run();
      expect(sequential.result.kelp.beds).toBeGreaterThan(0);
      const executor = executorOf(4);
      const parallel = await run(executor);
      expect(executor.bands).toBe(5);
      expect(figures(parallel.result)).toEqual(figures(sequential.result));
      for (const { name } of sequential.artifacts) expect(bytesOf(parallel.artifacts, name).equals(bytesOf(sequential.artifacts, name)), name).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('honours an exact area of interest the same on workers as in-process: a triangle across three bands, pixels outside it not counted', async () => {
    const { transform, epsg } = TEST_GEOREFERENCE;
    const project = toWgs84(crsFromEpsg(epsg));
    const corner = (x: number, y: number) => project(transform.originX + x * 10, transform.originY - y * 10) as [number, number];
    const triangle = [corner(100, 100), corner(700, 300), corner(300, 900), corner(100, 100)];
    const run = (executor?: BandExecutor) =>
      analyzeScene(
        { id: 'aoi', input: { kind: 'multiband', source: memoryByteSource('scene.tif', scene) }, source: { uri: 'scene.tif' }, aoi: [[triangle]], options: parseAnalysisOptions({ areaMode: 'fractional' }) },
        { clock: { now: () => 0 }, codeVersion: 'test', inflate: inflateOnThreadPool, ...(executor ? { executor } : {}) },
      );
    const sequential = await run();
    const whole = await analyze(scene);
    expect(sequential.result.pixels.outsideAoi).toBeGreaterThan(0);
    expect(sequential.result.pixels.total).toBeLessThan(whole.result.pixels.total / 2);
    expect(sequential.result.kelp.binaryAreaM2).toBeLessThan(whole.result.kelp.binaryAreaM2);
    const executor = executorOf(4);
    const parallel = await run(executor);
    expect(executor.bands).toBe(5);
    expect(figures(parallel.result)).toEqual(figures(sequential.result));
    for (const { name } of sequential.artifacts) expect(bytesOf(parallel.artifacts, name).equals(bytesOf(sequential.artifacts, name)), name).toBe(true);
  });

  it('counts the blob over three bands, and the chain crossing a seam corner to corner, as one bed each', async () => {
    const executor = executorOf(4);
    const { artifacts } = await analyze(scene, executor);
    const beds = JSON.parse(bytesOf(artifacts, 'beds.geojson').toString()) as { features: Array<{ properties: { areaM2: number } }> };
    // The blob is ~ π × 150 × 275 px of 100 m², ≈ 8.4 km² of canopy at its mean cover; cut at the
    // seams, its largest piece (band 1's 256 rows) would hold at most ~ 4.7 km².
    const largest = Math.max(...beds.features.map((feature) => feature.properties.areaM2));
    expect(largest).toBeGreaterThan(7e6);
    const sequential = await analyze(scene);
    expect(beds.features.length).toBe(sequential.result.kelp.beds);
  });

  it('reports progress in rows that only grows, ending at the window height', async () => {
    const done: number[] = [];
    await analyze(scene, executorOf(2), { onProgress: (rows, total) => (expect(total).toBe(HEIGHT), done.push(rows)) });
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(HEIGHT);
  });

  it('fails with the same CorruptImageError as in-process when a worker meets a damaged tile, and leaves no thread running', async () => {
    const damaged = await damageTile(scene, 'B04', 12);
    const inProcess = await analyze(damaged).catch((error: unknown) => error);
    expect(inProcess).toBeInstanceOf(CorruptImageError);
    const executor = executorOf(2);
    const onWorkers = await analyze(damaged, executor).catch((error: unknown) => error);
    expect(onWorkers).toBeInstanceOf(CorruptImageError);
    expect((onWorkers as Error).message).toBe((inProcess as Error).message);
    expect(executor.pool.threads).toBe(0);
  });

  it('stops every worker when its signal aborts, with the signal reason', async () => {
    const executor = executorOf(2);
    const controller = new AbortController();
    const reason = new Error('deadline passed');
    const analysis = analyze(scene, executor, { signal: controller.signal, onProgress: () => controller.abort(reason) });
    await expect(analysis).rejects.toBe(reason);
    expect(executor.pool.threads).toBe(0);
  });
});

/** `bytes` with tile row `tileRow` (of the first tile column) of band `band` overwritten with garbage. */
async function damageTile(bytes: Uint8Array, band: string, tileRow: number): Promise<Uint8Array> {
  const info = await openTiff(memoryByteSource('scene.tif', bytes));
  const layout = info.layout;
  if (!layout) throw new Error('the test scene has no tile layout');
  const sample = info.descriptions.indexOf(band);
  const index = (sample * layout.tilesDown + tileRow) * layout.tilesAcross;
  const damaged = bytes.slice();
  damaged.fill(0xa5, layout.offsets[index], layout.offsets[index] + layout.byteCounts[index]);
  return damaged;
}
