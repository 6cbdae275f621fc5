import { resolve } from 'node:path';
import { analyzeScene, sceneBands } from '../../../core/analysis/analyze.js';
import { deriveAnalysisId } from '../../../core/analysis/ids.js';
import { saveAnalysis } from '../../../core/analysis/save.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { loadConfig } from '../../../core/config.js';
import { systemClock } from '../../../core/ports/clock.js';
import { FsBlobStore } from '../../fs/fs-blob-store.js';
import { analysisRuntime } from '../../shared/analysis-runtime.js';
import { CODE_VERSION } from '../../shared/version.js';
import { openLocalScene } from './scene-paths.js';
import { UsageError, parseFlags } from './usage.js';
import { progressBar } from './progress.js';
import { STAC_FLAGS, stacAnalyzeCommand } from './stac-command.js';
import { formatSummary } from './summary.js';

const FLAGS = {
  out: { type: 'string' },
  method: { type: 'string' },
  sensor: { type: 'string' },
  species: { type: 'string' },
  'area-mode': { type: 'string' },
  bands: { type: 'string' },
  'boa-offset': { type: 'string' },
  'min-bed-area': { type: 'string' },
  layers: { type: 'string' },
  json: { type: 'boolean' },
  'stac-url': { type: 'string' },
  point: { type: 'string' },
  'buffer-km': { type: 'string' },
  bbox: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'max-cloud': { type: 'string' },
  collection: { type: 'string', multiple: true },
  series: { type: 'boolean' },
} as const;

function number(flag: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`--${flag} takes ${integer ? 'a whole number' : 'a number'}, not "${value}"`);
  }
  return parsed;
}

const list = (value: string | undefined) => value?.split(',').map((item) => item.trim()).filter(Boolean);

/** Flags whose values may start with a minus sign (southern latitudes, western longitudes). */
const SIGNED_FLAGS = new Set(['--point', '--bbox', '--boa-offset']);

/** `--bbox -121.9,36.6,…` as `--bbox=-121.9,36.6,…`, which `parseArgs` would otherwise call ambiguous. */
function joinNegativeNumbers(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (SIGNED_FLAGS.has(args[i]) && /^-[\d.]/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/**
 * `kelpie analyze <scene> …`: analyse a local scene (a multi-band GeoTIFF, band files, a folder
 * of them, a .SAFE folder or zip), print a summary or the JSON, write artifacts. With `--stac-url`, `--point` or `--bbox` (no file): a place and dates from a STAC catalog.
 */
export async function analyzeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(joinNegativeNumbers(args), FLAGS);
  const stac = STAC_FLAGS.some((flag) => values[flag] !== undefined);
  if (stac && positionals.length) throw new UsageError(`analyse a file or a place from a catalog, not both (got ${positionals[0]} and STAC flags)`);
  if (!stac && positionals.length === 0) {
    throw new UsageError('which scene? e.g. kelpie analyze samples/coastal-sample.tif (a multi-band GeoTIFF), a .SAFE folder or its .zip, a folder of band files, or the band files themselves');
  }
  // Parsed once, here: the analysis and its id take the typed options.
  const options = parseAnalysisOptions(Object.fromEntries(
    Object.entries({
      method: values.method,
      sensor: values.sensor,
      species: values.species,
      areaMode: values['area-mode'],
      bands: list(values.bands),
      boaOffset: number('boa-offset', values['boa-offset'], true),
      minBedAreaM2: number('min-bed-area', values['min-bed-area']),
      layers: list(values.layers),
    }).filter(([, value]) => value !== undefined),
  ));
  const config = loadConfig(process.env);
  if (stac) return stacAnalyzeCommand(values, options, config);
  // The bands to open follow the sensor the files turn out to be (a Landsat folder reads SR_B4…, not B04…).
  const scene = await openLocalScene(positionals, (sensor) => sceneBands(options, sensor));
  const progress = progressBar(process.stderr, 'analysing');
  try {
    const id = await deriveAnalysisId([...scene.idParts, JSON.stringify(options)]);
    const analysis = await analyzeScene(
      { id, input: scene.input, options, source: scene.source, ...(scene.sensor ? { sensor: scene.sensor } : {}) },
      {
        clock: systemClock,
        codeVersion: CODE_VERSION,
        maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS,
        onProgress: progress.update,
        ...analysisRuntime(config),
      },
    );
    progress.end();
    const written = values.out ? await saveInto(resolve(values.out), analysis) : [];
    if (values.json) process.stdout.write(`${JSON.stringify(analysis.result, null, 2)}\n`);
    else process.stdout.write(`${formatSummary(analysis.result, written.map((key) => `${values.out}/${key}`))}\n`);
  } finally {
    progress.end();
    await scene.close();
  }
}

/**
 * Writes the analysis into `--out`, after removing what an earlier run killed mid-write left there
 * (its temporary files: their writer's process is gone); the files of a run still writing stay.
 */
async function saveInto(out: string, analysis: Parameters<typeof saveAnalysis>[2]): Promise<string[]> {
  const store = new FsBlobStore({ root: out });
  await store.removeOrphans();
  return saveAnalysis(store, '', analysis);
}
