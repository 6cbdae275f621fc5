/**
 * The scheduled check of monitored sites on AWS Lambda: serverless.yml's `functions.monitorSites`,
 * an EventBridge schedule (daily, 04:00 UTC). Composition only: the results store, the job queue
 * (SQS) and the catalog (`KELPIE_STAC_URL`) once per cold start, then one page of sites checked,
 * one SQS message per new scene, the next page handed to the queue (core/sites/monitor.ts).
 */
import { handlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { awsPlatform } from '../adapters/aws/platform.js';
import { createAwsScheduledHandler } from '../adapters/aws/schedule-handler.js';
import { monitorSitesJob, monitorSitesPartsFrom } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'monitor-sites';

export const handler = handlerOrConfigurationError(SERVICE, () => {
  const parts = monitorSitesPartsFrom(awsPlatform, loadConfig(process.env), SERVICE);
  return createAwsScheduledHandler(monitorSitesJob(parts), { name: SERVICE, logger: parts.logger });
});
