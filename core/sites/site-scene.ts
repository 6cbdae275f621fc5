/**
 * One scene over a monitored site, as a worker runs it: the analysis of the site's exact area,
 * its observation (`sites/<id>/obs/<scene>.json`, one object per scene, so concurrent workers
 * never overwrite each other), the series and trend derived again, and, once no other scene of
 * the site is waiting, its alerts.
 */
import { deriveAnalysisId } from '../analysis/ids.js';
import type { AnalysisOptions } from '../analysis/options.js';
import { isKelpieError } from '../errors.js';
import type { AnalysisJob } from '../jobs/job.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Fetch } from '../ports/fetch.js';
import type { StacItem } from '../ports/scene-catalog.js';
import type { StacRequest } from '../stac/stac-request.js';
import { type AnalyzeStacDeps, type SceneAnalysis, analyzeItem } from '../usecases/analyze-stac.js';
import { alertDepsOf, fireAlerts } from './fire-alerts.js';
import { observationOf, unobservableOf } from './observation.js';
import { refreshSiteSeries } from './site-series.js';
import { SITE_KEYS, type SiteRecord } from './site.js';
import { readSite, writeJson } from './site-store.js';

/** What the site side of the jobs needs besides the analysis: the queue (checks queue scenes) and webhooks' HTTP. */
export interface SiteRuntime {
  queue?: JobQueue;
  fetch: Fetch;
  /** `KELPIE_OUTBOUND_HOSTS`: webhook hosts must be on it. */
  outboundHosts: readonly string[];
  userAgent?: string;
  /** A `running` job older than this is dead (the worker's timeout plus a margin). */
  staleAfterMs?: number;
}

/** The id of the analysis of one catalog item over a site: the site, the catalog, the item and its options. */
export function siteAnalysisId(catalogUrl: string, site: Pick<SiteRecord, 'id' | 'aoi'>, itemId: string, options: AnalysisOptions): Promise<string> {
  return deriveAnalysisId(['site', site.id, catalogUrl, itemId, JSON.stringify(site.aoi.geometry.coordinates), JSON.stringify(options)]);
}

/** The request an analysis of the site reads its window with: the site's box. */
export function siteRequest(site: SiteRecord): StacRequest {
  return { bbox: site.aoi.bboxWgs84, start: site.since, end: site.since, startInstant: `${site.since}T00:00:00Z`, endInstant: `${site.since}T00:00:00Z`, maxCloudCover: site.maxCloud, series: false, collections: [...site.collections] };
}

/**
 * Runs a `site` job: analyses the item over the site's exact area (or reuses the analysis), then
 * records the observation and derives the series. A scene nothing of the site can be seen in
 * (off its pixels, all nodata, a band missing) is recorded as an unobservable observation and
 * its error rethrown, so the job ends `failed` with the reason. Throws `NotFoundError` when
 * the site was deleted meanwhile.
 *
 * @example
 * ```ts
 * const { result } = await analyzeSiteScene(job, { ...sceneDeps, sites });
 * ```
 */
export async function analyzeSiteScene(job: Extract<AnalysisJob, { kind: 'site' }>, deps: AnalyzeStacDeps & { sites?: SiteRuntime; now: () => number }): Promise<SceneAnalysis> {
  const site = await readSite(deps.resultStore, job.siteId, { signal: deps.signal });
  const item = job.item as unknown as StacItem;
  let analysis: SceneAnalysis;
  try {
    analysis = await analyzeItem(item, siteRequest(site), job.options, deps, [], { id: job.id, aoi: site.aoi.geometry.coordinates });
  } catch (error) {
    if (!isKelpieError(error) || error.kind !== 'unusable' || deps.signal?.aborted) throw error;
    await record(site, item.id, unobservableOf(site.id, item, job.id, { code: error.code, message: error.message }, deps.now()), deps);
    throw error;
  }
  await record(site, item.id, observationOf(site.id, item, analysis.result, deps.now()), deps);
  return analysis;
}

/** Writes the observation, clears the scene's queued mark, derives the series, and fires alerts once nothing else waits. */
async function record(site: SiteRecord, sceneId: string, observation: object, deps: AnalyzeStacDeps & { sites?: SiteRuntime; now: () => number }): Promise<void> {
  const options = { signal: deps.signal };
  await writeJson(deps.resultStore, SITE_KEYS.obs(site.id, sceneId), observation, options);
  await deps.resultStore.delete(SITE_KEYS.queued(site.id, sceneId), options);
  const derived = await refreshSiteSeries(deps.resultStore, site, deps.now(), options);
  const waiting = await deps.resultStore.list(SITE_KEYS.queuedPrefix(site.id), { limit: 1, signal: deps.signal });
  if (waiting.items.length || !deps.sites) return;
  await fireAlerts(site, derived, alertDepsOf(deps, deps.sites));
}
