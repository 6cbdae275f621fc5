// `npm run fuzz -- --count N [--seed S] [--limit-s L] [--sample]`: feeds mutated GeoTIFFs to the
// analysis and checks that every one ends in a result or a typed error (a KelpieError other than
// INTERNAL), each within its time limit, and the process within 1 GiB. The sources: a multiband
// file and one per-band file (B04, read with intact other bands) of a 128 px scene from the
// sample generator; `--sample` adds samples/coastal-sample.tif (slower: 512 px). Each source gets
// the named mutants (deflate tiles labelled LZW, ZSTD and PackBits; non-finite and absurd
// georeferences; an IFD pointing at itself) and N seeded random ones (bit flips, truncations, huge
// tags, swapped compression codes, IFD loops). Prints one line per failure and a summary (JSON
// with --json); exits 1 on any failure. test/integration/fuzz.test.ts runs it with fixed seeds.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openFileSource } from '../../adapters/local/file-source.js';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { nodeCodecs } from '../../adapters/shared/node-codecs.js';
import { analyzeScene } from '../../core/analysis/analyze.js';
import { isKelpieError } from '../../core/errors.js';
import { createSampleScene } from '../../core/sample/scene.js';
import { type Mutant, namedMutants, randomMutant } from './mutants.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' }, 'limit-s': { type: 'string', default: '15' }, sample: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});
const COUNT = Number(values.count);
const SEED = Number(values.seed);
const LIMIT_MS = Number(values['limit-s']) * 1000;
const MEMORY_LIMIT_KB = 1024 * 1024;
const BANDS = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'SCL'];

type Outcome = 'result' | 'typed error' | 'untyped error' | 'over time';

interface Source {
  name: string;
  bytes: Uint8Array;
  /** Analyses `file` (the mutant) as this source's input. */
  analyze(file: string, signal: AbortSignal): Promise<unknown>;
}

const codecs = nodeCodecs();
const deps = (signal: AbortSignal) => ({ clock: { now: () => 0 }, codeVersion: 'fuzz', signal, ...codecs });

async function sources(dir: string): Promise<Source[]> {
  const scene = createSampleScene({ width: 128, height: 128, seed: 7 });
  await writeSampleScene(scene, join(dir, 'scene'), { layout: 'both', tileSize: 64 });
  const multiband = async (file: string, signal: AbortSignal) => {
    const source = await openFileSource(file);
    try {
      return await analyzeScene({ id: 'fuzz', input: { kind: 'multiband', source }, source: { uri: file } }, deps(signal));
    } finally {
      await source.close();
    }
  };
  const list: Source[] = [
    { name: 'multiband scene', bytes: new Uint8Array(await readFile(join(dir, 'scene', 'sample.tif'))), analyze: multiband },
    {
      name: 'per-band B04',
      bytes: new Uint8Array(await readFile(join(dir, 'scene', 'B04.tif'))),
      async analyze(file, signal) {
        const opened = await Promise.all(BANDS.map((band) => openFileSource(band === 'B04' ? file : join(dir, 'scene', `${band}.tif`))));
        try {
          const bySource = Object.fromEntries(BANDS.map((band, i) => [band, opened[i]]));
          return await analyzeScene({ id: 'fuzz', input: { kind: 'per-band', sources: bySource }, source: { uri: file } }, deps(signal));
        } finally {
          await Promise.all(opened.map((source) => source.close()));
        }
      },
    },
  ];
  if (values.sample) list.push({ name: 'coastal sample', bytes: new Uint8Array(await readFile(new URL('../../samples/coastal-sample.tif', import.meta.url))), analyze: multiband });
  return list;
}

/** Runs one mutant; its outcome and, for a failure, why. */
async function attempt(source: Source, mutant: Mutant, file: string): Promise<{ outcome: Outcome; detail: string; ms: number }> {
  await writeFile(file, mutant.bytes);
  const started = performance.now();
  const signal = AbortSignal.timeout(LIMIT_MS);
  try {
    await source.analyze(file, signal);
    const ms = performance.now() - started;
    return ms > LIMIT_MS ? { outcome: 'over time', detail: `a result after ${Math.round(ms)} ms`, ms } : { outcome: 'result', detail: '', ms };
  } catch (error) {
    const ms = performance.now() - started;
    if (signal.aborted || ms > LIMIT_MS) return { outcome: 'over time', detail: `${Math.round(ms)} ms`, ms };
    if (isKelpieError(error) && error.code !== 'INTERNAL') return { outcome: 'typed error', detail: error.code, ms };
    return { outcome: 'untyped error', detail: `${(error as Error)?.name}: ${(error as Error)?.message}`.slice(0, 200), ms };
  }
}

const dir = await mkdtemp(join(tmpdir(), 'kelpie-fuzz-'));
const counts: Record<Outcome, number> = { result: 0, 'typed error': 0, 'untyped error': 0, 'over time': 0 };
const codes: Record<string, number> = {};
const failures: string[] = [];
let slowestMs = 0;
try {
  for (const source of await sources(dir)) {
    const mutants = [...namedMutants(source.bytes), ...Array.from({ length: COUNT }, (_, i) => randomMutant(source.bytes, SEED, i))];
    for (const mutant of mutants) {
      const { outcome, detail, ms } = await attempt(source, mutant, join(dir, 'mutant.tif'));
      counts[outcome]++;
      slowestMs = Math.max(slowestMs, ms);
      if (outcome === 'typed error') codes[detail] = (codes[detail] ?? 0) + 1;
      if (outcome === 'untyped error' || outcome === 'over time') failures.push(`${source.name}, ${mutant.name}: ${outcome} (${detail})`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
const maxRssKb = process.resourceUsage().maxRSS;
if (maxRssKb > MEMORY_LIMIT_KB) failures.push(`peak resident memory ${Math.round(maxRssKb / 1024)} MiB is over 1 GiB`);
const summary = { seed: SEED, perSource: COUNT, counts, codes, slowestMs: Math.round(slowestMs), maxRssMiB: Math.round(maxRssKb / 1024), failures };
for (const failure of failures) console.error(`FAIL ${failure}`);
console.log(values.json ? JSON.stringify(summary) : summary);
process.exit(failures.length ? 1 : 0);
