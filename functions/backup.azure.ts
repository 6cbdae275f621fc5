/**
 * The daily backup on Azure Functions (Node.js v4 model): a timer at 03:00 (NCRONTAB with
 * seconds), UTC unless the app sets `WEBSITE_TIME_ZONE` where its plan supports it.
 * Composition only, on the first run. A failed backup throws, so the run is recorded as failed;
 * it is retried twice, 5 minutes apart, and a run that fails part-way is completed by the next.
 */
import { type InvocationContext, type Timer, app } from '@azure/functions';
import { azureFunctionTimeoutMs } from '../adapters/azure/function-timeout.js';
import { withInvocationLog } from '../adapters/azure/logger.js';
import { azurePlatform } from '../adapters/azure/platform.js';
import { fromTimer } from '../adapters/azure/timer.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { backupDepsFrom, backupJob, runScheduledJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'backup';

/** Every day at 03:00:00 (`{second} {minute} {hour} {day} {month} {day-of-week}`). */
export const BACKUP_SCHEDULE = '0 0 3 * * *';

const deps = composeOnce(SERVICE, () => backupDepsFrom(azurePlatform, loadConfig(process.env), SERVICE));

/** The timer's handler (exported for tests). */
export const backup = withInvocationLog(async (timer: Timer, context: InvocationContext): Promise<void> => {
  await runScheduledJob(SERVICE, backupJob(deps()), fromTimer(timer, context), { logger: deps().logger, timeoutMs: azureFunctionTimeoutMs(process.env) });
});

app.timer('backup', { schedule: BACKUP_SCHEDULE, handler: backup, retry: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { minutes: 5 } } });
