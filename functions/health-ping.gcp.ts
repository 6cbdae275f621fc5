/**
 * The health ping on Google Cloud Functions (2nd gen): Cloud Scheduler publishes to a Pub/Sub
 * topic every 5 minutes, whose `messagePublished` CloudEvent runs entry point `healthPing`.
 * Composition only, on the first run. A failed check throws (naming it), so the run fails and
 * alerting on the function's errors sees it. Deploy it without `--retry`: the next ping is the retry.
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { gcpPlatform } from '../adapters/gcp/platform.js';
import { fromSchedulerCloudEvent } from '../adapters/gcp/schedule-event.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { healthPingDepsFrom, healthPingJob, runScheduledJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'health-ping';

const deps = composeOnce(SERVICE, () => healthPingDepsFrom(gcpPlatform, loadConfig(process.env), SERVICE));

/** The registered CloudEvent function (exported for tests). */
export async function healthPing(event: CloudEvent<unknown>): Promise<void> {
  const input = fromSchedulerCloudEvent(event);
  const { logger } = deps();
  if ('ignored' in input) return logger.warn('schedule event ignored', { eventId: event.id, reason: input.ignored });
  await runScheduledJob(SERVICE, healthPingJob(deps()), input.tick, { logger, timeoutMs: gcpFunctionTimeoutMs(process.env) });
}

cloudEvent('healthPing', healthPing);
