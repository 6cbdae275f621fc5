// One analysis of a bench scene, in its own process so its peak RSS is its own: a per-band folder
// (B02.tif … SCL.tif) or one multi-band file. KELPIE_WORKERS sets the pool as in production.
// Prints one JSON line: wall time, peak RSS, pixels, kelp area, stage times.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeScene } from '../core/analysis/analyze.js';
import type { SceneInput } from '../core/raster/band-stack.js';
import { loadConfig } from '../core/config.js';
import { systemClock } from '../core/ports/clock.js';
import { analysisRuntime, workerCount } from '../adapters/shared/analysis-runtime.js';
import { openFileSource } from '../adapters/local/file-source.js';

const BANDS = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];

const path = process.argv[2];
let input: SceneInput;
if ((await stat(path)).isDirectory()) {
  const files = new Set(await readdir(path));
  const sources = Object.fromEntries(
    await Promise.all(BANDS.filter((band) => files.has(`${band}.tif`)).map(async (band) => [band, await openFileSource(join(path, `${band}.tif`))])),
  );
  input = { kind: 'per-band', sources };
} else {
  input = { kind: 'multiband', source: await openFileSource(path) };
}
const config = loadConfig(process.env);
const started = performance.now();
const { result } = await analyzeScene({ id: 'bench', input, source: { uri: path } }, { clock: systemClock, codeVersion: 'bench', ...analysisRuntime(config) });
const wallMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    wallMs,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    workers: workerCount(config),
    pixels: result.pixels.total,
    kelpAreaHa: result.kelp.areaHa,
    beds: result.kelp.beds,
    timings: result.timings,
  })}\n`,
);
