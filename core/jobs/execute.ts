import type { AnalysisResult } from '../analysis/result.js';
import type { StacItem } from '../ports/scene-catalog.js';
import { coverage } from '../stac/choose-scene.js';
import type { SeriesSummary } from '../stac/series.js';
import { parseStacRequest } from '../stac/stac-request.js';
import type { StacRuntime } from '../stac/stac-runtime.js';
import { type AnalyzeObjectDeps, analyzeObject, idMismatch } from '../usecases/analyze-object.js';
import { type SceneAnalysis, analyzeItem, partialCoverageWarning, stacAnalysisId } from '../usecases/analyze-stac.js';
import { analyzeStacSeries, seriesAnalysisId } from '../usecases/analyze-stac-series.js';
import { type SiteRuntime, analyzeSiteScene } from '../sites/site-scene.js';
import { seriesKey } from './finished.js';
import type { AnalysisJob } from './job.js';
import type { Prepared } from './plan.js';
import { percentOf } from './progress.js';
import type { JobProgress } from './status.js';

/** What running an analysis job needs, in the API (synchronously) or in a worker. */
export interface JobDeps extends Omit<AnalyzeObjectDeps, 'onProgress'> {
  /** The STAC runtime, built on first use. */
  stac: () => StacRuntime;
  onProgress?: (progress: JobProgress) => void;
  /** What the jobs of monitored sites need (workers only). */
  sites?: SiteRuntime;
}

/** A finished analysis: one scene's result, or a series summary (with each scene's analysis). */
export type JobOutput =
  | { kind: 'scene'; result: AnalysisResult; reused: boolean }
  | { kind: 'series'; series: SeriesSummary; analyses: SceneAnalysis[] };

/** Share of a scene's progress bar the strips take; the rest is beds, artifacts and saving. */
const SCAN_SHARE = 0.9;

/**
 * Runs the analysis a job describes and saves it (artifacts, then `result.json`; a series also
 * `series.json`). The one path for both a synchronous request and a queued job, so both give
 * the same numbers. Progress: rows of the scene, or scenes of a series plus rows of the current.
 * `prepared` is what this request's plan already read (the parsed STAC request, the opened
 * object): given, it is not read again; a worker has none and reads it here.
 *
 * @example
 * ```ts
 * const output = await executeJob(plan.job, { ...deps, onProgress: (p) => console.log(p.percent) }, plan.prepared);
 * ```
 */
export async function executeJob(job: AnalysisJob, deps: JobDeps, prepared: Prepared = {}): Promise<JobOutput> {
  const rows = (scene: number, scenes: number, step: string) => (done: number, total: number) =>
    deps.onProgress?.({
      step: done < total ? step : 'measuring beds and writing artifacts',
      done: scenes > 1 ? scene : done,
      total: scenes > 1 ? scenes : total,
      unit: scenes > 1 ? 'scenes' : 'rows',
      percent: percentOf(scene, scenes, (done / Math.max(1, total)) * SCAN_SHARE),
    });
  if (job.kind === 'object') {
    const { result, reused } = await analyzeObject(
      { key: job.key, options: job.options, expectedId: job.id, ...(job.etag ? { expectedEtag: job.etag } : {}), ...(prepared.opened ? { opened: prepared.opened } : {}) },
      { ...deps, onProgress: rows(0, 1, 'scanning rows') },
    );
    return { kind: 'scene', result, reused };
  }
  const runtime = deps.stac();
  if (job.kind === 'site') {
    const item = job.item as unknown as StacItem;
    const { result, reused } = await analyzeSiteScene(job, { ...runtime, ...deps, now: () => deps.clock.now(), onProgress: rows(0, 1, `reading ${item.id}`) });
    return { kind: 'scene', result, reused };
  }
  const request = prepared.request ?? parseStacRequest(job.stac);
  const { options } = job;
  const sceneDeps = { ...runtime, ...deps };
  if (job.kind === 'stac') {
    const item = job.item as unknown as StacItem;
    const id = await stacAnalysisId(runtime.catalog.url, item.id, request, options);
    if (id !== job.id) throw idMismatch(job.id, id);
    const warnings = coverage(item, request.bbox) === 'partial' ? [partialCoverageWarning(item.id)] : [];
    const { result, reused } = await analyzeItem(item, request, options, { ...sceneDeps, onProgress: rows(0, 1, `reading ${item.id}`) }, warnings);
    return { kind: 'scene', result, reused };
  }
  const id = await seriesAnalysisId(runtime.catalog.url, request, options);
  if (id !== job.id) throw idMismatch(job.id, id);
  // Scenes may run several at once: the percent counts finished scenes plus the scanned share of
  // each running one, so it only grows; the step names the scene that reported last.
  const running = new Map<number, number>();
  const names = new Map<number, string>();
  let finished = 0;
  let count = 1;
  const report = (index: number) => {
    const shares = [...running.values()].reduce((sum, share) => sum + share, 0);
    const step = `scene ${index + 1} of ${count}: ${names.get(index) ?? ''}`;
    deps.onProgress?.({ step, done: finished, total: count, unit: 'scenes', percent: percentOf(finished + shares, count) });
  };
  const { series, analyses } = await analyzeStacSeries(
    { stac: request, options },
    {
      ...sceneDeps,
      onProgress: undefined,
      onScene: (index, total, item) => {
        count = total;
        names.set(index, item.id);
        running.set(index, 0);
        report(index);
      },
      onSceneRows: (index, done, total) => {
        running.set(index, Math.max(running.get(index) ?? 0, (done / Math.max(1, total)) * SCAN_SHARE));
        report(index);
      },
      onSceneDone: (index) => {
        running.delete(index);
        finished++;
        report(index);
      },
    },
  );
  await deps.resultStore.put(seriesKey(series.id), JSON.stringify(series, null, 2), { contentType: 'application/json', signal: deps.signal });
  return { kind: 'series', series, analyses };
}
