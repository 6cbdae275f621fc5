/**
 * The scheduled check of monitored sites on Google Cloud Functions (2nd gen): Cloud Scheduler
 * publishes to a Pub/Sub topic daily, whose `messagePublished` CloudEvent runs entry point
 * `monitorSites`. Composition only, on the first run: one page of sites checked, one Pub/Sub job
 * message per new scene (`KELPIE_JOB_TOPIC`), the next page handed to the queue.
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { gcpPlatform } from '../adapters/gcp/platform.js';
import { fromSchedulerCloudEvent } from '../adapters/gcp/schedule-event.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { monitorSitesJob, monitorSitesPartsFrom, runScheduledJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'monitor-sites';

const parts = composeOnce(SERVICE, () => monitorSitesPartsFrom(gcpPlatform, loadConfig(process.env), SERVICE));

/** The registered CloudEvent function (exported for tests). */
export async function monitorSites(event: CloudEvent<unknown>): Promise<void> {
  const input = fromSchedulerCloudEvent(event);
  const { logger } = parts();
  if ('ignored' in input) return logger.warn('schedule event ignored', { eventId: event.id, reason: input.ignored });
  await runScheduledJob(SERVICE, monitorSitesJob(parts()), input.tick, { logger, timeoutMs: gcpFunctionTimeoutMs(process.env) });
}

cloudEvent('monitorSites', monitorSites);
