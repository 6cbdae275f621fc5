import type { Config } from '../../core/config.js';
import { DependencyUnavailableError, isKelpieError } from '../../core/errors.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';
import { type MonitorDeps, type MonitorReport, monitorSites } from '../../core/sites/monitor.js';
import { listSiteIds } from '../../core/sites/site-store.js';
import { createStacRuntime } from '../../core/stac/stac-runtime.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import { type Metrics, noMetrics } from '../../core/ports/metrics.js';
import { type BackupDeps, type BackupReport, runBackup } from '../../core/usecases/backup.js';
import { type HealthCheckResult, type HealthPingDeps, assertHealthy, runHealthPing } from '../../core/usecases/health-ping.js';
import { startDeadline } from './deadline.js';
import { type Env, type Platform, createBackupStore, createJobQueue, createStores } from './platform.js';
import { CODE_VERSION } from './version.js';

/** The one neutral "the schedule fired" command, whatever carried it (EventBridge, Pub/Sub, a timer). */
export interface ScheduleTick {
  /** `schedule` when the platform's scheduler fired it; `manual` for any other invocation (a console test, `sls invoke`). */
  trigger: 'schedule' | 'manual';
  /** When the schedule fired (ISO 8601), or when a manual run started. */
  firedAt: string;
  /** The platform's event, message or invocation id, for the log. */
  id?: string;
  /** The rule that fired, when the event names one. */
  rule?: string;
  /** The run is late (Azure runs a missed occurrence on start-up). */
  pastDue?: boolean;
}

/** A scheduled job: the tick, and a signal that fires before the platform's deadline. Throwing fails the run. */
export type ScheduledJob<T> = (tick: ScheduleTick, signal: AbortSignal) => Promise<T>;

/**
 * The one runner of scheduled jobs on every platform: runs `job` under a deadline
 * `DEADLINE_MARGIN_MS` before `timeoutMs`, and when it fails logs one line at error level (with
 * the tick and the error's code) and rethrows, so the platform records a failed run and its
 * alarms fire.
 *
 * @example
 * ```ts
 * await runScheduledJob('backup', backupJob(deps()), tick, { logger, timeoutMs: 540_000 });
 * ```
 */
export async function runScheduledJob<T>(name: string, job: ScheduledJob<T>, tick: ScheduleTick, options: { logger: Logger; timeoutMs: number | undefined }): Promise<T> {
  const deadline = startDeadline(options.timeoutMs);
  try {
    return await job(tick, deadline.signal);
  } catch (error) {
    options.logger.error(`${name} failed`, { tick, code: isKelpieError(error) ? error.code : 'BUG', error: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    deadline.dispose();
  }
}

/**
 * The daily backup as a scheduled job: `runBackup` with the run's signal, then one `backup report`
 * line (the tick, counts, pruned dates, manifest). A run that fails part-way leaves no manifest,
 * and the next run completes the job.
 */
export function backupJob(deps: Omit<BackupDeps, 'signal'>): ScheduledJob<BackupReport> {
  return async (tick, signal) => {
    const report = await runBackup({}, { ...deps, signal });
    deps.logger.info('backup report', {
      trigger: tick.trigger,
      firedAt: tick.firedAt,
      date: report.date,
      copied: report.copied.length,
      carried: report.carried,
      pruned: report.pruned,
      manifest: report.manifest,
    });
    return report;
  };
}

/**
 * The health ping as a scheduled job: `runHealthPing` (one log line with every check, and
 * metrics), then `assertHealthy`, which throws `HealthPingFailedError` naming each failed check.
 */
export function healthPingJob(deps: HealthPingDeps): ScheduledJob<{ ok: boolean; checks: HealthCheckResult[] }> {
  return async () => {
    const result = await runHealthPing(deps);
    assertHealthy(result);
    return result;
  };
}

/**
 * The backup job's dependencies from the configuration, with one platform's stores and logger:
 * the results store, the backup store (`KELPIE_BACKUP_BUCKET`, else `backups/` in the results
 * store) and the retention.
 *
 * @example
 * ```ts
 * const deps = backupDepsFrom(azurePlatform, loadConfig(process.env), 'backup');
 * ```
 */
export function backupDepsFrom(platform: Platform, config: Config, service: string, options: { env?: Env } = {}): Omit<BackupDeps, 'signal'> {
  const results = createStores(platform, config, options.env).resultStore;
  return {
    results,
    backups: createBackupStore(platform, config, results, options.env),
    clock: systemClock,
    logger: platform.logger(config, service),
    retentionDays: config.KELPIE_BACKUP_RETENTION_DAYS,
  };
}

/**
 * The health ping's dependencies from the configuration: the results store (the canary goes
 * there), `KELPIE_STAC_URL` and `KELPIE_HEALTH_URL` when set, the global `fetch`, and the
 * platform's metrics (none by default).
 *
 * @example
 * ```ts
 * const deps = healthPingDepsFrom(gcpPlatform, loadConfig(process.env), 'health-ping');
 * ```
 */
export function healthPingDepsFrom(platform: Platform, config: Config, service: string, options: { env?: Env; metrics?: Metrics } = {}): HealthPingDeps {
  return {
    store: createStores(platform, config, options.env).resultStore,
    ...(config.KELPIE_STAC_URL ? { stacUrl: config.KELPIE_STAC_URL } : {}),
    ...(config.KELPIE_HEALTH_URL ? { healthUrl: config.KELPIE_HEALTH_URL } : {}),
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    logger: platform.logger(config, service),
    metrics: options.metrics ?? noMetrics,
  };
}

/** What the scheduled check of monitored sites is made of; the catalog and queue may be missing (then only a deployment with sites fails). */
export interface MonitorSitesParts {
  resultStore: BlobStore;
  queue?: JobQueue;
  stacUrl?: string;
  outboundHosts: readonly string[];
  logger: Logger;
  staleAfterMs: number;
}

/**
 * `monitorSites` as a scheduled job: the first page of sites checked (new scenes queued, one job
 * per scene), the rest handed to the job queue (core/sites/monitor.ts). With no site it does
 * nothing; with sites but no catalog or queue it fails naming the setting, so alarms fire.
 */
export function monitorSitesJob(parts: MonitorSitesParts): ScheduledJob<MonitorReport> {
  return async (tick, signal) => {
    const { ids } = await listSiteIds(parts.resultStore, { limit: 1, signal });
    if (ids.length === 0) {
      parts.logger.info('sites monitored', { sites: 0, trigger: tick.trigger });
      return { sites: 0, checked: [], queued: 0, skipped: 0, continued: false, alertsFired: 0 };
    }
    if (!parts.stacUrl) throw new DependencyUnavailableError('sites are monitored in a STAC catalog and none is configured (set KELPIE_STAC_URL)');
    if (!parts.queue) throw new DependencyUnavailableError('monitorSites queues one job per new scene and there is no job queue (set KELPIE_JOB_QUEUE)');
    const fetch = (input: string, init?: RequestInit) => globalThis.fetch(input, init);
    const deps: MonitorDeps = {
      resultStore: parts.resultStore,
      queue: parts.queue,
      catalog: createStacRuntime({ url: parts.stacUrl, fetch, outboundHosts: parts.outboundHosts, clock: systemClock }).catalog,
      now: () => systemClock.now(),
      logger: parts.logger,
      staleAfterMs: parts.staleAfterMs,
      sites: { queue: parts.queue, fetch, outboundHosts: parts.outboundHosts, userAgent: `kelpie-carbon/${CODE_VERSION}`, staleAfterMs: parts.staleAfterMs },
      signal,
    };
    return monitorSites({}, deps);
  };
}

/**
 * The parts of `monitorSites` from the configuration, with one platform's store, job queue and logger.
 *
 * @example
 * ```ts
 * const parts = monitorSitesPartsFrom(awsPlatform, loadConfig(process.env), 'monitor-sites');
 * ```
 */
export function monitorSitesPartsFrom(platform: Platform, config: Config, service: string, options: { env?: Env } = {}): MonitorSitesParts {
  const queue = createJobQueue(platform, config, options.env);
  return {
    resultStore: createStores(platform, config, options.env).resultStore,
    ...(queue ? { queue } : {}),
    ...(config.KELPIE_STAC_URL ? { stacUrl: config.KELPIE_STAC_URL } : {}),
    outboundHosts: config.KELPIE_OUTBOUND_HOSTS,
    logger: platform.logger(config, service),
    staleAfterMs: (config.KELPIE_JOB_TIMEOUT_S + 60) * 1000,
  };
}
