import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Fetch } from '../ports/fetch.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { UploadSigner } from '../ports/upload-signer.js';
import type { WebAssets } from '../ports/web-assets.js';
import type { Compress } from '../raster/deflate.js';
import type { Inflate } from '../raster/tile-decode.js';
import type { Jpeg2000Decoder } from '../ports/jpeg2000-decoder.js';
import type { BandExecutor } from '../ports/band-executor.js';
import type { StacRuntime } from '../stac/stac-runtime.js';

/**
 * Platform-neutral HTTP request and response (Hono-style: every adapter translates its
 * platform's event into `ApiRequest`, calls the API, and translates `ApiResponse` back).
 */
export interface ApiRequest {
  /** Upper-case method, e.g. `GET`. */
  method: string;
  /** Path without stage prefix or query string, starting with `/`, percent-decoded per segment by the router. */
  path: string;
  /** Query parameters (first value of each). */
  query: Record<string, string>;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Raw body bytes, when there is a body (adapters decode base64 bodies first). */
  body?: Uint8Array;
  /** Body already parsed as JSON by the platform layer (middy's JSON body parser on AWS). */
  json?: unknown;
  /** The platform's request id (API Gateway request id, Cloud Functions execution id, Azure invocation id). */
  requestId: string;
  /** `https` when the client reached the platform over TLS (for HSTS). */
  protocol?: 'http' | 'https';
  /** Aborted when the platform's deadline is near; the API answers 504 before it is killed. */
  signal?: AbortSignal;
}

/** The API's answer: a status, headers and a text or binary body. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** Text (JSON, Prometheus) or binary (GeoTIFF, PNG); binary must be base64-encoded by adapters that need it. */
  body: string | Uint8Array;
}

/** The API as one function; adapters call it. */
export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

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
  /** Decodes JPEG 2000 (zipped .SAFE uploads); without it they are refused. */
  jpeg2000?: Jpeg2000Decoder;
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

/** A matched request: the request plus its path parameters (percent-decoded). */
export interface RouteContext {
  request: ApiRequest;
  params: Record<string, string>;
}

/** One route of the API: a method and path pattern, whether it needs an API key, and its handler. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Segments, `{name}` for one parameter, `{name+}` (last only) for the rest of the path. */
  pattern: string;
  /** Whether the route needs an API key (every `/api/*` route does). */
  auth: boolean;
  handle(context: RouteContext): Promise<ApiResponse>;
}
