/**
 * The HTTP API on Azure Functions (Node.js v4 programming model). Composition only:
 * configuration, stores, logger and metrics once per worker, then the core API. Every path goes
 * to this one function (`route: '{*path}'`, with `routePrefix: ""` in azure/host.json). A
 * configuration error makes every request answer 500 CONFIGURATION (the log says why).
 */
import { app } from '@azure/functions';
import { createAzureHttpHandler } from '../adapters/azure/http.js';
import { apiOrConfigurationError } from '../adapters/configuration-error.js';
import { nodeDeflate } from '../adapters/local/node-compress.js';
import { withRequestOrigin } from '../adapters/local/request-origin.js';
import { CODE_VERSION } from '../adapters/local/version.js';
import { createLogger, createStores } from '../adapters/runtime.js';
import { createApi } from '../core/api/create-api.js';
import { createApiMetrics } from '../core/api/prometheus.js';
import { apiConfigFrom, loadConfig } from '../core/config.js';
import { systemClock } from '../core/ports/clock.js';

const SERVICE = 'http-api';

const api = apiOrConfigurationError(SERVICE, () => {
  const config = loadConfig(process.env);
  const metrics = createApiMetrics();
  return withRequestOrigin(
    createApi({
      ...createStores(config),
      config: apiConfigFrom(config),
      clock: systemClock,
      logger: createLogger(config, SERVICE),
      metrics,
      renderMetrics: () => metrics.render(),
      codeVersion: CODE_VERSION,
      compress: nodeDeflate(),
    }),
  );
});

/** The registered HTTP handler (exported so tests can call it with real `HttpRequest`s). */
export const handler = createAzureHttpHandler(api);

app.http('api', {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
  authLevel: 'anonymous',
  route: '{*path}',
  handler,
});
