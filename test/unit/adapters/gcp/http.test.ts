import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gcpFunctionTimeoutMs } from '../../../../adapters/gcp/function-timeout.js';
import { createGcpHttpHandler } from '../../../../adapters/gcp/http.js';
import type { ApiRequest, ApiResponse } from '../../../../core/api/types.js';

/** What the recording API saw, and what it answers next. */
let seen: ApiRequest[] = [];
let answer: (request: ApiRequest) => Promise<ApiResponse>;
const okText: ApiResponse = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };

let server: Server;
let base: string;

beforeAll(async () => {
  http('gcp-unit', createGcpHttpHandler(async (request) => (seen.push(request), answer(request)), { timeoutMs: 400, deadlineMarginMs: 200 }));
  server = getTestServer('gcp-unit');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  answer = async () => okText;
});

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const post = (body: Uint8Array, headers: Record<string, string>) => fetch(`${base}/api/analyses`, { method: 'POST', body: new Uint8Array(body), headers });

/** Body forms the framework's parsers treat differently; the API must get the raw bytes of each. */
const BODY_FORMS: { name: string; body: Uint8Array; headers: Record<string, string>; expected: string }[] = [
  { name: 'valid JSON', body: bytes('{"a":1}'), headers: { 'content-type': 'application/json' }, expected: '{"a":1}' },
  { name: 'malformed JSON (the framework would answer 400 HTML)', body: bytes('{"a":'), headers: { 'content-type': 'application/json' }, expected: '{"a":' },
  { name: 'a JSON null (refused by the strict parser)', body: bytes('null'), headers: { 'content-type': 'application/json' }, expected: 'null' },
  { name: 'JSON in a non-UTF charset (the framework would answer 415 HTML)', body: bytes('{"a":1}'), headers: { 'content-type': 'application/json; charset=latin1' }, expected: '{"a":1}' },
  { name: 'text/plain', body: bytes('{"a":1}'), headers: { 'content-type': 'text/plain' }, expected: '{"a":1}' },
  { name: 'a form', body: bytes('a=1&b=2'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, expected: 'a=1&b=2' },
  { name: 'gzip-encoded JSON (inflated by the framework)', body: new Uint8Array(gzipSync('{"a":1}')), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, expected: '{"a":1}' },
  { name: 'binary bytes', body: new Uint8Array([0, 255, 1, 254]), headers: { 'content-type': 'application/octet-stream' }, expected: '\u0000\u00ff\u0001\u00fe' },
];

describe('createGcpHttpHandler through the Functions Framework', () => {
  it.each(BODY_FORMS)('hands the API the raw bytes of $name', async ({ body, headers, expected }) => {
    const response = await post(body, headers);
    expect(response.status).toBe(200);
    expect(Buffer.from(seen[0].body ?? []).toString('latin1')).toBe(expected);
    expect(seen[0].json).toBeUndefined();
  });

  it('lets the API answer a body with an unknown content-encoding (no body reaches it)', async () => {
    const response = await post(bytes('{}'), { 'content-type': 'application/json', 'content-encoding': 'bogus' });
    expect(response.status).toBe(200);
    expect(seen[0].body).toBeUndefined();
  });

  it('sends binary bodies and headers back byte for byte', async () => {
    const tiff = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0x00, 0xff, 0x80, 0x0a, 0x0d]);
    answer = async () => ({ status: 200, headers: { 'content-type': 'image/tiff; application=geotiff', 'x-request-id': 'r1' }, body: tiff });
    const response = await fetch(`${base}/api/analyses/x/kelp-mask.tif`);
    expect(response.headers.get('content-type')).toBe('image/tiff; application=geotiff');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(tiff);
  });

  it('keeps a content type without a charset as it is', async () => {
    answer = async () => ({ status: 200, headers: { 'content-type': 'application/geo+json' }, body: '{}' });
    expect((await fetch(`${base}/x`)).headers.get('content-type')).toBe('application/geo+json');
  });

  it('sends a 204 with no body', async () => {
    answer = async () => ({ status: 204, headers: {}, body: '' });
    const response = await fetch(`${base}/api/analyses`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('aborts the signal before the function timeout', async () => {
    answer = (request) =>
      new Promise((resolve) => {
        request.signal?.addEventListener('abort', () => resolve({ status: 504, headers: {}, body: String((request.signal?.reason as Error).name) }));
      });
    const response = await fetch(`${base}/slow`);
    expect(response.status).toBe(504);
    expect(await response.text()).toBe('TimeoutError');
  });
});

describe('gcpFunctionTimeoutMs', () => {
  it.each([
    { env: { CLOUD_RUN_TIMEOUT_SECONDS: '300' }, expected: 300_000 },
    { env: { FUNCTION_TIMEOUT_SEC: '540' }, expected: 540_000 },
    { env: { CLOUD_RUN_TIMEOUT_SECONDS: '120', FUNCTION_TIMEOUT_SEC: '540' }, expected: 120_000 },
    { env: {}, expected: 60_000 },
    { env: { CLOUD_RUN_TIMEOUT_SECONDS: 'soon' }, expected: 60_000 },
    { env: { CLOUD_RUN_TIMEOUT_SECONDS: '0' }, expected: 60_000 },
  ])('reads $env as $expected ms (the 60 s default when unset or not a positive number)', ({ env, expected }) => {
    expect(gcpFunctionTimeoutMs(env)).toBe(expected);
  });
});
