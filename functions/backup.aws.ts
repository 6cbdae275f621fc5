/**
 * The daily backup on AWS Lambda: serverless.yml's `functions.backup`, an EventBridge schedule
 * (`cron(0 3 * * ? *)`). Composition only: the results store (`KELPIE_BUCKET`) and the backup
 * store (`KELPIE_BACKUP_BUCKET`, else `backups/` in the results store) once per cold start, then
 * the backup through the scheduled handler, which fails the invocation when the backup fails.
 */
import { handlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { awsPlatform } from '../adapters/aws/platform.js';
import { createAwsScheduledHandler } from '../adapters/aws/schedule-handler.js';
import { backupDepsFrom, backupJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'backup';

export const handler = handlerOrConfigurationError(SERVICE, () => {
  const deps = backupDepsFrom(awsPlatform, loadConfig(process.env), SERVICE);
  return createAwsScheduledHandler(backupJob(deps), { name: SERVICE, logger: deps.logger });
});
