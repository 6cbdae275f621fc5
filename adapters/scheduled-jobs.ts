import type { Config } from '../core/config.js';
import { isKelpieError } from '../core/errors.js';
import { systemClock } from '../core/ports/clock.js';
import { noMetrics } from '../core/ports/metrics.js';
import { type BackupDeps, type BackupReport, runBackup } from '../core/usecases/backup.js';
import { type HealthCheckResult, type HealthPingDeps, assertHealthy, runHealthPing } from '../core/usecases/health-ping.js';
import { createBackupStore } from './backup-store.js';
import { startDeadline } from './http-edge.js';
import { createLogger, createStores } from './runtime.js';

/** A neutral "the schedule fired" command, whatever carried it (a Pub/Sub message, a timer). */
export interface ScheduleTick {
  /** The platform event or invocation id, for the log. */
  id?: string;
  /** When the schedule fired (ISO 8601), when the platform says. */
  firedAt?: string;
  /** The run is late (Azure: a missed occurrence is run on start-up). */
  pastDue?: boolean;
}

/** The backup job's dependencies, without the per-run signal. */
export interface BackupJobDeps {
  backup: Omit<BackupDeps, 'signal'>;
  /** How long the platform lets one run take, in ms; the run aborts a little before. */
  timeoutMs: number;
}

const MARGIN_MS = 5_000;

/**
 * Runs the daily backup once. Resolves with the report (the use case logs what it did); a failure
 * is logged at error level and thrown, so the platform records a failed run and alarms. A run
 * that fails part-way leaves no manifest, and the next run completes the job.
 *
 * @example
 * ```ts
 * await runBackupJob({ id: event.id, firedAt: event.time }, deps());
 * ```
 */
export async function runBackupJob(tick: ScheduleTick, deps: BackupJobDeps): Promise<BackupReport> {
  const deadline = startDeadline(deps.timeoutMs, MARGIN_MS);
  try {
    return await runBackup({}, { ...deps.backup, signal: deadline.signal });
  } catch (error) {
    const code = isKelpieError(error) ? error.code : 'BUG';
    deps.backup.logger.error('backup failed; no manifest was written for today, the next run completes it', { tick, code, error: (error as Error).message });
    throw error;
  } finally {
    deadline.dispose();
  }
}

/**
 * Runs the health ping once (the use case logs one line with every check). Throws
 * `HealthPingFailedError` naming the failed checks (`store`, `catalog`, `public-health`), so the
 * invocation fails and the platform's alarms see it.
 *
 * @example
 * ```ts
 * await runHealthJob({ id: context.invocationId }, deps());
 * ```
 */
export async function runHealthJob(_tick: ScheduleTick, deps: HealthPingDeps): Promise<HealthCheckResult[]> {
  const result = await runHealthPing(deps);
  assertHealthy(result);
  return result.checks;
}

/**
 * The backup job's dependencies from the configuration: the results store, the backup store
 * (`KELPIE_BACKUP_BUCKET`, else `backups/` in the results store) and the retention.
 *
 * @example
 * ```ts
 * const deps = backupJobDepsFrom(loadConfig(process.env), 'backup', { timeoutMs: 540_000 });
 * ```
 */
export function backupJobDepsFrom(config: Config, service: string, options: { timeoutMs: number; env?: Record<string, string | undefined> }): BackupJobDeps {
  const results = createStores(config, options.env).resultStore;
  return {
    backup: {
      results,
      backups: createBackupStore(config, results, options.env),
      clock: systemClock,
      logger: createLogger(config, service),
      retentionDays: config.KELPIE_BACKUP_RETENTION_DAYS,
    },
    timeoutMs: options.timeoutMs,
  };
}

/**
 * The health ping's dependencies from the configuration: the results store (the canary goes
 * there), `KELPIE_STAC_URL` and `KELPIE_HEALTH_URL` when set, the global `fetch`.
 *
 * @example
 * ```ts
 * const deps = healthJobDepsFrom(loadConfig(process.env), 'health-ping');
 * ```
 */
export function healthJobDepsFrom(config: Config, service: string, options: { env?: Record<string, string | undefined> } = {}): HealthPingDeps {
  return {
    store: createStores(config, options.env).resultStore,
    ...(config.KELPIE_STAC_URL ? { stacUrl: config.KELPIE_STAC_URL } : {}),
    ...(config.KELPIE_HEALTH_URL ? { healthUrl: config.KELPIE_HEALTH_URL } : {}),
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    logger: createLogger(config, service),
    metrics: noMetrics,
  };
}
