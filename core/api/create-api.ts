import { DeadlineExceededError } from '../errors.js';
import { UnauthorizedError, errorResponse, statusFor } from './http-errors.js';
import { Router } from './router.js';
import { analysesRoutes } from './routes/analyses.js';
import { serviceRoutes } from './routes/service.js';
import { sitesRoutes } from './routes/sites.js';
import { webRoutes } from './routes/web.js';
import { corsHeaders, isAuthorized, securityHeaders } from './security.js';
import type { ApiDeps, ApiHandler, ApiRequest, ApiResponse } from './types.js';

/**
 * The HTTP API (docs/design.md, "HTTP API") as one platform-neutral function: routing, API keys, validation,
 * security and CORS headers, errors as JSON with the status from one table, and metrics.
 *
 * @example
 * ```ts
 * const api = createApi(deps);
 * const response = await api({ method: 'GET', path: '/health', query: {}, headers: {}, requestId: 'r1' });
 * ```
 */
export function createApi(deps: ApiDeps): ApiHandler {
  const router = new Router([...serviceRoutes(deps), ...analysesRoutes(deps), ...sitesRoutes(deps), ...webRoutes(deps), ...(deps.extraRoutes ?? [])]);
  let warnedOpen = false;

  const authorize = (request: ApiRequest) => {
    if (deps.config.apiKeys.length === 0) {
      if (!warnedOpen) deps.logger.warn('no KELPIE_API_KEYS configured: /api routes are open (development mode only)');
      warnedOpen = true;
      return;
    }
    if (!isAuthorized(request.headers['x-api-key'], deps.config.apiKeys)) {
      throw new UnauthorizedError(request.headers['x-api-key'] ? 'the API key is not valid' : 'send your API key in the x-api-key header');
    }
  };

  const dispatch = async (request: ApiRequest): Promise<ApiResponse> => {
    if (request.method === 'OPTIONS') return { status: 204, headers: {}, body: '' };
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const { route, params } = router.match(method, request.path);
    if (route.auth) authorize(request);
    const response = await route.handle({ request, params });
    return request.method === 'HEAD' ? { ...response, body: '' } : response;
  };

  return async (request) => {
    const started = deps.clock.now();
    const common: Record<string, string> = {
      ...securityHeaders(request),
      ...corsHeaders(request, deps.config.allowedOrigins),
      'cache-control': 'no-store',
      'x-request-id': request.requestId,
    };
    let response: ApiResponse;
    try {
      response = await dispatch(request);
    } catch (caught) {
      const error = request.signal?.aborted && statusFor(caught) >= 500 ? new DeadlineExceededError('the request took too long and was stopped; try again, or analyse a smaller area', undefined, { cause: caught }) : caught;
      const status = statusFor(error);
      const fields = { requestId: request.requestId, method: request.method, path: request.path, status };
      if (status >= 500) deps.logger.error('request failed', { ...fields, error: (error as Error)?.message, stack: (error as Error)?.stack });
      else deps.logger.info('request refused', { ...fields, code: (error as { code?: string }).code });
      response = errorResponse(error, request.requestId);
    }
    const route = router.label(request.method === 'HEAD' ? 'GET' : request.method, request.path);
    deps.metrics.count('kelpie_http_requests_total', { route, method: request.method, status: String(response.status) });
    deps.metrics.observe('kelpie_http_request_duration_seconds', { route }, (deps.clock.now() - started) / 1000);
    return { ...response, headers: { ...common, ...response.headers, ...mergedVary(common.vary, response.headers) } };
  };
}

/** One `vary` of the CORS headers' (`Origin`) and the route's (`Accept`…), each name once: the route's would replace it. */
function mergedVary(cors: string | undefined, headers: Record<string, string>): { vary?: string } {
  const names = [cors, ...Object.entries(headers).filter(([name]) => name.toLowerCase() === 'vary').map(([, value]) => value)]
    .flatMap((value) => (value ?? '').split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  const unique = names.filter((name, i) => names.findIndex((other) => other.toLowerCase() === name.toLowerCase()) === i);
  return unique.length ? { vary: unique.join(', ') } : {};
}
