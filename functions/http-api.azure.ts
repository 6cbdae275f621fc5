/**
 * The HTTP API on Azure Functions (Node.js v4 programming model). Composition only:
 * configuration, stores, logger and metrics once per worker, then the core API. Every path goes
 * to this one function (`route: '{*path}'`, with `routePrefix: ""` in azure/host.json). A
 * configuration error makes every request answer 500 CONFIGURATION (the log says why).
 */
import { app } from '@azure/functions';
import { createAzureHttpHandler } from '../adapters/azure/http.js';
import { withInvocationLog } from '../adapters/azure/logger.js';
import { azurePlatform } from '../adapters/azure/platform.js';
import { composeApi } from '../adapters/shared/compose-api.js';
import { apiOrConfigurationError } from '../adapters/shared/configuration-error.js';

const SERVICE = 'http-api';

const api = apiOrConfigurationError(SERVICE, () => composeApi(azurePlatform, SERVICE).api);

/** The registered HTTP handler (exported so tests can call it with real `HttpRequest`s). */
export const handler = withInvocationLog(createAzureHttpHandler(api));

app.http('api', {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
  authLevel: 'anonymous',
  route: '{*path}',
  handler,
});
