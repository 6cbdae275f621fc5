/**
 * The HTTP API on Google Cloud Functions (gen2): `gcloud functions deploy … --entry-point=api`.
 * Composition only: configuration, stores, logger and metrics once per instance, then the core
 * API. A configuration error makes every request answer 500 CONFIGURATION (the log says why).
 */
import { http } from '@google-cloud/functions-framework';
import { composeApi } from '../adapters/compose-api.js';
import { apiOrConfigurationError } from '../adapters/configuration-error.js';
import { createGcpHttpHandler, gcpTimeoutMs } from '../adapters/gcp/http.js';

const SERVICE = 'http-api';

const api = apiOrConfigurationError(SERVICE, () => composeApi(SERVICE).api);

/** The registered HTTP function (exported for tests). */
export const handler = createGcpHttpHandler(api, { timeoutMs: gcpTimeoutMs(process.env) });

http('api', handler);
