import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type AwsHttpEvent, payloadVersion, toApiRequest, toAwsResult } from '../../../../adapters/aws/http-event.js';
import { loadEvent } from '../../../helpers/events.js';

const KEY = 'kelpie-dev-key-0123456789abcdef';
const ANALYSIS = '3f9c2a7d1e5b8c4f6a0d';
const POST_BODY = { source: { key: 'uploads/coastal-sample.tif' }, method: 'kd', species: 'macrocystis' };
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

interface TranslationCase {
  event: string;
  version: '1.0' | '2.0';
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  requestId: string;
}

const CASES: TranslationCase[] = [
  { event: 'http-v2-get-health.json', version: '2.0', method: 'GET', path: '/health', requestId: 'JKJaXmPLvHcESHA=' },
  { event: 'http-v2-get-health-staged.json', version: '2.0', method: 'GET', path: '/health', requestId: 'JKJaXmPLvHcESHB=' },
  { event: 'http-v2-post-analyses.json', version: '2.0', method: 'POST', path: '/api/analyses', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: POST_BODY, requestId: 'JKJaXmPLvHcESHC=' },
  { event: 'http-v2-post-analyses-base64.json', version: '2.0', method: 'POST', path: '/api/analyses', body: POST_BODY, requestId: 'JKJaXmPLvHcESHD=' },
  { event: 'http-v2-list-analyses.json', version: '2.0', method: 'GET', path: '/api/analyses', query: { limit: '5' }, requestId: 'JKJaXmPLvHcESHE=' },
  { event: 'http-v2-get-analysis.json', version: '2.0', method: 'GET', path: `/api/analyses/${ANALYSIS}`, requestId: 'JKJaXmPLvHcESHF=' },
  { event: 'http-v2-get-artifact.json', version: '2.0', method: 'GET', path: `/api/analyses/${ANALYSIS}/kelp-mask.tif`, headers: { accept: 'image/tiff' }, requestId: 'JKJaXmPLvHcESHG=' },
  { event: 'rest-v1-get-health.json', version: '1.0', method: 'GET', path: '/health', headers: { host: 'r7xmpl4k2d.execute-api.eu-west-1.amazonaws.com' }, requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' },
  { event: 'rest-v1-post-analyses.json', version: '1.0', method: 'POST', path: '/api/analyses', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: POST_BODY, requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbee1' },
  { event: 'rest-v1-post-analyses-base64.json', version: '1.0', method: 'POST', path: '/api/analyses', body: POST_BODY, requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbee2' },
  { event: 'rest-v1-list-analyses.json', version: '1.0', method: 'GET', path: '/api/analyses', query: { limit: '5', cursor: 'first' }, headers: { accept: 'application/json, text/plain' }, requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbee3' },
  { event: 'rest-v1-get-analysis.json', version: '1.0', method: 'GET', path: `/api/analyses/${ANALYSIS}`, requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbee4' },
  { event: 'rest-v1-get-artifact.json', version: '1.0', method: 'GET', path: `/api/analyses/${ANALYSIS}/kelp-mask.tif`, headers: { accept: 'image/tiff' }, requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbee5' },
];

describe('toApiRequest over the events/aws payloads', () => {
  it.each(CASES)('translates $event', ({ event: name, version, method, path, query, headers, body, requestId }) => {
    const event = loadEvent<AwsHttpEvent>(`aws/${name}`);

    const request = toApiRequest(event, 'lambda-request-id');

    expect(payloadVersion(event)).toBe(version);
    expect(request).toMatchObject({ method, path, query: query ?? {}, requestId, protocol: 'https' });
    expect(request.headers).toMatchObject(headers ?? {});
    expect(body === undefined ? request.body : JSON.parse(text(request.body) as string)).toEqual(body);
  });

  it('lower-cases every header name', () => {
    const request = toApiRequest(loadEvent<AwsHttpEvent>('aws/rest-v1-post-analyses.json'), 'id');
    expect(Object.keys(request.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('joins repeated REST headers with ", " in the order they came', () => {
    const request = toApiRequest(loadEvent<AwsHttpEvent>('aws/rest-v1-list-analyses.json'), 'id');
    expect(request.headers.accept).toBe('application/json, text/plain');
  });

  it('keeps a header that is only in the single-value map', () => {
    const event = loadEvent<APIGatewayProxyEvent>('aws/rest-v1-get-health.json');
    event.multiValueHeaders = {};
    expect(toApiRequest(event, 'id').headers['x-forwarded-proto']).toBe('https');
  });

  it('decodes a base64 body to the exact bytes', () => {
    const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-post-analyses-base64.json');
    event.body = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff]).toString('base64');
    expect([...(toApiRequest(event, 'id').body ?? [])]).toEqual([0x49, 0x49, 0x2a, 0x00, 0xff]);
  });

  it.each([
    ['a named stage in the path', 'dev', '/dev/health', '/health'],
    ['the stage alone', 'dev', '/dev', '/'],
    ['$default, which is never in the path', '$default', '/dev/health', '/dev/health'],
    ['a path that only starts with the stage name', 'dev', '/devices/health', '/devices/health'],
    ['a path without the stage', 'prod', '/health', '/health'],
  ])('strips the stage prefix correctly for %s', (_, stage, rawPath, expected) => {
    const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json');
    event.rawPath = rawPath;
    event.requestContext.stage = stage;
    expect(toApiRequest(event, 'id').path).toBe(expected);
  });

  it('uses the Lambda request id when API Gateway gives none', () => {
    const event = loadEvent<APIGatewayProxyEvent>('aws/rest-v1-get-health.json');
    delete (event.requestContext as { requestId?: string }).requestId;
    expect(toApiRequest(event, 'lambda-request-id').requestId).toBe('lambda-request-id');
  });

  it('uses the Lambda request id for serverless offline’s placeholder, which every local request shares', () => {
    const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json');
    const offline = { ...event, requestContext: { ...event.requestContext, requestId: 'offlineContext_resourceId' } };
    expect(toApiRequest(offline, 'c0ffee00-0000-4000-8000-000000000007').requestId).toBe('c0ffee00-0000-4000-8000-000000000007');
  });

  it('leaves the protocol unset without x-forwarded-proto', () => {
    const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json');
    delete event.headers['x-forwarded-proto'];
    expect(toApiRequest(event, 'id').protocol).toBeUndefined();
  });

  it('accepts a REST event with null headers and query', () => {
    const event = loadEvent<APIGatewayProxyEvent>('aws/rest-v1-get-health.json');
    Object.assign(event, { headers: null, multiValueHeaders: null, queryStringParameters: null, multiValueQueryStringParameters: null });
    expect(toApiRequest(event, 'id')).toMatchObject({ headers: {}, query: {} });
  });
});

describe('toAwsResult', () => {
  const headers = { 'content-type': 'image/tiff' };

  it.each(['http-v2-get-artifact.json', 'rest-v1-get-artifact.json'])('sends a binary body base64-encoded for %s', (name) => {
    const bytes = Uint8Array.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0xff]);
    const result = toAwsResult(loadEvent<AwsHttpEvent>(`aws/${name}`), { status: 200, headers, body: bytes.subarray(1, 5) });
    expect(result).toEqual({ statusCode: 200, headers, body: Buffer.from([0x49, 0x2a, 0x00, 0x08]).toString('base64'), isBase64Encoded: true });
  });

  it.each(['http-v2-get-health.json', 'rest-v1-get-health.json'])('sends a text body as is for %s', (name) => {
    const result = toAwsResult(loadEvent<AwsHttpEvent>(`aws/${name}`), { status: 404, headers: {}, body: '{"error":{}}' });
    expect(result).toEqual({ statusCode: 404, headers: {}, body: '{"error":{}}', isBase64Encoded: false });
  });
});
