import { securityHeaders } from '../../core/api/security.js';
import type { ApiHandler } from '../../core/api/types.js';
import { logCannotStart } from './compose-once.js';

/**
 * Builds the API with `compose` at start-up. When that fails (a bad or missing setting), it logs
 * one JSON line saying what is wrong and returns an API that answers every request 500
 * `{ error: { code: 'CONFIGURATION' } }`: the function stays up and says why it cannot work,
 * never showing a stack or a setting to clients.
 *
 * @example
 * ```ts
 * const api = apiOrConfigurationError('http-api', () => composeApi(gcpPlatform, 'http-api').api);
 * ```
 */
export function apiOrConfigurationError(service: string, compose: () => ApiHandler): ApiHandler {
  try {
    return compose();
  } catch (error) {
    logCannotStart(service)(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return configurationErrorApi;
  }
}

/** Answers every request 500 CONFIGURATION, with the security headers. */
export const configurationErrorApi: ApiHandler = async (request) => {
  const error = { code: 'CONFIGURATION', message: 'the service is not configured correctly; its log says which setting to fix', requestId: request.requestId };
  return {
    status: 500,
    headers: { ...securityHeaders(request), 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', 'x-request-id': request.requestId },
    body: JSON.stringify({ error }),
  };
};
