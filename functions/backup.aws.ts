/**
 * The daily backup on AWS Lambda: serverless.yml's `functions.backup`, an EventBridge schedule
 * (`cron(0 3 * * ? *)`). Composition only: the results store (`KELPIE_BUCKET`) and the backup
 * store (`KELPIE_BACKUP_BUCKET`, else `backups/` in the results store) once per cold start, then
 * `runBackup` through the scheduled handler, which logs the report and fails the invocation when
 * the backup fails.
 */
import { handlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { createAwsScheduledHandler } from '../adapters/aws/schedule-handler.js';
import { backupJob } from '../adapters/aws/scheduled-jobs.js';
import { createBackupStore } from '../adapters/backup-store.js';
import { createLogger, createStores } from '../adapters/runtime.js';
import { loadConfig } from '../core/config.js';
import { systemClock } from '../core/ports/clock.js';

const SERVICE = 'backup';

export const handler = handlerOrConfigurationError(SERVICE, () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config, SERVICE);
  const results = createStores(config).resultStore;
  const backups = createBackupStore(config, results);
  return createAwsScheduledHandler(backupJob({ results, backups, clock: systemClock, logger, retentionDays: config.KELPIE_BACKUP_RETENTION_DAYS }), { logger });
});
