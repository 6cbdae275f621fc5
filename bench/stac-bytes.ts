// `npx tsx bench/stac-bytes.ts`: requests and bytes a 2 km AOI costs, ours against GDAL.
// Starts the STAC fixture server of the tests (127.0.0.1, real Range support, counting), then
// for each AOI: (1) our STAC analysis, the band files it reads counted on the server; (2)
// `gdal_translate -projwin … -projwin_srs EPSG:4326 /vsicurl/http://127.0.0.1:PORT/…` once per
// band file we read (the same files, the same AOI), counted the same way. Prints a table and a
// JSON line. Times: ours is the whole analysis in-process; GDAL's is seven process starts and
// reads, not comparable work. Needs gdal-bin.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBlobStore } from '../adapters/memory/memory-blob-store.js';
import { systemClock } from '../core/ports/clock.js';
import { silentLogger } from '../core/ports/logger.js';
import { aoiBbox } from '../core/stac/aoi.js';
import { analyzeStac } from '../core/usecases/analyze-stac.js';
import { parseAnalysisOptions } from '../core/analysis/options.js';
import { parseStacRequest } from '../core/stac/stac-request.js';
import { REAL_SCENE } from '../test/helpers/stac-fixtures.js';
import { AOI, coastalBandBytes, fixtureRuntime, startFixtureServer } from '../test/helpers/stac-setup.js';
import type { LoggedRequest } from '../test/helpers/stac-server.js';

const CASES = [
  { name: 'coastal, AOI over 2 × 2 tiles', point: AOI.kelp, scene: 'S2X_COAST_20230701', dates: { start: '2023-07-01', end: '2023-07-01' } },
  { name: 'coastal, AOI inside one tile', point: AOI.aligned, scene: 'S2X_COAST_20230701', dates: { start: '2023-07-01', end: '2023-07-01' } },
  { name: 'real 29RKH (512 px tiles at 100 m)', point: AOI.real, scene: 'S2A_29RKH_20200219_0_L2A', dates: { start: '2020-02-19', end: '2020-02-19' } },
];
const run = promisify(execFile);
const GDAL_ENV = { ...process.env, CPL_VSIL_CURL_ALLOWED_EXTENSIONS: '.tif', GDAL_DISABLE_READDIR_ON_OPEN: 'EMPTY_DIR', GDAL_HTTP_MAX_RETRY: '0' };

const tally = (log: LoggedRequest[]) => {
  const files = log.filter((entry) => entry.path.endsWith('.tif'));
  return { requests: files.length, bytes: files.reduce((sum, entry) => sum + entry.bytes, 0), heads: files.filter((entry) => entry.method === 'HEAD').length };
};

const { server, coastalDir } = await startFixtureServer();
const out = await mkdtemp(join(tmpdir(), 'kelpie-stac-bench-'));
const rows: Array<Record<string, string | number>> = [];
try {
  const coastalBytes = Object.values(await coastalBandBytes(coastalDir)).reduce((a, b) => a + b, 0);
  const realFiles = (await readdir(REAL_SCENE.dir)).filter((name) => name.endsWith('.tif'));
  const realBytes = (await Promise.all(realFiles.map(async (name) => (await stat(join(REAL_SCENE.dir, name))).size))).reduce((a, b) => a + b, 0);
  for (const testCase of CASES) {
    server.log.length = 0;
    const deps = { ...fixtureRuntime(server.earthSearchUrl), resultStore: new MemoryBlobStore(), clock: systemClock, logger: silentLogger, codeVersion: 'bench', maxImagePixels: 2e8 };
    const started = performance.now();
    const stac = parseStacRequest({ point: testCase.point, bufferKm: 1, ...testCase.dates, maxCloudCover: 100 });
    const { result } = await analyzeStac({ stac, options: parseAnalysisOptions({}) }, deps);
    const oursMs = performance.now() - started;
    const ours = tally(server.log);
    const assets = Object.keys(result.source.stac?.assets ?? {});

    const [west, south, east, north] = aoiBbox({ point: testCase.point, bufferKm: 1 });
    server.log.length = 0;
    const gdalStarted = performance.now();
    for (const band of assets) {
      const url = `/vsicurl/${server.url}/files/${testCase.scene}/${band}.tif`;
      // Async: the fixture server answering GDAL runs in this process.
      await run('gdal_translate', ['-q', '-projwin', `${west}`, `${north}`, `${east}`, `${south}`, '-projwin_srs', 'EPSG:4326', url, join(out, `${band}.tif`)], { env: GDAL_ENV });
    }
    const gdalMs = performance.now() - gdalStarted;
    const gdal = tally(server.log);
    const sceneBytes = testCase.scene === REAL_SCENE.id ? realBytes : coastalBytes;
    rows.push({
      case: testCase.name,
      bands: assets.length,
      window: `${result.grid.width}×${result.grid.height}`,
      oursRequests: ours.requests,
      oursBytes: ours.bytes,
      oursShare: `${((100 * ours.bytes) / sceneBytes).toFixed(1)} %`,
      oursMs: Math.round(oursMs),
      gdalRequests: gdal.requests,
      gdalHeads: gdal.heads,
      gdalBytes: gdal.bytes,
      gdalShare: `${((100 * gdal.bytes) / sceneBytes).toFixed(1)} %`,
      gdalMs: Math.round(gdalMs),
      sceneBytes,
    });
  }
} finally {
  await server.close();
  await rm(out, { recursive: true, force: true });
}
console.table(rows);
console.log(JSON.stringify(rows));
