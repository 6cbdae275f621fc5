// `npm run bench:safe`: a full-size Sentinel-2 Level-2A .SAFE (10980 × 10980, JP2 bands written
// by GDAL from the bench scene, bench/safe-scene.ts) analysed as a folder and as a zip read in
// place, each in a child process for wall time and peak RSS (bench/analyze-once.ts), beside the
// same bands as per-band deflate GeoTIFFs in the same run (the reference: what the analysis reads
// without JPEG 2000). The pool is the default (KELPIE_WORKERS, else every core): JP2 tiles decode
// on the worker threads, each with its own OpenJPEG.
import { availableParallelism } from 'node:os';
import { BENCH_SIZE, ensureBenchScene, runJson } from './bench-scene.js';
import { ensureBenchSafe } from './safe-scene.js';

interface Run {
  wallMs: number;
  maxRssMiB: number;
  kelpAreaHa?: number;
  beds?: number;
  timings?: { openMs: number; scanMs: number; bedsAndArtifactsMs: number };
}

const { dir } = await ensureBenchScene();
const { safe, zip } = await ensureBenchSafe(dir);
const megapixels = (BENCH_SIZE * BENCH_SIZE) / 1e6;
const ours = (path: string) => runJson(process.execPath, ['--import', 'tsx', 'bench/analyze-once.ts', path]) as unknown as Run;
const pool = Number(process.env.KELPIE_WORKERS ?? availableParallelism());
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (name: string, r: Run) => {
  const stages = r.timings ? [r.timings.openMs, r.timings.scanMs, r.timings.bedsAndArtifactsMs].map((ms) => (ms / 1000).toFixed(1)).join(' / ') : '';
  return `${name.padEnd(40)} ${seconds(r.wallMs).padStart(8)} ${`${r.maxRssMiB.toFixed(0)} MiB`.padStart(10)} ${`${(megapixels / (r.wallMs / 1000)).toFixed(1)} Mpx/s`.padStart(12)}   ${stages}`;
};

console.log(`.SAFE benchmark: ${BENCH_SIZE} × ${BENCH_SIZE} = ${megapixels.toFixed(1)} Mpx at 10 m; pool ${pool} worker${pool === 1 ? '' : 's'} (${availableParallelism()} cores)`);
const reference = ours(dir);
const folder = ours(safe);
const zipped = ours(zip);
console.log(`${''.padEnd(40)} ${'wall'.padStart(8)} ${'peak RSS'.padStart(10)} ${'throughput'.padStart(12)}   stages, s (open / scan / beds + artifacts)`);
console.log(row('per-band GeoTIFFs (reference)', reference));
console.log(row('.SAFE folder (JPEG 2000)', folder));
console.log(row('.SAFE zipped, read in place', zipped));
const same = [folder, zipped].every((run) => run.kelpAreaHa === reference.kelpAreaHa && run.beds === reference.beds);
console.log(`ratio .SAFE / GeoTIFF: wall ${(folder.wallMs / reference.wallMs).toFixed(2)}× (folder), ${(zipped.wallMs / reference.wallMs).toFixed(2)}× (zip); peak RSS ${(folder.maxRssMiB / reference.maxRssMiB).toFixed(2)}×, ${(zipped.maxRssMiB / reference.maxRssMiB).toFixed(2)}×`);
console.log(`peak RSS under 1 GiB: ${[folder, zipped].every((run) => run.maxRssMiB < 1024) ? 'yes' : 'NO'}; kelp ${folder.kelpAreaHa} ha in ${folder.beds} beds, the same as the GeoTIFFs': ${same ? 'yes' : 'NO'}`);
console.log(`\n${JSON.stringify({ size: BENCH_SIZE, pool, reference, folder, zipped })}`);
