/**
 * The health ping on Azure Functions (Node.js v4 model): a timer every 5 minutes. Composition
 * only, on the first run. A failed check throws (naming it), so the invocation fails and an
 * Application Insights alert on failed `healthPing` runs sees it.
 */
import { type InvocationContext, type Timer, app } from '@azure/functions';
import { azureFunctionTimeoutMs } from '../adapters/azure/function-timeout.js';
import { withInvocationLog } from '../adapters/azure/logger.js';
import { azurePlatform } from '../adapters/azure/platform.js';
import { fromTimer } from '../adapters/azure/timer.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { healthPingDepsFrom, healthPingJob, runScheduledJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'health-ping';

/** Every 5 minutes, on the minute (`{second} {minute} …`). */
export const HEALTH_PING_SCHEDULE = '0 */5 * * * *';

const deps = composeOnce(SERVICE, () => healthPingDepsFrom(azurePlatform, loadConfig(process.env), SERVICE));

/** The timer's handler (exported for tests). */
export const healthPing = withInvocationLog(async (timer: Timer, context: InvocationContext): Promise<void> => {
  await runScheduledJob(SERVICE, healthPingJob(deps()), fromTimer(timer, context), { logger: deps().logger, timeoutMs: azureFunctionTimeoutMs(process.env) });
});

app.timer('healthPing', { schedule: HEALTH_PING_SCHEDULE, handler: healthPing });
