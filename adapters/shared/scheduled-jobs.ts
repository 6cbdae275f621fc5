import type { Config } from '../../core/config.js';
import { isKelpieError } from '../../core/errors.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import { type Metrics, noMetrics } from '../../core/ports/metrics.js';
import { type BackupDeps, type BackupReport, runBackup } from '../../core/usecases/backup.js';
import { type HealthCheckResult, type HealthPingDeps, assertHealthy, runHealthPing } from '../../core/usecases/health-ping.js';
import { startDeadline } from './deadline.js';
import { type Env, type Platform, createBackupStore, createStores } from './platform.js';

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
