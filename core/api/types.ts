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
