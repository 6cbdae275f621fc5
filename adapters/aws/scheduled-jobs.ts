import { type BackupDeps, type BackupReport, runBackup } from '../../core/usecases/backup.js';
import { type HealthCheckResult, type HealthPingDeps, assertHealthy, runHealthPing } from '../../core/usecases/health-ping.js';
import type { ScheduledJob } from './schedule-handler.js';

/**
 * The daily backup as a scheduled job: `runBackup` with the invocation's signal, then one log
 * line with the report (counts, pruned dates, manifest). A failure throws (no manifest is
 * written; the next run finishes the job).
 *
 * @example
 * ```ts
 * const job = backupJob({ results, backups, clock: systemClock, logger, retentionDays: 30 });
 * ```
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
 * The health ping as a scheduled job: `runHealthPing` (which logs one structured line and records
 * metrics), then `assertHealthy`, which throws `HealthPingFailedError` naming every failing check,
 * so the invocation fails and the platform alarms.
 *
 * @example
 * ```ts
 * const job = healthPingJob({ store, stacUrl, healthUrl, fetch, clock: systemClock, logger, metrics });
 * ```
 */
export function healthPingJob(deps: HealthPingDeps): ScheduledJob<{ ok: boolean; checks: HealthCheckResult[] }> {
  return async () => {
    const result = await runHealthPing(deps);
    assertHealthy(result);
    return result;
  };
}
