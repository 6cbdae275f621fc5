// `npm run bench`: a full 10980 × 10980 Sentinel-2 tile in both file layouts (per-band COGs, and
// one 8-band pixel-interleaved file), each analysed in a child process for wall time and peak RSS
// (bench/analyze-once.ts), with the same job in GDAL + numpy as the reference in the same run.
// Per layout: two runs with the default pool, one while this script keeps every core busy with
// a competing load, and one with KELPIE_WORKERS=1 (in-process, for the memory each extra worker
// costs). Ratios are ours ÷ reference; the wall ratio uses the mean of the two quiet runs.
import { availableParallelism } from 'node:os';
import { BENCH_SIZE, PYTHON, ensureBenchScene, runJson, startCpuLoad } from './bench-scene.js';

interface Run {
  wallMs: number;
  maxRssMiB: number;
  workers?: number;
  kelpAreaHa?: number;
  beds?: number;
  timings?: { openMs: number; scanMs: number; bedsAndArtifactsMs: number };
}

const { dir, interleaved } = await ensureBenchScene();
const megapixels = (BENCH_SIZE * BENCH_SIZE) / 1e6;
const ours = (path: string, env: Record<string, string> = {}) => runJson(process.execPath, ['--import', 'tsx', 'bench/analyze-once.ts', path], env) as unknown as Run;
const reference = (path: string): Run | undefined => {
  try {
    return runJson(PYTHON, ['bench/reference.py', path]) as unknown as Run;
  } catch (error) {
    process.stderr.write(`bench: reference (GDAL + numpy via ${PYTHON}) unavailable: ${(error as Error).message.split('\n')[0]}\n`);
    process.stderr.write('bench: install it with apt-get install -y python3-gdal python3-numpy python3-scipy\n');
    return undefined;
  }
};
const underLoad = <T>(run: () => T): T => {
  const stop = startCpuLoad();
  try {
    return run();
  } finally {
    stop();
  }
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (name: string, r: Run) => {
  const stages = r.timings ? [r.timings.openMs, r.timings.scanMs, r.timings.bedsAndArtifactsMs].map((ms) => (ms / 1000).toFixed(1)).join(' / ') : '';
  return `${name.padEnd(34)} ${seconds(r.wallMs).padStart(8)} ${`${r.maxRssMiB.toFixed(0)} MiB`.padStart(10)} ${`${(megapixels / (r.wallMs / 1000)).toFixed(1)} Mpx/s`.padStart(12)}   ${stages}`;
};

const layouts = [
  { name: 'per-band COGs (B02 … SCL, 512 px tiles, deflate)', path: dir },
  ...(interleaved ? [{ name: 'one 8-band file, pixel-interleaved (512 px tiles, deflate)', path: interleaved }] : []),
];
const pool = Number(process.env.KELPIE_WORKERS ?? availableParallelism());
const summary: Record<string, unknown> = { size: BENCH_SIZE, pool };
console.log(`Full-tile benchmark: ${BENCH_SIZE} × ${BENCH_SIZE} = ${megapixels.toFixed(1)} Mpx at 10 m; default pool ${pool} worker${pool === 1 ? '' : 's'} (${availableParallelism()} cores)`);
for (const layout of layouts) {
  const ref = reference(layout.path);
  const quiet = [ours(layout.path), ours(layout.path)];
  const loaded = underLoad(() => ours(layout.path));
  const single = ours(layout.path, { KELPIE_WORKERS: '1' });
  console.log(`\n${layout.name}`);
  console.log(`${''.padEnd(34)} ${'wall'.padStart(8)} ${'peak RSS'.padStart(10)} ${'throughput'.padStart(12)}   stages, s (open / scan / beds + artifacts)`);
  quiet.forEach((run, i) => console.log(row(`kelpie, ${pool} workers, run ${i + 1}`, run)));
  console.log(row(`kelpie, ${pool} workers, CPU busy`, loaded));
  console.log(row('kelpie, KELPIE_WORKERS=1', single));
  if (ref) console.log(row('GDAL + numpy (reference)', ref));
  const wallMs = (quiet[0].wallMs + quiet[1].wallMs) / 2;
  const peaks = [...quiet, loaded].map((run) => run.maxRssMiB);
  const perWorker = pool > 1 ? (Math.max(...quiet.map((run) => run.maxRssMiB)) - single.maxRssMiB) / (pool - 1) : 0;
  if (ref) console.log(`ratio ours/ref: wall ${(wallMs / ref.wallMs).toFixed(2)}× (mean of the quiet runs), peak RSS ${(Math.max(...peaks) / ref.maxRssMiB).toFixed(2)}×`);
  console.log(`peak RSS over three runs: ${peaks.map((mib) => mib.toFixed(0)).join(', ')} MiB (the last under CPU load); under 1 GiB in every run: ${peaks.every((mib) => mib < 1024) ? 'yes' : 'NO'}`);
  console.log(`RSS per extra worker: ${perWorker.toFixed(0)} MiB; kelp ${quiet[0].kelpAreaHa} ha in ${quiet[0].beds} beds (the same in every run: ${[...quiet, loaded, single].every((run) => run.kelpAreaHa === quiet[0].kelpAreaHa && run.beds === quiet[0].beds) ? 'yes' : 'NO'})`);
  summary[layout.path === dir ? 'perBand' : 'pixelInterleaved'] = { quiet, loaded, single, reference: ref, wallRatio: ref ? wallMs / ref.wallMs : undefined, perWorkerMiB: perWorker };
}
console.log(`\n${JSON.stringify(summary)}`);
