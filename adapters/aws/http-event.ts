import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '../../core/api/types.js';
import { forwardedProtocol } from '../shared/http-edge.js';

/** An API Gateway proxy event: REST API (payload 1.0) or HTTP API (payload 2.0). */
export type AwsHttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;
/** What the function returns to API Gateway, in the shape of the event's payload version. */
export type AwsHttpResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2;

/** One event shape: how to read its request and how to write its result. */
interface EventShape<Event, Result> {
  toRequest(event: Event, fallbackRequestId: string): ApiRequest;
  toResult(response: ApiResponse): Result;
}

const encoder = new TextEncoder();

/** REST API (v1) and HTTP API payload 1.0: `httpMethod`, `path`, (multi-value) headers and query. */
const restApi: EventShape<APIGatewayProxyEvent, APIGatewayProxyResult> = {
  toRequest(event, fallbackRequestId) {
    const headers = joinHeaders(event.multiValueHeaders, event.headers);
    return {
      method: event.httpMethod.toUpperCase(),
      path: stripStage(event.path, event.requestContext?.stage),
      query: firstValues(event.multiValueQueryStringParameters, event.queryStringParameters),
      headers,
      ...bodyOf(event.body, event.isBase64Encoded),
      requestId: uniqueRequestId(event.requestContext?.requestId, fallbackRequestId),
      ...protocolOf(headers),
    };
  },
  toResult: (response) => ({ statusCode: response.status, headers: response.headers, ...encodeBody(response.body) }),
};

/** HTTP API payload 2.0: `requestContext.http.method`, `rawPath`, headers already lower-case. */
const httpApi: EventShape<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  toRequest(event, fallbackRequestId) {
    const headers = joinHeaders(undefined, event.headers);
    return {
      method: event.requestContext.http.method.toUpperCase(),
      path: stripStage(event.rawPath, event.requestContext.stage),
      query: definedValues(event.queryStringParameters),
      headers,
      ...bodyOf(event.body, event.isBase64Encoded),
      requestId: uniqueRequestId(event.requestContext.requestId, fallbackRequestId),
      ...protocolOf(headers),
    };
  },
  toResult: (response) => ({ statusCode: response.status, headers: response.headers, ...encodeBody(response.body) }),
};

/** Event shapes by payload version; REST API events carry no `version`, so they are '1.0'. */
const SHAPES = { '1.0': restApi, '2.0': httpApi } as const;

type PayloadVersion = keyof typeof SHAPES;

/** The payload version of an API Gateway event: '2.0' for HTTP API v2 events, '1.0' otherwise. */
export function payloadVersion(event: AwsHttpEvent): PayloadVersion {
  return (event as { version?: string }).version === '2.0' ? '2.0' : '1.0';
}

/**
 * Translates an API Gateway event into the core's `ApiRequest`: path without the stage prefix,
 * headers lower-cased (repeated ones joined with `, `), the first value of each query parameter,
 * and the body as raw bytes (base64 decoded when API Gateway encoded it).
 *
 * @example
 * ```ts
 * const request = toApiRequest(event, context.awsRequestId);
 * ```
 */
export function toApiRequest(event: AwsHttpEvent, fallbackRequestId: string): ApiRequest {
  const shape = SHAPES[payloadVersion(event)] as EventShape<AwsHttpEvent, AwsHttpResult>;
  return shape.toRequest(event, fallbackRequestId);
}

/**
 * Translates the core's `ApiResponse` into the result shape API Gateway expects for `event`;
 * binary bodies (GeoTIFF, PNG) go out base64-encoded with `isBase64Encoded: true`.
 *
 * @example
 * ```ts
 * return toAwsResult(event, await api(toApiRequest(event, context.awsRequestId)));
 * ```
 */
export function toAwsResult(event: AwsHttpEvent, response: ApiResponse): AwsHttpResult {
  const shape = SHAPES[payloadVersion(event)] as EventShape<AwsHttpEvent, AwsHttpResult>;
  return shape.toResult(response);
}

/**
 * The path without `/<stage>` when API Gateway kept the stage in it (a named stage, not
 * `$default`); a route's own first segment is never removed unless it equals the stage.
 */
function stripStage(path: string | undefined, stage: string | undefined): string {
  const raw = path || '/';
  if (!stage || stage === '$default') return raw;
  if (raw === `/${stage}`) return '/';
  return raw.startsWith(`/${stage}/`) ? raw.slice(stage.length + 1) : raw;
}

/** Header names lower-cased; values from every source joined with `, ` (multi-value first). */
function joinHeaders(
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
): Record<string, string> {
  const values = new Map<string, string[]>();
  const add = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    const key = name.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), value]);
  };
  for (const [name, list] of Object.entries(multi ?? {})) for (const value of list ?? []) add(name, value);
  // A single-value header repeats the last multi-value entry; add it only when that is absent.
  for (const [name, value] of Object.entries(single ?? {})) if (!multi?.[name]?.length) add(name, value);
  return Object.fromEntries([...values].map(([name, list]) => [name, list.join(', ')]));
}

/** The first value of each query parameter (REST API keeps every value in the multi-value map). */
function firstValues(
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
): Record<string, string> {
  const first = Object.fromEntries(Object.entries(multi ?? {}).map(([name, list]) => [name, list?.[0]]));
  return definedValues({ ...single, ...first });
}

function definedValues(record: Record<string, string | undefined> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function bodyOf(body: string | null | undefined, isBase64Encoded: boolean | undefined): { body?: Uint8Array } {
  if (body === null || body === undefined) return {};
  if (!isBase64Encoded) return { body: encoder.encode(body) };
  const bytes = Buffer.from(body, 'base64');
  return { body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function protocolOf(headers: Record<string, string>): { protocol?: 'http' | 'https' } {
  // Behind API Gateway and CloudFront the first hop is the client's; later hops are internal.
  const protocol = forwardedProtocol(headers['x-forwarded-proto']);
  return protocol ? { protocol } : {};
}

/**
 * The event's request id, else the invocation's. serverless offline gives every HTTP API event the
 * same placeholder (`offlineContext_resourceId`), which would make every local request look like
 * one; its invocation id (`awsRequestId`) is unique per request.
 */
function uniqueRequestId(eventRequestId: string | undefined, invocationId: string): string {
  return eventRequestId && !eventRequestId.startsWith('offlineContext_') ? eventRequestId : invocationId;
}

function encodeBody(body: string | Uint8Array): { body: string; isBase64Encoded: boolean } {
  if (typeof body === 'string') return { body, isBase64Encoded: false };
  return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'), isBase64Encoded: true };
}
