import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { METHOD_NAMES } from '../../../core/analysis/methods/registry.js';
import { loadConfig } from '../../../core/config.js';
import { systemClock } from '../../../core/ports/clock.js';
import { labelsFromGeoJson, labelsFromTiff } from '../../../core/accuracy/labels.js';
import { type ValidationReport, validateScene } from '../../../core/accuracy/validate.js';
import { FsBlobStore } from '../../fs/fs-blob-store.js';
import { openFileSource } from '../file-source.js';
import { CODE_VERSION } from '../../shared/version.js';
import { UsageError, parseFlags } from './usage.js';

const FLAGS = {
  methods: { type: 'string' },
  'min-fraction': { type: 'string' },
  bands: { type: 'string' },
  'boa-offset': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Methods scored by default: all that need no band beyond KD's and FAI's (`ndre` when asked). */
const DEFAULT_METHODS = ['kd', 'fai', 'ndvi', 'consensus'];

/**
 * `kelpie validate <scene.tif> <labels.tif|labels.geojson>`: analyse the scene with each method
 * and score it against the labels (producer's, user's and overall accuracy, kappa, IoU, area
 * bias); print a table, or the JSON with `--json`; write `validation.json` into `--out`.
 */
export async function validateCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(joinNegative(args), FLAGS);
  if (positionals.length !== 2) {
    throw new UsageError('kelpie validate takes a scene and its labels, e.g. kelpie validate sample.tif truth-fraction.tif (labels: a GeoTIFF of 0/1 or canopy fraction, or GeoJSON polygons)');
  }
  const methods = values.methods?.split(',').map((m) => m.trim()).filter(Boolean) ?? DEFAULT_METHODS;
  const unknown = methods.filter((m) => !(METHOD_NAMES as readonly string[]).includes(m));
  if (unknown.length) throw new UsageError(`--methods: unknown ${unknown.join(', ')}; known: ${METHOD_NAMES.join(', ')}`);
  const minFraction = values['min-fraction'] === undefined ? 0.2 : Number(values['min-fraction']);
  if (!(minFraction > 0 && minFraction <= 1)) throw new UsageError(`--min-fraction takes a number above 0 and at most 1, not "${values['min-fraction']}"`);
  const boaOffset = values['boa-offset'] === undefined ? undefined : Number(values['boa-offset']);
  if (boaOffset !== undefined && !Number.isInteger(boaOffset)) throw new UsageError(`--boa-offset takes a whole number, not "${values['boa-offset']}"`);
  const [scenePath, labelsPath] = positionals;
  const config = loadConfig(process.env);
  const scene = await openFileSource(scenePath);
  const labelSource = /\.(geo)?json$/i.test(labelsPath) ? undefined : await openFileSource(labelsPath);
  try {
    const report = await validateScene(
      {
        scene: { input: { kind: 'multiband', source: scene }, source: { uri: scenePath } },
        options: Object.fromEntries(Object.entries({ bands: values.bands?.split(','), boaOffset }).filter(([, v]) => v !== undefined)),
        labels: async (grid) => (labelSource ? labelsFromTiff(labelSource, grid) : labelsFromGeoJson(await readFile(labelsPath, 'utf8'), labelsPath, grid)),
        methods,
        rule: { minFraction, maxNonKelp: 0 },
      },
      { clock: systemClock, codeVersion: CODE_VERSION, maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS },
    );
    if (values.out) await new FsBlobStore({ root: resolve(values.out) }).put('validation.json', new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`), { contentType: 'application/json' });
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatValidation(report)}${values.out ? `\nWrote     ${values.out}/validation.json` : ''}\n`);
  } finally {
    await scene.close();
    await labelSource?.close();
  }
}

/** `--boa-offset -1000` as `--boa-offset=-1000`, which `parseArgs` would otherwise call ambiguous. */
function joinNegative(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) out.push(args[i] === '--boa-offset' && /^-\d/.test(args[i + 1] ?? '') ? `${args[i]}=${args[++i]}` : args[i]);
  return out;
}

const percent = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '—');
const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');

/** The validation as a table for a terminal. */
export function formatValidation(report: ValidationReport): string {
  const { labels } = report;
  const header = ['method', 'overall', 'kappa', 'kelp found (PA)', 'kelp right (UA)', 'IoU', 'area bias'];
  const rows = report.methods.map(({ method, figures: f }) => [
    method,
    percent(f.overallAccuracy),
    fixed(f.kappa),
    percent(f.producersAccuracy.kelp),
    percent(f.usersAccuracy.kelp),
    fixed(f.iou),
    `${f.areaBias >= 0 ? '+' : ''}${percent(f.areaBias)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const scored = report.methods[0]?.figures.pixels;
  return [
    `Labels    ${labels.description}`,
    `          ${labels.labelledPixels.toLocaleString('en-US')} labelled pixels, ${labels.kelpPixels.toLocaleString('en-US')} with kelp; kelp at fraction ≥ ${labels.rule.minFraction}`,
    scored ? `Scored    ${scored.scored.toLocaleString('en-US')} pixels (${scored.mixed.toLocaleString('en-US')} mixed and ${scored.unobservable.toLocaleString('en-US')} unobserved left out)` : '',
    '',
    line(header),
    ...rows.map(line),
    '',
    ...report.notes.map((note) => `- ${note}`),
  ].join('\n');
}
