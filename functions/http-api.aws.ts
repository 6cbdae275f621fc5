/**
 * The HTTP API on AWS Lambda behind API Gateway (HTTP API v2, or REST v1): serverless.yml's
 * `functions.api`. Composition only: configuration, stores, logger and metrics once per cold
 * start, then the core API wrapped by the middy handler. A configuration error makes every request
 * answer 500 CONFIGURATION (and the log says why) instead of crashing the cold start.
 */
import { EmfMetrics } from '../adapters/aws/emf-metrics.js';
import { httpHandlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { createAwsHttpHandler } from '../adapters/aws/http-handler.js';
import { nodeDeflate } from '../adapters/local/node-compress.js';
import { withRequestOrigin } from '../adapters/local/request-origin.js';
import { CODE_VERSION } from '../adapters/local/version.js';
import { createLogger, createStores } from '../adapters/runtime.js';
import { createApi } from '../core/api/create-api.js';
import { createApiMetrics } from '../core/api/prometheus.js';
import { apiConfigFrom, loadConfig } from '../core/config.js';
import { systemClock } from '../core/ports/clock.js';

const SERVICE = 'http-api';

export const handler = httpHandlerOrConfigurationError(SERVICE, () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config, SERVICE);
  const registry = createApiMetrics();
  const metrics = new EmfMetrics({ registry, service: SERVICE });
  const api = createApi({
    ...createStores(config),
    config: apiConfigFrom(config),
    clock: systemClock,
    logger,
    metrics,
    renderMetrics: () => registry.render(),
    codeVersion: CODE_VERSION,
    compress: nodeDeflate(),
  });
  return createAwsHttpHandler(withRequestOrigin(api), { logger, metrics });
});
