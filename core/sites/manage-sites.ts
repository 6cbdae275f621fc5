import { DependencyUnavailableError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import { send } from './monitor.js';
import { type SiteRecord, newSiteId } from './site.js';
import { parseNewSite, patchSite } from './site-input.js';
import { readSite, writeSite } from './site-store.js';

/** What creating and changing sites needs. */
export interface ManageSitesDeps {
  resultStore: BlobStore;
  /** Where the backfill's first check goes; sites need one. */
  queue?: JobQueue;
  /** Whether a STAC catalog is configured: sites are watched in it. */
  catalogConfigured: boolean;
  now: () => number;
  outboundHosts: readonly string[];
  logger: Logger;
  signal?: AbortSignal;
}

/** A created or changed site, and its webhook secret when it is new (shown once). */
export interface SiteChange {
  site: SiteRecord;
  secret?: string;
}

/**
 * Creates a site from a request body and starts its backfill (a `site-check` task on the job
 * queue, which searches `since` onwards in bounded steps). Everything is checked before anything
 * is stored: a bad body stores nothing. Without a catalog or a job queue it answers 503 and
 * stores nothing; when the queue refuses the first check, the site is kept and the next scheduled
 * check starts the backfill (`backfill: 'at the next check'`).
 *
 * @example
 * ```ts
 * const { site, secret } = await createSite({ name: 'Point Lobos', aoi: { bbox } }, deps);
 * ```
 */
export async function createSite(body: unknown, deps: ManageSitesDeps): Promise<SiteChange & { backfill: 'queued' | 'at the next check' }> {
  const now = deps.now();
  const site = parseNewSite(body, newSiteId(now), { nowMs: now, outboundHosts: deps.outboundHosts });
  if (!deps.catalogConfigured) throw new DependencyUnavailableError('monitored sites are watched in a STAC catalog and none is configured (set KELPIE_STAC_URL)');
  const queue = deps.queue;
  if (!queue) throw new DependencyUnavailableError('monitored sites need a job queue for their scenes and this deployment has none (set KELPIE_JOB_QUEUE)');
  await writeSite(deps.resultStore, site, { signal: deps.signal });
  let backfill: 'queued' | 'at the next check' = 'queued';
  try {
    await send({ queue, signal: deps.signal }, { v: 1, kind: 'site-check', siteId: site.id });
  } catch (error) {
    backfill = 'at the next check';
    deps.logger.error('the job queue refused the first check of a new site; the scheduled check will start it', { siteId: site.id, queue: queue.name, error: (error as Error).message });
  }
  deps.logger.info('site created', { siteId: site.id, areaM2: site.aoi.areaM2, since: site.since, backfill });
  return { site, ...(site.alert?.secret ? { secret: site.alert.secret } : {}), backfill };
}

/** Applies a `PATCH` body to site `id` (see `patchSite`); 404 for an unknown site, nothing stored on a bad body. */
export async function updateSite(id: string, body: unknown, deps: ManageSitesDeps): Promise<SiteChange> {
  const current = await readSite(deps.resultStore, id, { signal: deps.signal });
  const change = patchSite(current, body, { nowMs: deps.now(), outboundHosts: deps.outboundHosts });
  await writeSite(deps.resultStore, change.site, { signal: deps.signal });
  return change;
}
