import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { createAzureHttpHandler, toApiRequest, toHttpResponseInit } from '../../../../adapters/azure/http.js';
import type { ApiRequest, ApiResponse } from '../../../../core/api/types.js';

const HOST = 'https://kelpie.azurewebsites.net';
const context = (invocationId = 'c0ffee00-0000-4000-8000-000000000001') => new InvocationContext({ invocationId, functionName: 'api', logHandler: () => {} });
const request = (init: { method?: string; url: string; headers?: Record<string, string>; bytes?: Uint8Array }) =>
  new HttpRequest({ method: init.method ?? 'GET', url: init.url, headers: init.headers ?? {}, ...(init.bytes ? { body: { bytes: init.bytes } } : {}) });

/** Request forms as the Functions host delivers them (routePrefix "" unless said). */
const FORMS: { name: string; req: HttpRequest; routePrefix?: string; expected: Partial<ApiRequest> }[] = [
  { name: 'a plain GET', req: request({ url: `${HOST}/health` }), expected: { method: 'GET', path: '/health', query: {}, protocol: 'https' } },
  { name: 'the root', req: request({ url: `${HOST}/` }), expected: { path: '/' } },
  { name: 'repeated query values (first wins)', req: request({ url: `${HOST}/api/analyses?limit=5&limit=7&cursor=a%20b` }), expected: { query: { limit: '5', cursor: 'a b' } } },
  { name: 'mixed-case headers', req: request({ url: `${HOST}/x`, headers: { 'X-Api-Key': 'k', Origin: 'https://maps.example.org' } }), expected: { headers: expect.objectContaining({ 'x-api-key': 'k', origin: 'https://maps.example.org' }) } },
  { name: 'plain http', req: request({ url: 'http://localhost:7071/health' }), expected: { protocol: 'http' } },
  { name: 'https from the front end over http inside', req: request({ url: 'http://localhost:7071/health', headers: { 'x-forwarded-proto': 'https' } }), expected: { protocol: 'https' } },
  { name: "Azure's default /api prefix", req: request({ url: `${HOST}/api/health` }), routePrefix: '/api', expected: { path: '/health' } },
  { name: "Azure's default prefix on an /api route", req: request({ url: `${HOST}/api/api/analyses` }), routePrefix: 'api', expected: { path: '/api/analyses' } },
  { name: 'a percent-encoded path (left encoded for the router)', req: request({ url: `${HOST}/api/analyses/a%2Fb` }), expected: { path: '/api/analyses/a%2Fb' } },
];

describe('toApiRequest (Azure Functions)', () => {
  it.each(FORMS)('translates $name', async ({ req, routePrefix, expected }) => {
    expect(await toApiRequest(req, context(), { routePrefix })).toMatchObject(expected);
  });

  it('uses the invocation id as the request id', async () => {
    expect((await toApiRequest(request({ url: `${HOST}/health` }), context('inv-42'))).requestId).toBe('inv-42');
  });

  it('passes the body bytes exactly', async () => {
    const bytes = new Uint8Array([0x7b, 0x00, 0xff, 0x7d]);
    const api = await toApiRequest(request({ method: 'POST', url: `${HOST}/api/analyses`, bytes }), context());
    expect(api.body).toEqual(bytes);
    expect(api.json).toBeUndefined();
  });

  it.each(['GET', 'HEAD'])('gives a %s no body', async (method) => {
    expect((await toApiRequest(request({ method, url: `${HOST}/health` }), context())).body).toBeUndefined();
  });

  it('gives an empty POST no body', async () => {
    expect((await toApiRequest(request({ method: 'POST', url: `${HOST}/api/analyses` }), context())).body).toBeUndefined();
  });
});

/** Reads a handler's answer back as the worker does (`toRpcHttp`: HttpResponse, then bytes). */
async function asWorker(init: ReturnType<typeof toHttpResponseInit>) {
  const response = new HttpResponse(init);
  return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('toHttpResponseInit', () => {
  it.each<{ name: string; response: ApiResponse; bytes: number[] }>([
    { name: 'a binary body', response: { status: 200, headers: { 'content-type': 'image/tiff; application=geotiff' }, body: new Uint8Array([0x49, 0x49, 0x2a, 0, 0xff]) }, bytes: [0x49, 0x49, 0x2a, 0, 0xff] },
    { name: 'a text body', response: { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"é":1}' }, bytes: [...Buffer.from('{"é":1}')] },
    { name: 'a 204 with an empty body', response: { status: 204, headers: {}, body: '' }, bytes: [] },
  ])('keeps $name intact through the worker', async ({ response, bytes }) => {
    const back = await asWorker(toHttpResponseInit(response));
    expect(back.status).toBe(response.status);
    expect(back.type).toBe(response.headers['content-type'] ?? null);
    expect([...back.bytes]).toEqual(bytes);
  });
});

describe('createAzureHttpHandler', () => {
  it('aborts the signal before the platform limit', async () => {
    const handler = createAzureHttpHandler(
      (api) => new Promise((resolve) => api.signal?.addEventListener('abort', () => resolve({ status: 504, headers: {}, body: (api.signal?.reason as Error).name }))),
      { timeoutMs: 200, deadlineMarginMs: 100 },
    );
    const init = await handler(request({ url: `${HOST}/slow` }), context());
    expect(init).toMatchObject({ status: 504, body: 'TimeoutError' });
  });
});
