import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ApiHandler, ApiRequest, ApiResponse } from '../../core/api/types.js';
import { startDeadline } from '../shared/deadline.js';
import { definedOnly, forwardedProtocol, stripPathPrefix } from '../shared/http-edge.js';

/** Options for {@link createAzureHttpHandler}. */
export interface AzureHttpOptions {
  /**
   * The host's route prefix, removed from the URL path. This project's `host.json` sets
   * `extensions.http.routePrefix` to `""`, so paths arrive as the API defines them (`/health`,
   * `/api/analyses`); with Azure's default (`api`) they would arrive as `/api/health` and
   * `/api/api/analyses`, and this would have to be `/api`.
   */
  routePrefix?: string;
  /**
   * How long the platform lets an HTTP request run: Azure's front end drops requests after
   * 230 s whatever `functionTimeout` says (Consumption plan: 5 min by default).
   */
  timeoutMs?: number;
  /** How long before the timeout the API stops and answers 504 (default `DEADLINE_MARGIN_MS`; tests shorten it). */
  deadlineMarginMs?: number;
}

/** An Azure Functions v4 HTTP handler. */
export type AzureHttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

const defaults = { routePrefix: '', timeoutMs: 230_000 } satisfies AzureHttpOptions;

/** Methods that never carry a body (the runtime's `Request` refuses one for GET and HEAD). */
const BODYLESS = new Set(['GET', 'HEAD']);

/** The neutral request for an Azure `HttpRequest`: path from the URL, first query values, raw body bytes. */
export async function toApiRequest(
  request: HttpRequest,
  context: InvocationContext,
  options: { routePrefix?: string; signal?: AbortSignal } = {},
): Promise<ApiRequest> {
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const query: Record<string, string> = {};
  request.query.forEach((value, name) => {
    if (!(name in query)) query[name] = value;
  });
  const body = BODYLESS.has(method) ? undefined : new Uint8Array(await request.arrayBuffer());
  return {
    method,
    path: stripPathPrefix(url.pathname, options.routePrefix),
    query,
    headers,
    ...(body && body.byteLength > 0 ? { body } : {}),
    requestId: context.invocationId,
    protocol: forwardedProtocol(headers['x-forwarded-proto'], url.protocol === 'https:' ? 'https' : 'http'),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** The response for the Functions host: binary bodies stay bytes, text stays text. */
export function toHttpResponseInit(response: ApiResponse): HttpResponseInit {
  return { status: response.status, headers: { ...response.headers }, body: response.body };
}

/**
 * An Azure Functions v4 HTTP handler serving `api`. The request id is the invocation id; a
 * deadline signal aborts `deadlineMarginMs` before the platform's limit so the API answers 504.
 *
 * @example
 * ```ts
 * app.http('api', { methods: ['GET', 'POST', 'OPTIONS'], authLevel: 'anonymous', route: '{*path}', handler: createAzureHttpHandler(api) });
 * ```
 */
export function createAzureHttpHandler(api: ApiHandler, options: AzureHttpOptions = {}): AzureHttpHandler {
  const settings = { ...defaults, ...definedOnly(options) };
  return async (request, context) => {
    const deadline = startDeadline(settings.timeoutMs, settings.deadlineMarginMs);
    try {
      return toHttpResponseInit(await api(await toApiRequest(request, context, { routePrefix: settings.routePrefix, signal: deadline.signal })));
    } finally {
      deadline.dispose();
    }
  };
}
