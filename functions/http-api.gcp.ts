/**
 * The HTTP API on Google Cloud Functions (gen2): `gcloud functions deploy … --entry-point=api`.
 * Composition only: configuration, stores, logger and metrics once per instance, then the core
 * API. A configuration error makes every request answer 500 CONFIGURATION (the log says why).
 */
import { http } from '@google-cloud/functions-framework';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { createGcpHttpHandler } from '../adapters/gcp/http.js';
import { gcpPlatform } from '../adapters/gcp/platform.js';
import { composeApi } from '../adapters/shared/compose-api.js';
import { apiOrConfigurationError } from '../adapters/shared/configuration-error.js';

const SERVICE = 'http-api';

const api = apiOrConfigurationError(SERVICE, () => composeApi(gcpPlatform, SERVICE).api);

/** The registered HTTP function (exported for tests). */
export const handler = createGcpHttpHandler(api, { timeoutMs: gcpFunctionTimeoutMs(process.env) });

http('api', handler);
