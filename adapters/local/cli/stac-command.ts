import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AnalysisOptions } from '../../../core/analysis/options.js';
import { saveAnalysis } from '../../../core/analysis/save.js';
import type { AnalysisResult, Artifact } from '../../../core/analysis/result.js';
import type { Config } from '../../../core/config.js';
import { systemClock } from '../../../core/ports/clock.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { parseStacRequest } from '../../../core/stac/stac-request.js';
import { createStacRuntime } from '../../../core/stac/stac-runtime.js';
import type { SeriesSummary } from '../../../core/stac/series.js';
import { analyzeStac } from '../../../core/usecases/analyze-stac.js';
import { analyzeStacSeries } from '../../../core/usecases/analyze-stac-series.js';
import { FsBlobStore } from '../../fs/fs-blob-store.js';
import { MemoryBlobStore } from '../../memory/memory-blob-store.js';
import { analysisRuntime } from '../../shared/analysis-runtime.js';
import { CODE_VERSION } from '../../shared/version.js';
import { UsageError } from './usage.js';
import { formatHa, formatNumber } from '../../../core/report/format.js';
import { formatSummary } from './summary.js';

/** The STAC flags of `kelpie analyze`, as parsed. */
export interface StacFlags {
  'stac-url'?: string;
  point?: string;
  'buffer-km'?: string;
  bbox?: string;
  from?: string;
  to?: string;
  'max-cloud'?: string;
  /** `--collection landsat-c2-l2` (repeatable, or a comma list): the collections to search. */
  collection?: string | string[];
  series?: boolean;
  json?: boolean;
  out?: string;
}

/** Flags that switch `kelpie analyze` from a file to a STAC catalog. */
export const STAC_FLAGS = ['stac-url', 'point', 'bbox', 'from', 'to', 'series', 'buffer-km', 'max-cloud', 'collection'] as const;

function numbers(flag: string, value: string, count: number): number[] {
  const parts = value.split(',').map((part) => Number(part.trim()));
  if (parts.length !== count || parts.some((part) => !Number.isFinite(part))) {
    throw new UsageError(`--${flag} takes ${count} comma-separated numbers, not "${value}"`);
  }
  return parts;
}

/** The `stac` source of the flags, in the API's shape (validated by the use case). */
function stacSourceFromFlags(values: StacFlags): Record<string, unknown> {
  if (!values.point === !values.bbox) throw new UsageError('give the place as --point LAT,LNG (with --buffer-km N) or --bbox W,S,E,N');
  if (!values.from || !values.to) throw new UsageError('give the dates as --from YYYY-MM-DD --to YYYY-MM-DD');
  const source: Record<string, unknown> = { start: values.from, end: values.to, series: Boolean(values.series) };
  if (values.point) {
    const [lat, lng] = numbers('point', values.point, 2);
    source.point = { lat, lng };
    if (values['buffer-km'] !== undefined) source.bufferKm = numbers('buffer-km', values['buffer-km'], 1)[0];
  } else {
    if (values['buffer-km'] !== undefined) throw new UsageError('--buffer-km goes with --point, not --bbox');
    source.bbox = numbers('bbox', values.bbox as string, 4);
  }
  if (values['max-cloud'] !== undefined) source.maxCloudCover = numbers('max-cloud', values['max-cloud'], 1)[0];
  const collections = [values.collection ?? []].flat().flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  if (collections.length) source.collections = collections;
  return source;
}

/**
 * `kelpie analyze --stac-url URL (--point LAT,LNG --buffer-km N | --bbox W,S,E,N) --from DATE
 * --to DATE [--max-cloud PCT] [--collection sentinel-2-l2a,landsat-c2-l2] [--series] [--json]
 * [--out DIR]`: finds the scene(s) in the catalog (default `KELPIE_STAC_URL`; Sentinel-2 L2A
 * unless `--collection` says) and analyses the area, reading only the tiles it needs.
 */
export async function stacAnalyzeCommand(values: StacFlags, options: AnalysisOptions, config: Config): Promise<void> {
  const url = values['stac-url'] ?? config.KELPIE_STAC_URL;
  if (!url) throw new UsageError('which catalog? give --stac-url URL or set KELPIE_STAC_URL (e.g. https://earth-search.aws.element84.com/v1)');
  const stac = parseStacRequest(stacSourceFromFlags(values));
  const runtime = createStacRuntime({ url, fetch: (input, init) => fetch(input, init), outboundHosts: config.KELPIE_OUTBOUND_HOSTS, clock: systemClock });
  const deps = {
    ...runtime,
    resultStore: new MemoryBlobStore(),
    clock: systemClock,
    logger: silentLogger,
    codeVersion: CODE_VERSION,
    maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS,
    ...analysisRuntime(config),
  };
  if (stac.series) {
    const { series, analyses } = await analyzeStacSeries({ stac, options }, deps);
    if (values.out) {
      for (const analysis of analyses) await writeOut(join(values.out, sceneFolder(analysis.result)), analysis.result, analysis.artifacts ?? []);
      await writeFile(join(resolve(values.out), 'series.json'), `${JSON.stringify(series, null, 2)}\n`);
    }
    process.stdout.write(values.json ? `${JSON.stringify(series, null, 2)}\n` : `${formatSeries(series, values.out)}\n`);
    return;
  }
  const { result, artifacts } = await analyzeStac({ stac, options }, deps);
  const written = values.out ? await writeOut(values.out, result, artifacts ?? []) : [];
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSummary(result, written)}\n`);
}

function sceneFolder(result: AnalysisResult): string {
  return `${(result.source.acquiredAt ?? '').slice(0, 10)}-${result.source.sceneId ?? result.id}`;
}

async function writeOut(dir: string, result: AnalysisResult, artifacts: Artifact[]): Promise<string[]> {
  await mkdir(resolve(dir), { recursive: true });
  const keys = await saveAnalysis(new FsBlobStore({ root: resolve(dir) }), '', { result, artifacts });
  return keys.map((key) => `${dir}/${key}`);
}

/** The series as a table: one line per date. */
function formatSeries(series: SeriesSummary, out?: string): string {
  const lines = [`Series    ${series.scenes.length} scene(s) from ${series.catalog}, ${series.start} to ${series.end}, cloud ≤ ${series.maxCloudCover} %`];
  // The sensor column only when the series names sensors (it searched more than Sentinel-2).
  const sensors = series.scenes.some((scene) => scene.sensor);
  lines.push(`date        scene                                  ${sensors ? 'sensor      ' : ''}cloud %  kelp ha   beds  clear`);
  for (const scene of series.scenes) {
    const kelp = scene.kelpAreaHa === undefined ? '' : formatNumber(scene.kelpAreaHa, 2);
    const status = scene.status === 'skipped' ? `skipped: ${scene.reason?.message ?? ''}` : `${kelp.padStart(8)}  ${String(scene.beds ?? '').padStart(5)}  ${Math.round((scene.clearShare ?? 0) * 100)} %`;
    const sensor = sensors ? `${(scene.sensor ?? '?').padEnd(11)} ` : '';
    lines.push(`${scene.date}  ${scene.sceneId.padEnd(38)} ${sensor}${String(scene.cloudCover ?? '').slice(0, 6).padStart(7)}  ${status}`);
  }
  const { kelpAreaHa } = series;
  if (kelpAreaHa.count) lines.push(`Kelp      ${formatHa(kelpAreaHa.min ?? 0)} to ${formatHa(kelpAreaHa.max ?? 0)} (median ${formatHa(kelpAreaHa.median ?? 0)}) over ${kelpAreaHa.count} scene(s)`);
  if (series.resolutionNote) lines.push(`Note      ${series.resolutionNote}`);
  if (out) lines.push(`Wrote     ${out}/series.json and one folder per scene`);
  return lines.join('\n');
}
