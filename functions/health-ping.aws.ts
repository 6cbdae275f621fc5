/**
 * The health ping on AWS Lambda: serverless.yml's `functions.healthPing`, an EventBridge schedule
 * (`rate(5 minutes)`). Composition only: the results store, the catalog (`KELPIE_STAC_URL`) and
 * the public `/health` (`KELPIE_HEALTH_URL`) when configured, metrics as CloudWatch EMF; a failing
 * check fails the invocation (the error names it), so alarms on the function's errors fire.
 */
import { EmfMetrics } from '../adapters/aws/emf-metrics.js';
import { handlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { createAwsScheduledHandler } from '../adapters/aws/schedule-handler.js';
import { healthPingJob } from '../adapters/aws/scheduled-jobs.js';
import { createLogger, createStores } from '../adapters/runtime.js';
import { loadConfig } from '../core/config.js';
import { systemClock } from '../core/ports/clock.js';
import { noMetrics } from '../core/ports/metrics.js';

const SERVICE = 'health-ping';

export const handler = handlerOrConfigurationError(SERVICE, () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config, SERVICE);
  const metrics = new EmfMetrics({ registry: noMetrics, service: SERVICE });
  const job = healthPingJob({
    store: createStores(config).resultStore,
    stacUrl: config.KELPIE_STAC_URL,
    healthUrl: config.KELPIE_HEALTH_URL,
    fetch,
    clock: systemClock,
    logger,
    metrics,
  });
  return createAwsScheduledHandler(job, { logger, metrics });
});
