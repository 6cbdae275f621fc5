import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../adapters/local/file-source.js';
import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import { analyzeScene } from '../../core/analysis/analyze.js';
import { parseAnalysisOptions } from '../../core/analysis/options.js';
import { systemClock } from '../../core/ports/clock.js';
import { silentLogger } from '../../core/ports/logger.js';
import { type AnalyzeStacDeps, analyzeStac } from '../../core/usecases/analyze-stac.js';
import { AOI, coastalBandBytes, fixtureRuntime, startFixtureServer, stacCommand } from '../helpers/stac-setup.js';
import type { StacServer } from '../helpers/stac-server.js';

let server: StacServer;
let coastalDir: string;
let deps: AnalyzeStacDeps;
const JULY = { start: '2023-06-01', end: '2023-08-31', maxCloudCover: 30 };

beforeAll(async () => {
  ({ server, coastalDir } = await startFixtureServer());
  deps = {
    ...fixtureRuntime(server.earthSearchUrl),
    resultStore: new MemoryBlobStore(),
    clock: systemClock,
    logger: silentLogger,
    codeVersion: 'test',
    maxImagePixels: 2e8,
    retry: { baseDelayMs: 5 },
  };
});
afterAll(() => server.close());

const fileRequests = () => server.log.filter((entry) => entry.path.endsWith('.tif'));

describe('Earth Search convention, the real scene', () => {
  it('analyses a 2 km area of the real desert scene and finds no kelp', async () => {
    const { result } = await analyzeStac(stacCommand({ point: AOI.real, bufferKm: 1, start: '2020-02-01', end: '2020-02-29' }), deps);
    expect(result.kelp.areaM2).toBe(0);
    expect(result.pixels.land).toBeGreaterThan(0);
    expect(result.grid).toMatchObject({ crs: 'EPSG:32629', pixelSizeM: 100, width: 22, height: 22 });
  });

  it('records the scene id, acquisition time, processing baseline and offset used', async () => {
    const { result } = await analyzeStac(stacCommand({ point: AOI.real, bufferKm: 1, start: '2020-02-01', end: '2020-02-29' }), deps);
    expect(result.source).toMatchObject({
      sceneId: 'S2A_29RKH_20200219_0_L2A',
      acquiredAt: '2020-02-19T11:34:25.405000Z',
      processingBaseline: '02.14',
      layout: 'per-band',
      reflectance: { kind: 'boa-offset', boaAddOffset: 0, origin: 'stac' },
      stac: { convention: 'earth-search', boaAddOffset: 0, offsetSource: 'raster:bands', cloudCover: 4.051854, itemId: 'S2A_29RKH_20200219_0_L2A' },
    });
    expect(result.source.uri).toBe(`${server.earthSearchUrl}/collections/sentinel-2-l2a/items/S2A_29RKH_20200219_0_L2A`);
  });
});

describe('Earth Search convention, the coastal scene', () => {
  it('chooses the least cloudy scene covering the AOI and finds the kelp', async () => {
    const { result } = await analyzeStac(stacCommand({ point: AOI.kelp, bufferKm: 1, ...JULY }), deps);
    expect(result.source.sceneId).toBe('S2X_COAST_20230701');
    expect(result.source.stac).toMatchObject({ boaAddOffset: -1000, offsetSource: 'raster:bands', cloudCover: 5 });
    expect(result.kelp.areaHa).toBeGreaterThan(5);
    expect(result.grid.width).toBeGreaterThanOrEqual(200);
    expect(result.grid.width).toBeLessThanOrEqual(206);
  });

  it('gives the same answer as analysing the same window of the local files', async () => {
    const { result } = await analyzeStac(stacCommand({ point: AOI.kelp, bufferKm: 1, ...JULY }, { method: 'consensus' }), deps);
    const opened = await Promise.all(['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL'].map(async (band) => [band, await openFileSource(join(coastalDir, `${band}.tif`))] as const));
    const sources = Object.fromEntries(opened);
    const local = await analyzeScene(
      { id: 'local', input: { kind: 'per-band', sources }, options: parseAnalysisOptions({ method: 'consensus' }), window: result.source.stac!.window, stacBoaOffset: -1000, source: { uri: 'local' } },
      { clock: systemClock, codeVersion: 'test' },
    );
    await Promise.all(Object.values(sources).map((source) => source.close()));
    expect(result.kelp).toEqual(local.result.kelp);
    expect(result.pixels).toEqual(local.result.pixels);
  });

  it('answers the same request again from the stored result, reading no file', async () => {
    const stac = { point: AOI.kelp, bufferKm: 1, ...JULY };
    const first = await analyzeStac(stacCommand(stac, { method: 'fai' }), deps);
    server.log.length = 0;
    const again = await analyzeStac(stacCommand(stac, { method: 'fai' }), deps);
    expect(again).toMatchObject({ reused: true, result: { id: first.result.id } });
    expect(fileRequests()).toHaveLength(0);
  });
});

describe('reading only the bytes the AOI needs', () => {
  it.each([
    ['straddling 2 × 2 tiles', AOI.kelp],
    ['inside one tile', AOI.aligned],
  ])('a 2 km AOI %s reads well under a tenth of the scene, and never a whole file', async (_, point) => {
    const sizes = await coastalBandBytes(coastalDir);
    const sceneBytes = Object.values(sizes).reduce((sum, size) => sum + size, 0);
    server.log.length = 0;
    const { result } = await analyzeStac(stacCommand({ point, bufferKm: 1, ...JULY }, { minBedAreaM2: 501 }), deps);
    const requests = fileRequests();
    const bytes = requests.reduce((sum, entry) => sum + entry.bytes, 0);
    const perFile = new Map<string, number>();
    for (const entry of requests) perFile.set(entry.path, (perFile.get(entry.path) ?? 0) + entry.bytes);

    expect(bytes / sceneBytes).toBeLessThan(0.1);
    expect(requests.every((entry) => entry.status === 206 && entry.range)).toBe(true);
    for (const [path, read] of perFile) expect(read).toBeLessThan(sizes[path.split('/').pop()!.replace('.tif', '')]);
    expect(result.source.stac?.io).toEqual({ requests: requests.length, bytes });
    console.info(`[stac bytes] ${_}: ${requests.length} requests, ${bytes} bytes = ${((100 * bytes) / sceneBytes).toFixed(1)} % of ${sceneBytes} scene bytes`);
  });
});

describe('transient failures', () => {
  it('retries 5xx answers and connection resets on band files and still finishes', async () => {
    server.log.length = 0;
    server.faults.push({ path: /\/B08\.tif$/, status: 503, times: 2 }, { path: /\/B04\.tif$/, reset: true, times: 1 }, { path: /\/search$/, status: 502, times: 1 });
    const { result } = await analyzeStac(stacCommand({ point: AOI.kelp, bufferKm: 1, ...JULY }, { minBedAreaM2: 502 }), deps);
    expect(result.kelp.areaHa).toBeGreaterThan(5);
    expect(server.log.filter((entry) => entry.status === 503)).toHaveLength(2);
    expect(server.faults.every((fault) => fault.times === 0)).toBe(true);
  });
});
