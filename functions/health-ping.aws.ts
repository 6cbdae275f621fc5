/**
 * The health ping on AWS Lambda: serverless.yml's `functions.healthPing`, an EventBridge schedule
 * (`rate(5 minutes)`). Composition only: the results store, the catalog (`KELPIE_STAC_URL`) and
 * the public `/health` (`KELPIE_HEALTH_URL`) when configured, metrics as CloudWatch EMF; a failing
 * check fails the invocation (the error names it), so alarms on the function's errors fire.
 */
import { handlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { EmfMetrics } from '../adapters/aws/emf-metrics.js';
import { awsPlatform } from '../adapters/aws/platform.js';
import { createAwsScheduledHandler } from '../adapters/aws/schedule-handler.js';
import { healthPingDepsFrom, healthPingJob } from '../adapters/shared/scheduled-jobs.js';
import { loadConfig } from '../core/config.js';
import { noMetrics } from '../core/ports/metrics.js';

const SERVICE = 'health-ping';

export const handler = handlerOrConfigurationError(SERVICE, () => {
  const metrics = new EmfMetrics({ registry: noMetrics, service: SERVICE });
  const deps = healthPingDepsFrom(awsPlatform, loadConfig(process.env), SERVICE, { metrics });
  return createAwsScheduledHandler(healthPingJob(deps), { name: SERVICE, logger: deps.logger, metrics });
});
