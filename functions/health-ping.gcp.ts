/**
 * The health ping on Google Cloud Functions (2nd gen): Cloud Scheduler publishes to a Pub/Sub
 * topic every 5 minutes, whose `messagePublished` CloudEvent runs entry point `healthPing`.
 * Composition only, on the first run. A failed check throws (naming it), so the run fails and
 * alerting on the function's errors sees it. Deploy it without `--retry`: the next ping is the retry.
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { composeOnce } from '../adapters/compose-once.js';
import { fromSchedulerCloudEvent } from '../adapters/gcp/schedule-event.js';
import { healthJobDepsFrom, runHealthJob } from '../adapters/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'health-ping';

const deps = composeOnce(SERVICE, () => healthJobDepsFrom(loadConfig(process.env), SERVICE));

/** The registered CloudEvent function (exported for tests). */
export async function healthPing(event: CloudEvent<unknown>): Promise<void> {
  const input = fromSchedulerCloudEvent(event);
  if ('ignored' in input) return deps().logger.warn('schedule event ignored', { eventId: event.id, reason: input.ignored });
  await runHealthJob(input.tick, deps());
}

cloudEvent('healthPing', healthPing);
