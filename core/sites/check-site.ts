/**
 * One check of one site: search the catalog for scenes since the site's last check (its whole
 * history, `since` onwards, the first time), and put one job per scene not yet observed or
 * queued on the job queue. Bounded: at most `WINDOWS_PER_CHECK` windows of `WINDOW_DAYS` per run;
 * a check with more to search says so (`more`), and its caller queues the next one, so a
 * five-year backfill runs as a chain of short invocations, never one long loop.
 */
import type { AnalysisPlan } from '../jobs/plan.js';
import { compactItem } from '../jobs/plan.js';
import { serializeJob } from '../jobs/job.js';
import { createLimiter } from '../net/limiter.js';
import { type AcceptDeps, acceptAnalysis } from '../jobs/submit.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import type { SceneCatalog, StacItem } from '../ports/scene-catalog.js';
import type { BlobStore } from '../ports/blob-store.js';
import { kmPerDegree } from '../stac/aoi.js';
import { usableScenes } from '../stac/choose-scene.js';
import { isAnalysableItem } from '../stac/item-bands.js';
import { SITE_KEYS, type SiteRecord } from './site.js';
import { siteAnalysisId } from './site-scene.js';
import { STORE_CONCURRENCY, listAll, readJson, writeJson } from './site-store.js';

const DAY_MS = 86_400_000;
/** One search covers this many days (about a quarter: at most ~80 items of two overlapping tiles). */
const WINDOW_DAYS = 92;
/** Windows searched per check: a year of history per invocation. */
export const WINDOWS_PER_CHECK = 4;
/** Items one search may return; a window with more is split in two. */
const MAX_WINDOW_ITEMS = 300;
/** Every check searches the last 30 days again: catalogs publish scenes days after they were taken. */
const LOOKBACK_DAYS = 30;
/** A scene queued this long ago and still not observed is queued again (its message was lost). */
const QUEUED_STALE_MS = 2 * DAY_MS;
/** The mark that a backfill has more windows to search: alerts wait for the whole history. */
const BACKFILL_MARK = '_backfill';
/** A backfill whose mark was rewritten this recently is still running its chain of checks (each takes seconds). */
const BACKFILL_ALIVE_MS = 60 * 60 * 1000;

/**
 * Whether the site's backfill is under way: its chain of `site-check` tasks rewrote the mark
 * within the hour, so a scheduled check would only start a second chain. A chain that died
 * (its message lost) stops counting after the hour, and the scheduled check takes over.
 */
export async function backfillRunning(store: BlobStore, siteId: string, nowMs: number, options: { signal?: AbortSignal } = {}): Promise<boolean> {
  const mark = await store.head(SITE_KEYS.queued(siteId, BACKFILL_MARK), options);
  return mark !== undefined && nowMs - (mark.lastModified?.getTime() ?? 0) < BACKFILL_ALIVE_MS;
}

/** `sites/<id>/check.json`: how far the checks have searched. */
export interface CheckState {
  /** The next search starts here (ISO). */
  cursor: string;
  lastCheckedAt: string;
  /** Scenes queued by the last check. */
  lastQueued: number;
}

/** What one check needs. */
export interface CheckDeps {
  resultStore: BlobStore;
  queue: JobQueue;
  catalog: SceneCatalog;
  now: () => number;
  logger: Logger;
  staleAfterMs: number;
  signal?: AbortSignal;
}

/** What one check did. */
export interface CheckReport {
  siteId: string;
  /** Scenes found over the site in the windows searched, and how many were put on the queue now. */
  scenes: number;
  queued: number;
  /** More history to search: queue another check. */
  more: boolean;
}

/**
 * Checks `site` once (see the module's comment). Scenes already observed, queued or running are
 * not queued again, so a second check the same day queues nothing new.
 *
 * @example
 * ```ts
 * const report = await checkSite(site, { resultStore, queue, catalog, now: clock.now, logger, staleAfterMs });
 * if (report.more) await queue.send(serializeSiteTask({ v: 1, kind: 'site-check', siteId: site.id }));
 * ```
 */
export async function checkSite(site: SiteRecord, deps: CheckDeps): Promise<CheckReport> {
  const options = { signal: deps.signal };
  const now = deps.now();
  const state = await readJson<CheckState>(deps.resultStore, SITE_KEYS.check(site.id), options);
  let start = Date.parse(state?.cursor ?? `${site.since}T00:00:00Z`);
  const found = new Map<string, StacItem>();
  for (let windows = 0; start < now && windows < WINDOWS_PER_CHECK; windows++) {
    const end = Math.min(start + WINDOW_DAYS * DAY_MS, now);
    for (const item of await searchWindow(site, start, end, deps)) found.set(item.id, item);
    start = end;
  }
  const more = start < now;
  const [observed, queued] = await Promise.all([
    listAll(deps.resultStore, SITE_KEYS.obsPrefix(site.id), options),
    listAll(deps.resultStore, SITE_KEYS.queuedPrefix(site.id), options),
  ]);
  const seen = new Set(observed.map((item) => sceneOf(item.key)));
  const waiting = new Map(queued.map((item) => [sceneOf(item.key), item.lastModified?.getTime() ?? now]));
  const fresh = [...found.values()].filter((item) => !seen.has(item.id) && !(now - (waiting.get(item.id) ?? -Infinity) < QUEUED_STALE_MS));
  // Every mark before any message: a worker finishing early must see that others wait.
  if (more) await writeJson(deps.resultStore, SITE_KEYS.queued(site.id, BACKFILL_MARK), { since: state?.cursor ?? site.since }, options);
  const limit = createLimiter(STORE_CONCURRENCY);
  await Promise.all(fresh.map((item) => limit.run(() => writeJson(deps.resultStore, SITE_KEYS.queued(site.id, item.id), { queuedAt: new Date(now).toISOString() }, options))));
  let sent = 0;
  for (const item of fresh) if (await queueScene(site, item, waiting.has(item.id), deps)) sent++;
  if (!more && waiting.has(BACKFILL_MARK)) await deps.resultStore.delete(SITE_KEYS.queued(site.id, BACKFILL_MARK), options);
  const cursor = more ? start : Math.max(Date.parse(`${site.since}T00:00:00Z`), now - LOOKBACK_DAYS * DAY_MS);
  await writeJson(deps.resultStore, SITE_KEYS.check(site.id), { cursor: new Date(cursor).toISOString(), lastCheckedAt: new Date(now).toISOString(), lastQueued: sent } satisfies CheckState, options);
  deps.logger.info('site checked', { siteId: site.id, scenes: found.size, queued: sent, more });
  return { siteId: site.id, scenes: found.size, queued: sent, more };
}

/**
 * The usable scenes (one per day, covering some of the site) of `[start, end)`, every collection;
 * a window with too many items is split. Items of a Landsat the analysis does not read (4–7 share
 * `landsat-c2-l2`) are left out, as a single analysis leaves them out.
 */
async function searchWindow(site: SiteRecord, start: number, end: number, deps: CheckDeps): Promise<StacItem[]> {
  const scenes: StacItem[] = [];
  for (const collection of site.collections) {
    const { items, complete } = await deps.catalog.search(
      { collection, bbox: site.aoi.bboxWgs84, start: new Date(start).toISOString(), end: new Date(end - 1).toISOString(), maxCloudCover: site.maxCloud, sortBy: 'date', maxItems: MAX_WINDOW_ITEMS },
      { signal: deps.signal },
    );
    if (!complete && end - start > DAY_MS) {
      const middle = start + Math.floor((end - start) / 2 / DAY_MS) * DAY_MS;
      return [...(await searchWindow(site, start, middle, deps)), ...(await searchWindow(site, middle, end, deps))];
    }
    scenes.push(...usableScenes(items.filter(isAnalysableItem), site.aoi.bboxWgs84).map((entry) => entry.item));
  }
  return scenes;
}

/**
 * Queues the analysis of `item` over the site, unless it is queued, running or done already;
 * true when a message was sent. A scene queued long ago (`stale`) and still not observed is sent
 * again even when its analysis is done: its observation was never recorded.
 */
async function queueScene(site: SiteRecord, item: StacItem, stale: boolean, deps: CheckDeps): Promise<boolean> {
  const id = await siteAnalysisId(deps.catalog.url, site, item.id, site.options);
  const submittedAt = new Date(deps.now()).toISOString();
  const [west, south, east, north] = site.aoi.bboxWgs84;
  const km = kmPerDegree((south + north) / 2);
  const pixels = Math.round((east - west) * km.lon * (north - south) * km.lat * 10_000);
  const plan: AnalysisPlan = {
    id,
    kind: 'scene',
    job: { v: 1, kind: 'site', id, submittedAt, siteId: site.id, item: compactItem(item) as unknown as Record<string, unknown>, options: site.options },
    estimate: { pixels, scenes: 1, workPixels: pixels, syncLimit: 0 },
    source: { site: site.id, sceneId: item.id },
    prepared: {},
  };
  const accept: AcceptDeps = { resultStore: deps.resultStore, queue: deps.queue, now: deps.now, staleAfterMs: deps.staleAfterMs, logger: deps.logger, ...(deps.signal ? { signal: deps.signal } : {}) };
  const status = await acceptAnalysis(plan, accept);
  if (status.submittedAt === submittedAt && status.attempt === 0 && status.status === 'queued') return true;
  if (!stale || status.status === 'queued' || status.status === 'running') return false;
  await deps.queue.send(serializeJob(plan.job), { signal: deps.signal });
  return true;
}

/** The scene id of an `obs/` or `queued/` key. */
const sceneOf = (key: string) => key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');
