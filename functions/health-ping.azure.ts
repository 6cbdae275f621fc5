/**
 * The health ping on Azure Functions (Node.js v4 model): a timer every 5 minutes. Composition
 * only, on the first run. A failed check throws (naming it), so the invocation fails and an
 * Application Insights alert on failed `healthPing` runs sees it.
 */
import { type InvocationContext, type Timer, app } from '@azure/functions';
import { composeOnce } from '../adapters/compose-once.js';
import { healthJobDepsFrom, runHealthJob } from '../adapters/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'health-ping';

/** Every 5 minutes, on the minute (`{second} {minute} …`). */
export const HEALTH_PING_SCHEDULE = '0 */5 * * * *';

const deps = composeOnce(SERVICE, () => healthJobDepsFrom(loadConfig(process.env), SERVICE));

/** The timer's handler (exported for tests). */
export async function healthPing(timer: Timer, context: InvocationContext): Promise<void> {
  await runHealthJob({ id: context.invocationId, pastDue: timer.isPastDue }, deps());
}

app.timer('healthPing', { schedule: HEALTH_PING_SCHEDULE, handler: healthPing });
