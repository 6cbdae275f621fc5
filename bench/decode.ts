// `npm run bench:decode`: decoding the bands an analysis reads of a full tile (B02, B03, B04,
// B06, B08, B11, SCL), ours against GDAL's in the same run, for both layouts of `npm run bench`.
// Ours: the analysis' tile reader (core/raster/band-file.ts, Node's zlib) on one thread per core,
// block rows dealt out among them, thread start-up included; and on one thread, for scale.
// GDAL: one ReadAsArray per band file, or one of those bands of the multi-band file (GDAL's
// default, one thread). Ratio: ours (all threads) ÷ GDAL.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { PYTHON, ensureBenchScene, runJson } from './bench-scene.js';

const BANDS = ['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL'];
const INTERLEAVED_ORDER = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];

/** The decode thread's script, bundled like the scan worker (scripts/build-worker.mjs). */
const script = (await build({ entryPoints: ['bench/decode-worker.ts'], bundle: true, platform: 'node', target: 'node20', format: 'cjs', write: false, logLevel: 'warning' })).outputFiles[0].text;

async function decodeOurs(files: Array<{ path: string; samples: number[] }>, threads: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: threads }, (_, share) => {
      const worker = new Worker(script, { eval: true, workerData: { files, share, shares: threads }, execArgv: [] });
      return new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    }),
  );
  return performance.now() - started;
}

const { dir, interleaved } = await ensureBenchScene();
const threads = availableParallelism();
const layouts = [
  { name: 'per-band COGs', path: dir, files: BANDS.map((band) => ({ path: `${dir}/${band}.tif`, samples: [0] })) },
  ...(interleaved ? [{ name: 'one 8-band file, pixel-interleaved', path: interleaved, files: [{ path: interleaved, samples: BANDS.map((band) => INTERLEAVED_ORDER.indexOf(band)) }] }] : []),
];
const summary: Record<string, unknown> = {};
console.log(`Decode benchmark: bands ${BANDS.join(', ')} of the full tile; ${threads} threads`);
for (const layout of layouts) {
  const gdal = runJson(PYTHON, ['bench/decode-reference.py', layout.path, BANDS.join(',')]) as { wallMs: number };
  const pool = await decodeOurs(layout.files, threads);
  const one = await decodeOurs(layout.files, 1);
  console.log(`\n${layout.name}`);
  console.log(`  kelpie, ${threads} threads  ${(pool / 1000).toFixed(2).padStart(6)} s`);
  console.log(`  kelpie, 1 thread    ${(one / 1000).toFixed(2).padStart(6)} s`);
  console.log(`  GDAL ReadAsArray    ${(gdal.wallMs / 1000).toFixed(2).padStart(6)} s`);
  console.log(`  ratio ours (${threads} threads) / GDAL: ${(pool / gdal.wallMs).toFixed(2)}×; one thread / GDAL: ${(one / gdal.wallMs).toFixed(2)}×`);
  summary[layout.name] = { oursMs: pool, oursOneThreadMs: one, gdalMs: gdal.wallMs, ratio: pool / gdal.wallMs };
}
console.log(`\n${JSON.stringify(summary)}`);
