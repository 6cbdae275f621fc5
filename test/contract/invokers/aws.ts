import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { createAwsHttpHandler } from '../../../adapters/aws/http-handler.js';
import type { AwsHttpEvent, AwsHttpResult } from '../../../adapters/aws/http-event.js';
import type { ApiHandler } from '../../../core/api/types.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { loadEvent } from '../../helpers/events.js';
import { fakeLambdaContext } from '../../helpers/lambda-context.js';
import type { ContractRequest, ContractResponse, Invoker } from '../invoker.js';

/** Text bodies travel as text; bytes as base64, as API Gateway sends binary media. */
function encodeBody(body: ContractRequest['body']): { body: string | null; isBase64Encoded: boolean } {
  if (body === undefined) return { body: null, isBase64Encoded: false };
  if (typeof body === 'string') return { body, isBase64Encoded: false };
  return { body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
}

/** A REST API (v1) event built on events/aws/rest-v1-get-health.json, as API Gateway would send it. */
function restEvent(request: ContractRequest): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>('aws/rest-v1-get-health.json');
  const headers = { ...event.headers, ...request.headers };
  const query = request.query && Object.keys(request.query).length ? request.query : null;
  const encoded = encodeBody(request.body);
  return {
    ...event,
    httpMethod: request.method,
    path: request.path,
    pathParameters: { proxy: request.path.slice(1) },
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value as string]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query && Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
    requestContext: { ...event.requestContext, httpMethod: request.method, path: `/dev${request.path}`, requestId: crypto.randomUUID() },
    body: encoded.body,
    isBase64Encoded: encoded.isBase64Encoded,
  };
}

/** An HTTP API (v2) event built on events/aws/http-v2-get-health.json, as API Gateway would send it. */
export function httpEvent(request: ContractRequest): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json');
  const headers = { ...event.headers, ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])) };
  const encoded = encodeBody(request.body);
  return {
    ...event,
    rawPath: request.path,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    ...(request.query && Object.keys(request.query).length ? { queryStringParameters: request.query } : {}),
    headers,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: request.method, path: request.path }, requestId: crypto.randomUUID() },
    ...(encoded.body === null ? {} : { body: encoded.body }),
    isBase64Encoded: encoded.isBase64Encoded,
  };
}

export function decode(result: AwsHttpResult): ContractResponse {
  const body = typeof result === 'string' ? result : (result.body ?? '');
  const bytes = typeof result !== 'string' && result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  const headers = typeof result === 'string' ? {} : Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  return { status: typeof result === 'string' ? 200 : (result.statusCode ?? 200), headers, body: new Uint8Array(bytes) };
}

function awsInvoker(name: string, toEvent: (request: ContractRequest) => AwsHttpEvent): Invoker {
  const handlers = new WeakMap<ApiHandler, ReturnType<typeof createAwsHttpHandler>>();
  return {
    name,
    async invoke(api, request) {
      if (!handlers.has(api)) handlers.set(api, createAwsHttpHandler(api, { logger: silentLogger }));
      const handler = handlers.get(api) as ReturnType<typeof createAwsHttpHandler>;
      const result = await handler(toEvent(request), fakeLambdaContext(), () => undefined);
      return decode(result as AwsHttpResult);
    },
  };
}

/** The API through the middy Lambda handler, with API Gateway REST API (payload 1.0) events. */
export const awsV1Invoker: Invoker = awsInvoker('aws (API Gateway REST v1 → Lambda)', restEvent);

/** The API through the middy Lambda handler, with API Gateway HTTP API (payload 2.0) events. */
export const awsV2Invoker: Invoker = awsInvoker('aws (API Gateway HTTP API v2 → Lambda)', httpEvent);
