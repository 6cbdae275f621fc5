/**
 * The daily backup on Google Cloud Functions (2nd gen): Cloud Scheduler publishes to a Pub/Sub
 * topic, whose `messagePublished` CloudEvent runs entry point `backup`. Composition only, on the
 * first run. A failed backup throws, so the run is recorded as failed (and retried with `--retry`).
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { composeOnce } from '../adapters/compose-once.js';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { fromSchedulerCloudEvent } from '../adapters/gcp/schedule-event.js';
import { backupJobDepsFrom, runBackupJob } from '../adapters/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'backup';

const deps = composeOnce(SERVICE, () => backupJobDepsFrom(loadConfig(process.env), SERVICE, { timeoutMs: gcpFunctionTimeoutMs(process.env) }));

/** The registered CloudEvent function (exported for tests). */
export async function backup(event: CloudEvent<unknown>): Promise<void> {
  const input = fromSchedulerCloudEvent(event);
  if ('ignored' in input) return deps().backup.logger.warn('schedule event ignored', { eventId: event.id, reason: input.ignored });
  await runBackupJob(input.tick, deps());
}

cloudEvent('backup', backup);
