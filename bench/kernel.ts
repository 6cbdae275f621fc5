// `npm run bench:kernel`: the strip kernel alone, on strips of the bench scene read once into
// memory (no decode in the timing): ns per pixel of StripKernel.scan, for profiling the scan's
// pure compute (`node --cpu-prof --import tsx bench/kernel.ts`).
import { join } from 'node:path';
import { BandStack } from '../core/raster/band-stack.js';
import { openFileSource } from '../adapters/local/file-source.js';
import { nodeCodecs } from '../adapters/shared/node-codecs.js';
import { getMethod } from '../core/analysis/methods/registry.js';
import { parseAnalysisOptions } from '../core/analysis/options.js';
import { DEFAULT_THRESHOLDS } from '../core/analysis/thresholds.js';
import { StripKernel, type StripSink } from '../core/analysis/strip-kernel.js';
import { createCandidates } from '../core/analysis/candidates.js';
import { Histogram } from '../core/analysis/histogram.js';
import { STRIP_ROWS } from '../core/analysis/analyze.js';
import { ensureBenchScene } from './bench-scene.js';
import { SENTINEL_2 } from '../core/sensors/sentinel-2.js';

const BANDS = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'] as const;
const STRIPS = Number(process.env.KELPIE_KERNEL_STRIPS ?? 8);
const REPEAT = Number(process.env.KELPIE_KERNEL_REPEAT ?? 3);

const { dir } = await ensureBenchScene();
const sources = Object.fromEntries(await Promise.all(BANDS.map(async (band) => [band, await openFileSource(join(dir, `${band}.tif`))])));
const stack = await BandStack.open({ kind: 'per-band', sources }, { inflate: nodeCodecs().inflate });
const options = parseAnalysisOptions({});
const method = getMethod(options.method ?? 'kd');
const required = ['B04', 'B05', 'B06', 'B08', 'B11'] as const;
const width = stack.grid.width;
// Strips from the middle of the tile, where land, water and kelp all are.
const y0 = Math.floor(stack.grid.height / 2 / STRIP_ROWS) * STRIP_ROWS - Math.floor(STRIPS / 2) * STRIP_ROWS;
const strips: Array<{ y: number; bands: Map<string, Float32Array> }> = [];
for (let s = 0; s < STRIPS; s++) {
  const y = y0 + s * STRIP_ROWS;
  const read = await stack.read([...BANDS], { x0: 0, y0: y, width, height: STRIP_ROWS });
  strips.push({ y, bands: new Map([...read].map(([name, values]) => [name, Float32Array.from(values)])) });
}
const kernel = new StripKernel(
  { method, thresholds: DEFAULT_THRESHOLDS, required: [...required], redEdge: 'sharpened', quality: SENTINEL_2.quality.toPixel, spectral: { faiBaselineWeight: SENTINEL_2.faiBaselineWeight } },
  width,
  STRIP_ROWS,
);
const mask = new Uint8Array(width * STRIP_ROWS);
let kelp = 0;
for (let k = 0; k < REPEAT; k++) {
  const { candidates, nearMiss } = createCandidates(kernel.scoreNames);
  const sink: StripSink = {
    mask,
    counts: { nodata: 0, cloud: 0, shadow: 0 },
    candidates,
    nearMiss,
    waterCells: StripKernel.cellHistograms(width, STRIP_ROWS),
    waterFai: new Histogram(-0.2, 0.2, 4000),
    addNoise: () => {},
    sharpening: { strips: 0, regressed: 0, gains: [] },
    shoreTest: true,
  };
  const started = performance.now();
  for (const strip of strips) kernel.scan(strip.bands as never, strip.y, STRIP_ROWS, sink);
  const ms = performance.now() - started;
  kelp = candidates.values.fai.length;
  console.log(`run ${k + 1}: ${((ms * 1e6) / (STRIPS * STRIP_ROWS * width)).toFixed(1)} ns/px (${ms.toFixed(0)} ms for ${STRIPS} strips of ${width} × ${STRIP_ROWS}), ${kelp} candidate values`);
}

// Per-stage CPU time (process.cpuUsage: the descheduled time of a busy machine is not counted).
if (process.env.KELPIE_KERNEL_STAGES) {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const proto = StripKernel.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const stages = new Map<string, number>();
  for (const name of ['sharpenRedEdge', 'markFringe', 'gatherWater', 'decide', 'collectNearMiss', 'scan']) {
    const original = proto[name];
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const t = cpu();
      const out = original.apply(this, args);
      stages.set(name, (stages.get(name) ?? 0) + cpu() - t);
      return out;
    };
  }
  for (let k = 0; k < REPEAT; k++) {
    stages.clear();
    const { candidates, nearMiss } = createCandidates(kernel.scoreNames);
    const sink: StripSink = {
      mask,
      counts: { nodata: 0, cloud: 0, shadow: 0 },
      candidates,
      nearMiss,
      waterCells: StripKernel.cellHistograms(width, STRIP_ROWS),
      waterFai: new Histogram(-0.2, 0.2, 4000),
      addNoise: () => {},
      sharpening: { strips: 0, regressed: 0, gains: [] },
      shoreTest: true,
    };
    for (const strip of strips) kernel.scan(strip.bands as never, strip.y, STRIP_ROWS, sink);
    const px = STRIPS * STRIP_ROWS * width;
    console.log([...stages].map(([name, ms]) => `${name} ${((ms * 1e6) / px).toFixed(1)}`).join(' · '), 'ns/px CPU');
  }
}
