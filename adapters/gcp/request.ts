import { randomUUID } from 'node:crypto';
import type { Request } from '@google-cloud/functions-framework';
import type { ApiRequest } from '../../core/api/types.js';
import { forwardedProtocol, stripPathPrefix } from '../shared/http-edge.js';

/** `function-execution-id` (Cloud Functions gen1) when it looks like one. */
const EXECUTION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1` (gen2 and Cloud Run); trace and span identify this request. */
const TRACE_CONTEXT = /^([0-9a-f]{32})\/(\d{1,20})(?:;.*)?$/i;

/**
 * The request id for logs and `x-request-id`: the execution id, else `TRACE_ID/SPAN_ID` from the
 * trace header (what Cloud Logging correlates on), else a random UUID.
 */
export function gcpRequestId(headers: Record<string, string>): string {
  const execution = headers['function-execution-id'];
  if (execution && EXECUTION_ID.test(execution)) return execution;
  const trace = TRACE_CONTEXT.exec(headers['x-cloud-trace-context'] ?? '');
  return trace ? `${trace[1].toLowerCase()}/${trace[2]}` : randomUUID();
}

/** Header names lower-cased (Node already does), repeated values joined with `, `. */
function flattenHeaders(raw: Request['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** First value of each query parameter; nested (`a[b]=1`) values are dropped. */
function firstValues(query: Request['query']): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(query ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') values[name] = first;
  }
  return values;
}

/**
 * The neutral request for an Express request from the Functions Framework. The body is always
 * the raw bytes the framework saved (`req.rawBody`), never its parsed `req.body`: the core's one
 * parser then applies the same content-type, size and syntax rules as on every platform.
 *
 * @example
 * ```ts
 * const request = toApiRequest(req, { basePath: '/kelpie', signal });
 * ```
 */
export function toApiRequest(req: Request, options: { basePath?: string; signal?: AbortSignal } = {}): ApiRequest {
  const headers = flattenHeaders(req.headers);
  const raw = req.rawBody;
  return {
    method: req.method.toUpperCase(),
    path: stripPathPrefix(req.path, options.basePath),
    query: firstValues(req.query),
    headers,
    ...(raw && raw.byteLength > 0 ? { body: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) } : {}),
    requestId: gcpRequestId(headers),
    protocol: forwardedProtocol(headers['x-forwarded-proto'], req.secure ? 'https' : 'http'),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
