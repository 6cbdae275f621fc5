/**
 * The HTTP API on AWS Lambda behind API Gateway (HTTP API v2, or REST v1): serverless.yml's
 * `functions.api`. Composition only: configuration, stores, logger and metrics once per cold
 * start, then the core API wrapped by the middy handler. A configuration error makes every request
 * answer 500 CONFIGURATION (and the log says why) instead of crashing the cold start.
 */
import { httpHandlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { EmfMetrics } from '../adapters/aws/emf-metrics.js';
import { createAwsHttpHandler } from '../adapters/aws/http-handler.js';
import { awsPlatform } from '../adapters/aws/platform.js';
import { composeApi } from '../adapters/shared/compose-api.js';

const SERVICE = 'http-api';

export const handler = httpHandlerOrConfigurationError(SERVICE, () => {
  const { api, logger, metrics } = composeApi(awsPlatform, SERVICE, (registry) => new EmfMetrics({ registry, service: SERVICE }));
  return createAwsHttpHandler(api, { logger, metrics });
});
