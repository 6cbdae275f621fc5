/**
 * The worker of asynchronous analyses on Google Cloud Functions (2nd gen): an Eventarc trigger for
 * `google.cloud.pubsub.topic.v1.messagePublished` on the job topic (`KELPIE_JOB_TOPIC`), entry
 * point `analyzeJob`. Composition only, on the first event: configuration, stores, logger.
 *
 * - The delivery count is the event's `data.deliveryAttempt`, which Pub/Sub sets only when the
 *   trigger's subscription has a dead-letter policy (max delivery attempts =
 *   `KELPIE_JOB_MAX_ATTEMPTS`); without one every delivery counts as the first, so a job that
 *   keeps failing stays `queued` with its error until the message expires.
 * - A transient failure throws (500: Pub/Sub redelivers when the function is deployed with
 *   `--retry`); done, failed for good, duplicate and dropped messages return normally (204).
 * - An event with no message data is logged and acknowledged: no retry can fix it.
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { gcpPlatform } from '../adapters/gcp/platform.js';
import { fromJobCloudEvent } from '../adapters/gcp/pubsub-job-queue.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { jobWorkerFrom, runJobMessage } from '../adapters/shared/job-worker.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'analyze-job';

const worker = composeOnce(SERVICE, () => jobWorkerFrom(gcpPlatform, loadConfig(process.env), SERVICE, { timeoutMs: gcpFunctionTimeoutMs(process.env) }));

/** The registered CloudEvent function (exported for tests). */
export async function analyzeJob(event: CloudEvent<unknown>): Promise<void> {
  const delivery = fromJobCloudEvent(event);
  if ('ignored' in delivery) {
    worker().logger.warn('job event ignored', { eventId: delivery.eventId, reason: delivery.ignored });
    return;
  }
  const outcome = await runJobMessage(delivery.body, worker(), { attempt: delivery.attempt });
  worker().logger.info('job message handled', { messageId: delivery.messageId, deliveryAttempt: delivery.attempt, outcome });
}

cloudEvent('analyzeJob', analyzeJob);
