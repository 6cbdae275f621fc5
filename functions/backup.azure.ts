/**
 * The daily backup on Azure Functions (Node.js v4 model): a timer at 03:00 (NCRONTAB with
 * seconds), UTC unless the app sets `WEBSITE_TIME_ZONE` where its plan supports it.
 * Composition only, on the first run. A failed backup throws, so the run is recorded as failed;
 * it is retried twice, 5 minutes apart, and a run that fails part-way is completed by the next.
 */
import { type InvocationContext, type Timer, app } from '@azure/functions';
import { azureFunctionTimeoutMs } from '../adapters/azure/function-timeout.js';
import { composeOnce } from '../adapters/compose-once.js';
import { backupJobDepsFrom, runBackupJob } from '../adapters/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'backup';

/** Every day at 03:00:00 (`{second} {minute} {hour} {day} {month} {day-of-week}`). */
export const BACKUP_SCHEDULE = '0 0 3 * * *';

const deps = composeOnce(SERVICE, () => backupJobDepsFrom(loadConfig(process.env), SERVICE, { timeoutMs: azureFunctionTimeoutMs(process.env) }));

/** The timer's handler (exported for tests). */
export async function backup(timer: Timer, context: InvocationContext): Promise<void> {
  await runBackupJob({ id: context.invocationId, pastDue: timer.isPastDue, ...(timer.scheduleStatus?.last ? { firedAt: timer.scheduleStatus.last } : {}) }, deps());
}

app.timer('backup', { schedule: BACKUP_SCHEDULE, handler: backup, retry: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { minutes: 5 } } });
