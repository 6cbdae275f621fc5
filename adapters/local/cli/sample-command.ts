import { resolve } from 'node:path';
import { SAMPLE_SENSORS, type SampleSensor, createSampleScene } from '../../../core/sample/scene.js';
import { nodeDeflate } from '../../shared/node-compress.js';
import { writeSampleScene } from '../sample-writer.js';
import { UsageError, parseFlags } from './usage.js';

const FLAGS = {
  out: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string' },
  layout: { type: 'string' },
  baseline: { type: 'string' },
  variation: { type: 'string' },
  sensor: { type: 'string' },
  date: { type: 'string' },
} as const;

const LAYOUTS = ['multiband', 'per-band', 'both'] as const;
const VARIATIONS = ['uniform', 'natural'] as const;

/** `kelpie sample`: write a synthetic coastal scene with its ground truth. */
export async function sampleCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, FLAGS);
  if (positionals.length) throw new UsageError(`kelpie sample takes no file (got ${positionals.join(' ')}); use --out DIR`);
  const size = Number(values.size ?? 512);
  if (!Number.isInteger(size) || size < 64 || size > 10980) throw new UsageError(`--size takes a whole number from 64 to 10980, not "${values.size}"`);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed takes a whole number, not "${values.seed}"`);
  const sensor = (values.sensor ?? 'sentinel-2') as SampleSensor;
  if (!SAMPLE_SENSORS.includes(sensor)) throw new UsageError(`--sensor takes one of ${SAMPLE_SENSORS.join(', ')}, not "${values.sensor}"`);
  const landsat = sensor !== 'sentinel-2';
  if (!landsat && values.date !== undefined) throw new UsageError('--date is for Landsat samples (--sensor landsat-8 or landsat-9)');
  if (landsat && values.baseline !== undefined) throw new UsageError('--baseline is a Sentinel-2 processing baseline; a Landsat sample has none');
  // Landsat comes as USGS delivers it, one file per band, unless asked otherwise.
  const layout = (values.layout ?? (landsat ? 'per-band' : 'multiband')) as (typeof LAYOUTS)[number];
  if (!LAYOUTS.includes(layout)) throw new UsageError(`--layout takes one of ${LAYOUTS.join(', ')}, not "${values.layout}"`);
  const variation = (values.variation ?? 'uniform') as (typeof VARIATIONS)[number];
  if (!VARIATIONS.includes(variation)) throw new UsageError(`--variation takes one of ${VARIATIONS.join(', ')}, not "${values.variation}"`);
  const out = resolve(values.out ?? 'sample');
  const compress = nodeDeflate(size > 4096 ? 1 : 6);
  let what = `${size} × ${size} synthetic scene`;
  let files: string[];
  if (landsat) {
    const scene = createSampleScene({ width: size, height: size, seed, variation, sensor, date: values.date });
    files = await writeSampleScene(scene, out, { layout, compress });
    what = `${scene.grid.width} × ${scene.grid.height} synthetic ${sensor} scene at 30 m, ${scene.acquisition.productId} (the ${size} × ${size} field at 10 m)`;
  } else {
    const scene = createSampleScene({ width: size, height: size, seed, processingBaseline: values.baseline ?? '04.00', variation });
    files = await writeSampleScene(scene, out, { layout, compress });
  }
  process.stdout.write(`Wrote a ${what} (seed ${seed}, ${variation} variation) to ${values.out ?? 'sample'}:\n  ${files.join('\n  ')}\n`);
}
