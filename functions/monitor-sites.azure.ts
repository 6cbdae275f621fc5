/**
 * The scheduled check of monitored sites on Azure Functions (Node.js v4 model): a timer at 04:00
 * every day (NCRONTAB with seconds). Composition only, on the first run: one page of sites
 * checked, one storage-queue job message per new scene (`KELPIE_JOB_QUEUE_NAME`), the next page
 * handed to the queue. A failed run is retried twice, 5 minutes apart; a second run the same day
 * queues nothing new.
 */
import { type InvocationContext, type Timer, app } from '@azure/functions';
import { azureFunctionTimeoutMs } from '../adapters/azure/function-timeout.js';
import { withInvocationLog } from '../adapters/azure/logger.js';
import { azurePlatform } from '../adapters/azure/platform.js';
import { fromTimer } from '../adapters/azure/timer.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { monitorSitesJob, monitorSitesPartsFrom, runScheduledJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'monitor-sites';

/** Every day at 04:00:00 (`{second} {minute} {hour} {day} {month} {day-of-week}`), after the backup. */
export const MONITOR_SCHEDULE = '0 0 4 * * *';

const parts = composeOnce(SERVICE, () => monitorSitesPartsFrom(azurePlatform, loadConfig(process.env), SERVICE));

/** The timer's handler (exported for tests). */
export const monitorSites = withInvocationLog(async (timer: Timer, context: InvocationContext): Promise<void> => {
  await runScheduledJob(SERVICE, monitorSitesJob(parts()), fromTimer(timer, context), { logger: parts().logger, timeoutMs: azureFunctionTimeoutMs(process.env) });
});

app.timer('monitorSites', { schedule: MONITOR_SCHEDULE, handler: monitorSites, retry: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { minutes: 5 } } });
