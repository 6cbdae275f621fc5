// One analysis of a per-band scene folder, in its own process so its peak RSS is its own.
// Prints one JSON line: wall time, peak RSS, pixels, kelp area.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeScene } from '../core/analysis/analyze.js';
import { systemClock } from '../core/ports/clock.js';
import { openFileSource } from '../adapters/local/file-source.js';
import { nodeDeflate } from '../adapters/shared/node-compress.js';

const BANDS = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];

const dir = process.argv[2];
const files = new Set(await readdir(dir));
const sources = Object.fromEntries(
  await Promise.all(BANDS.filter((band) => files.has(`${band}.tif`)).map(async (band) => [band, await openFileSource(join(dir, `${band}.tif`))])),
);
const started = performance.now();
const { result } = await analyzeScene(
  { id: 'bench', input: { kind: 'per-band', sources }, source: { uri: dir } },
  { clock: systemClock, codeVersion: 'bench', compress: nodeDeflate(6) },
);
const wallMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    wallMs,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    pixels: result.pixels.total,
    kelpAreaHa: result.kelp.areaHa,
    beds: result.kelp.beds,
    timings: result.timings,
  })}\n`,
);
