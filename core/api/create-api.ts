import { DeadlineExceededError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { UploadSigner } from '../ports/upload-signer.js';
import type { WebAssets } from '../ports/web-assets.js';
import type { Fetch } from '../ports/fetch.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Compress } from '../raster/deflate.js';
import type { Inflate } from '../raster/tile-decode.js';
import type { BandExecutor } from '../ports/band-executor.js';
import type { StacRuntime } from '../stac/stac-runtime.js';
import { UnauthorizedError, errorResponse, statusFor } from './http-errors.js';
import { type Route, Router } from './router.js';
import { analysesRoutes } from './routes/analyses.js';
import { serviceRoutes } from './routes/service.js';
import { webRoutes } from './routes/web.js';
import { corsHeaders, isAuthorized, securityHeaders } from './security.js';
import type { ApiHandler, ApiRequest, ApiResponse } from './types.js';

/** Settings the API reads, validated by `loadConfig` at start-up. */
export interface ApiConfig {
  env: 'development' | 'test' | 'production';
  /** Accepted `x-api-key` values; empty means no auth (refused at start-up in production). */
  apiKeys: string[];
  /** Origins allowed by CORS; empty means no CORS headers. */
  allowedOrigins: string[];
  maxImagePixels: number;
  /** STAC API root for analyses of a place and dates (`KELPIE_STAC_URL`). */
  stacUrl?: string;
  /** Extra outbound hosts, and the only way to reach loopback or private ones (`KELPIE_OUTBOUND_HOSTS`). */
  outboundHosts?: string[];
  /** Largest estimated work (pixels) answered within the request; more is queued (`KELPIE_SYNC_MAX_PIXELS`). */
  syncMaxPixels?: number;
  /** A `running` job older than this is reported failed: the worker's timeout plus a margin. */
  jobStaleAfterMs?: number;
  /** The web map's basemap tile URL template and its attribution (`KELPIE_BASEMAP_URL`, `KELPIE_BASEMAP_ATTRIBUTION`). */
  basemapUrl?: string;
  basemapAttribution?: string;
  /** Origins the web map may upload to besides its own (the page's CSP `connect-src`). */
  uploadOrigins?: string[];
}

/** Everything the API needs from the world, wired once per cold start in `functions/`. */
export interface ApiDeps {
  config: ApiConfig;
  /** Where `source.key` objects (uploads/…) are read from. */
  imageStore: BlobStore;
  /** Where `results/<id>/…` and `index/…` are written and read; often the imagery bucket. */
  resultStore: BlobStore;
  /** A name for the image store that goes into analysis ids (e.g. `s3://bucket`). */
  imageStoreName: string;
  uploadSigner?: UploadSigner;
  clock: Clock;
  logger: Logger;
  /** Recorded by the API; `renderMetrics` gives `/metrics` its text. */
  metrics: Metrics;
  renderMetrics: () => string;
  codeVersion: string;
  compress?: Compress;
  /** How analyses inflate deflate tiles, and run large scans in parallel (see `AnalyzeDeps`). */
  inflate?: Inflate;
  executor?: BandExecutor;
  /** The runtime's `fetch`, for the STAC catalog and its assets (default: the global one). */
  fetch?: Fetch;
  /** A ready STAC catalog and outbound policy (tests); default: built from `config.stacUrl`. */
  stac?: StacRuntime;
  /** Where accepted analyses wait for a worker; without one every analysis runs within its request. */
  jobQueue?: JobQueue;
  /** Extra routes a platform adds (the local upload receiver). */
  extraRoutes?: Route[];
  /** The built web map, served at `/` and `/assets/…` (without it `/` answers the JSON service index). */
  webAssets?: WebAssets;
}

/**
 * The HTTP API of DESIGN.md as one platform-neutral function: routing, API keys, validation,
 * security and CORS headers, errors as JSON with the status from one table, and metrics.
 *
 * @example
 * ```ts
 * const api = createApi(deps);
 * const response = await api({ method: 'GET', path: '/health', query: {}, headers: {}, requestId: 'r1' });
 * ```
 */
export function createApi(deps: ApiDeps): ApiHandler {
  const router = new Router([...serviceRoutes(deps), ...analysesRoutes(deps), ...webRoutes(deps), ...(deps.extraRoutes ?? [])]);
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
