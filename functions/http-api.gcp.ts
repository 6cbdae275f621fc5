/**
 * The HTTP API on Google Cloud Functions (gen2): `gcloud functions deploy … --entry-point=api`.
 * Composition only: configuration, stores, logger and metrics once per instance, then the core
 * API. A configuration error makes every request answer 500 CONFIGURATION (the log says why).
 */
import { http } from '@google-cloud/functions-framework';
import { apiOrConfigurationError } from '../adapters/configuration-error.js';
import { createGcpHttpHandler, gcpTimeoutMs } from '../adapters/gcp/http.js';
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

/** The registered HTTP function (exported for tests). */
export const handler = createGcpHttpHandler(api, { timeoutMs: gcpTimeoutMs(process.env) });

http('api', handler);
