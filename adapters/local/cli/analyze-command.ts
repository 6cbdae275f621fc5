import { resolve } from 'node:path';
import { analyzeScene } from '../../../core/analysis/analyze.js';
import { deriveAnalysisId } from '../../../core/analysis/ids.js';
import { saveAnalysis } from '../../../core/analysis/save.js';
import { loadConfig } from '../../../core/config.js';
import { systemClock } from '../../../core/ports/clock.js';
import { FsBlobStore } from '../fs-blob-store.js';
import { openFileSource } from '../file-source.js';
import { nodeDeflate } from '../node-compress.js';
import { CODE_VERSION } from '../version.js';
import { UsageError, parseFlags } from './main.js';
import { progressBar } from './progress.js';
import { formatSummary } from './summary.js';

const FLAGS = {
  out: { type: 'string' },
  method: { type: 'string' },
  species: { type: 'string' },
  'area-mode': { type: 'string' },
  bands: { type: 'string' },
  'boa-offset': { type: 'string' },
  'min-bed-area': { type: 'string' },
  layers: { type: 'string' },
  json: { type: 'boolean' },
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

/** `kelpie analyze <file> …`: analyse a local GeoTIFF, print a summary or the JSON, write artifacts. */
export async function analyzeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, FLAGS);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one file at a time (got ${positionals.length})` : 'which file? e.g. kelpie analyze samples/coastal-sample.tif');
  const options = Object.fromEntries(
    Object.entries({
      method: values.method,
      species: values.species,
      areaMode: values['area-mode'],
      bands: list(values.bands),
      boaOffset: number('boa-offset', values['boa-offset'], true),
      minBedAreaM2: number('min-bed-area', values['min-bed-area']),
      layers: list(values.layers),
    }).filter(([, value]) => value !== undefined),
  );
  const config = loadConfig(process.env);
  const path = positionals[0];
  const source = await openFileSource(path);
  const progress = progressBar(process.stderr, 'analysing');
  try {
    const id = await deriveAnalysisId(['file', resolve(path), String(source.size), String(source.mtimeMs), JSON.stringify(options)]);
    const analysis = await analyzeScene(
      { id, input: { kind: 'multiband', source }, options, source: { uri: path } },
      {
        clock: systemClock,
        codeVersion: CODE_VERSION,
        maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS,
        onProgress: progress.update,
        compress: nodeDeflate(6),
      },
    );
    progress.end();
    const written = values.out ? await saveAnalysis(new FsBlobStore({ root: resolve(values.out) }), '', analysis) : [];
    if (values.json) process.stdout.write(`${JSON.stringify(analysis.result, null, 2)}\n`);
    else process.stdout.write(`${formatSummary(analysis.result, written.map((key) => `${values.out}/${key}`))}\n`);
  } finally {
    progress.end();
    await source.close();
  }
}
