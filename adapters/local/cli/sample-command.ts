import { resolve } from 'node:path';
import { createSampleScene } from '../../../core/sample/scene.js';
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
  const layout = (values.layout ?? 'multiband') as (typeof LAYOUTS)[number];
  if (!LAYOUTS.includes(layout)) throw new UsageError(`--layout takes one of ${LAYOUTS.join(', ')}, not "${values.layout}"`);
  const variation = (values.variation ?? 'uniform') as (typeof VARIATIONS)[number];
  if (!VARIATIONS.includes(variation)) throw new UsageError(`--variation takes one of ${VARIATIONS.join(', ')}, not "${values.variation}"`);
  const out = resolve(values.out ?? 'sample');
  const scene = createSampleScene({ width: size, height: size, seed, processingBaseline: values.baseline ?? '04.00', variation });
  const files = await writeSampleScene(scene, out, { layout, compress: nodeDeflate(size > 4096 ? 1 : 6) });
  process.stdout.write(`Wrote a ${size} × ${size} synthetic scene (seed ${seed}, ${variation} variation) to ${values.out ?? 'sample'}:\n  ${files.join('\n  ')}\n`);
}
