/**
 * Keeping sites current without long loops. `monitorSites` (the scheduled function, daily) checks
 * one page of sites (`SITES_PER_RUN`) itself and hands the next page to the job queue as a
 * `monitor-sites` task, so thousands of sites fan out through the queue in bounded steps; a site
 * whose history needs more windows continues as `site-check` tasks. Creating a site queues its
 * first `site-check`: its backfill is the same steps.
 */
import { z } from 'zod';
import { dispositionOf } from '../delivery.js';
import { InvalidRequestError, isKelpieError } from '../errors.js';
import { type CheckDeps, type CheckReport, backfillRunning, checkSite } from './check-site.js';
import { alertDepsOf, fireAlerts } from './fire-alerts.js';
import { SITE_ID, SITE_KEYS, type SiteRecord } from './site.js';
import type { SiteRuntime } from './site-scene.js';
import { readSiteSeries } from './site-series.js';
import { listSiteIds, readSite } from './site-store.js';

/** Sites one invocation checks itself; the rest go to the queue, a page per task. */
export const SITES_PER_RUN = 25;

/** The site tasks the job queue carries beside analysis jobs. */
const siteTaskSchema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(1), kind: z.literal('site-check'), siteId: z.string().regex(SITE_ID) }).strict(),
  z.object({ v: z.literal(1), kind: z.literal('monitor-sites'), cursor: z.string().max(2048).optional() }).strict(),
]);
export type SiteTask = z.output<typeof siteTaskSchema>;

/**
 * The site task in a queue message, or undefined when the message is something else (an analysis
 * job); a message that says it is a site task and is not well formed throws `InvalidRequestError`.
 */
export function parseSiteTask(body: unknown): SiteTask | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind !== 'site-check' && kind !== 'monitor-sites') return undefined;
  const parsed = siteTaskSchema.safeParse(value);
  if (!parsed.success) throw new InvalidRequestError(`the queue message is not a site task: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** What monitoring needs: a check's deps and the site runtime (webhooks). */
export interface MonitorDeps extends CheckDeps {
  sites: SiteRuntime;
}

/** What one monitoring step did. */
export interface MonitorReport {
  sites: number;
  checked: CheckReport[];
  /** Scenes put on the queue, in all. */
  queued: number;
  /** Sites skipped (paused, deleted, or failed with the reason logged). */
  skipped: number;
  /** The next page of sites was handed to the queue. */
  continued: boolean;
  alertsFired: number;
}

/**
 * One page of sites: each checked (its new scenes queued, a longer backfill continued as a
 * `site-check` task, its alerts fired once nothing of it waits), and the next page queued as a
 * `monitor-sites` task. One site's failure that retrying cannot fix is logged and skipped; an
 * outage fails the step so the platform retries it.
 *
 * @example
 * ```ts
 * const report = await monitorSites({}, deps); // the scheduled run: the first page
 * ```
 */
export async function monitorSites(task: { cursor?: string }, deps: MonitorDeps): Promise<MonitorReport> {
  const page = await listSiteIds(deps.resultStore, { limit: SITES_PER_RUN, ...(task.cursor ? { cursor: task.cursor } : {}), signal: deps.signal });
  const report: MonitorReport = { sites: page.ids.length, checked: [], queued: 0, skipped: 0, continued: false, alertsFired: 0 };
  for (const id of page.ids) {
    try {
      const site = await readSite(deps.resultStore, id, { signal: deps.signal });
      // A paused site is not checked; one whose backfill chain is running is left to it.
      if (site.paused || (await backfillRunning(deps.resultStore, id, deps.now(), { signal: deps.signal }))) {
        report.skipped++;
        continue;
      }
      const outcome = await checkAndAlert(site, deps);
      report.checked.push(outcome.check);
      report.queued += outcome.check.queued;
      report.alertsFired += outcome.alertsFired;
    } catch (error) {
      if (dispositionOf(error) === 'retry') throw error;
      report.skipped++;
      deps.logger.warn('site skipped by the check', { siteId: id, code: isKelpieError(error) ? error.code : 'BUG', error: (error as Error).message });
    }
  }
  if (page.cursor) {
    await send(deps, { v: 1, kind: 'monitor-sites', cursor: page.cursor });
    report.continued = true;
  }
  deps.logger.info('sites monitored', { sites: report.sites, queued: report.queued, skipped: report.skipped, continued: report.continued, alertsFired: report.alertsFired });
  return report;
}

/**
 * Runs a site task from the queue: a `site-check` (one site, continued while its history has
 * more) or a `monitor-sites` page.
 */
export async function runSiteTask(task: SiteTask, deps: MonitorDeps): Promise<void> {
  if (task.kind === 'monitor-sites') {
    await monitorSites(task, deps);
    return;
  }
  const site = await readSite(deps.resultStore, task.siteId, { signal: deps.signal });
  if (!site.paused) await checkAndAlert(site, deps);
}

/** Checks the site, continues its backfill, and fires its alerts once none of its scenes wait. */
async function checkAndAlert(site: SiteRecord, deps: MonitorDeps): Promise<{ check: CheckReport; alertsFired: number }> {
  const check = await checkSite(site, deps);
  if (check.more) {
    await send(deps, { v: 1, kind: 'site-check', siteId: site.id });
    return { check, alertsFired: 0 };
  }
  const waiting = await deps.resultStore.list(SITE_KEYS.queuedPrefix(site.id), { limit: 1, signal: deps.signal });
  if (waiting.items.length || !site.alert) return { check, alertsFired: 0 };
  const derived = await readSiteSeries(deps.resultStore, site, deps.now(), { signal: deps.signal });
  const { fired } = await fireAlerts(site, derived, alertDepsOf(deps, deps.sites));
  return { check, alertsFired: fired.length };
}

/** Puts a site task on the queue. */
export async function send(deps: Pick<CheckDeps, 'queue' | 'signal'>, task: SiteTask): Promise<void> {
  await deps.queue.send(JSON.stringify(task), { signal: deps.signal });
}
