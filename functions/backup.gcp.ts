/**
 * The daily backup on Google Cloud Functions (2nd gen): Cloud Scheduler publishes to a Pub/Sub
 * topic, whose `messagePublished` CloudEvent runs entry point `backup`. Composition only, on the
 * first run. A failed backup throws, so the run is recorded as failed (and retried with `--retry`).
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { gcpPlatform } from '../adapters/gcp/platform.js';
import { fromSchedulerCloudEvent } from '../adapters/gcp/schedule-event.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { backupDepsFrom, backupJob, runScheduledJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'backup';

const deps = composeOnce(SERVICE, () => backupDepsFrom(gcpPlatform, loadConfig(process.env), SERVICE));

/** The registered CloudEvent function (exported for tests). */
export async function backup(event: CloudEvent<unknown>): Promise<void> {
  const input = fromSchedulerCloudEvent(event);
  const { logger } = deps();
  if ('ignored' in input) return logger.warn('schedule event ignored', { eventId: event.id, reason: input.ignored });
  await runScheduledJob(SERVICE, backupJob(deps()), input.tick, { logger, timeoutMs: gcpFunctionTimeoutMs(process.env) });
}

cloudEvent('backup', backup);
