// `npm run bench`: a full 10980 × 10980 Sentinel-2 tile stack (B02, B03, B04, B05, B06, B08,
// B11, SCL as tiled, deflate per-band GeoTIFFs at native 10 m / 20 m), generated once into
// .bench/ (not committed), analysed in a child process for wall time and peak RSS, and the same
// job run in GDAL + numpy as the reference in the same run. Ratios are ours ÷ reference.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createSampleScene } from '../core/sample/scene.js';
import { nodeDeflate } from '../adapters/shared/node-compress.js';
import { writeSampleScene } from '../adapters/local/sample-writer.js';

const SIZE = Number(process.env.KELPIE_BENCH_SIZE ?? 10980);
const dir = join('.bench', `tile-${SIZE}`);
const marker = join(dir, '.complete');

if (!existsSync(marker)) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  process.stderr.write(`bench: generating a ${SIZE} × ${SIZE} scene in ${dir} (once; reused after)\n`);
  const scene = createSampleScene({ width: SIZE, height: SIZE, seed: 42 });
  await writeSampleScene(scene, dir, { layout: 'per-band', tileSize: 512, compress: nodeDeflate(1) });
  execFileSync('touch', [marker]);
  process.stderr.write(`bench: generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function run(command: string, args: string[]): Record<string, number> {
  const output = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').pop() as string);
}

const ours = run(process.execPath, ['--import', 'tsx', 'bench/analyze-once.ts', dir]);
let reference: Record<string, number> | undefined;
try {
  reference = run('/usr/bin/python3', ['bench/reference.py', dir]);
} catch (error) {
  process.stderr.write(`bench: reference (GDAL + numpy via /usr/bin/python3) unavailable: ${(error as Error).message.split('\n')[0]}\n`);
  process.stderr.write('bench: install it with apt-get install -y python3-gdal python3-numpy python3-scipy\n');
}

const megapixels = (SIZE * SIZE) / 1e6;
const row = (name: string, r: Record<string, number>) =>
  `${name.padEnd(22)} ${(r.wallMs / 1000).toFixed(1).padStart(8)} s ${r.maxRssMiB.toFixed(0).padStart(8)} MiB ${(megapixels / (r.wallMs / 1000)).toFixed(1).padStart(8)} Mpx/s`;
console.log(`Full-tile benchmark: ${SIZE} × ${SIZE} = ${megapixels.toFixed(1)} Mpx at 10 m, 8 bands`);
console.log(`${''.padEnd(22)} ${'wall'.padStart(10)} ${'peak RSS'.padStart(12)} ${'throughput'.padStart(14)}`);
console.log(row('kelpie (this code)', ours));
if (reference) {
  console.log(row('GDAL + numpy (ref.)', reference));
  console.log(`ratio ours/ref: wall ${(ours.wallMs / reference.wallMs).toFixed(2)}×, peak RSS ${(ours.maxRssMiB / reference.maxRssMiB).toFixed(2)}×`);
}
console.log(`kelp: ${ours.kelpAreaHa} ha in ${ours.beds} beds; stages (ms): ${JSON.stringify(ours.timings)}`);
console.log(`peak RSS under 1 GiB: ${ours.maxRssMiB < 1024 ? 'yes' : 'NO'}`);
