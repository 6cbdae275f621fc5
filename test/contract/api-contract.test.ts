import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../core/api/types.js';
import { ALLOWED_ORIGIN, API_KEY, NOT_A_TIFF_KEY, SAMPLE_KEY, createContractApi, directBytes } from './contract-api.js';
import type { ContractRequest, ContractResponse, Invoker } from './invoker.js';
import { awsV1Invoker, awsV2Invoker } from './invokers/aws.js';
import { azureInvoker } from './invokers/azure.js';
import { gcpInvoker } from './invokers/gcp.js';

/** What earlier cases learned (the analysis id), and the API for direct comparisons. */
interface Context {
  id: string;
  api: ApiHandler;
}

interface ContractCase {
  name: string;
  request: ContractRequest | ((context: Context) => ContractRequest);
  status: number;
  /** Expected content type (prefix match); omitted for bodiless answers. */
  type?: string;
  check?: (response: ContractResponse, context: Context) => void | Promise<void>;
}

const key = { 'x-api-key': API_KEY };
const jsonHeaders = { ...key, 'content-type': 'application/json' };
const post = (body: unknown, headers: Record<string, string> = jsonHeaders): ContractRequest => ({
  method: 'POST',
  path: '/api/analyses',
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const analyse = (sourceKey: string) => post({ source: { key: sourceKey } });
const get = (path: string, headers: Record<string, string> = key): ContractRequest => ({ method: 'GET', path, headers });
const text = (response: ContractResponse) => new TextDecoder().decode(response.body);
const json = (response: ContractResponse) => JSON.parse(text(response));
const errorCode = (code: string) => (response: ContractResponse) => expect(json(response).error.code).toBe(code);
const sameBytesAsDirect = (artifact: string) => async (response: ContractResponse, { id, api }: Context) =>
  expect(Buffer.from(response.body).equals(Buffer.from(await directBytes(api, `/api/analyses/${id}/${artifact}`)))).toBe(true);

/** The contract: identical on every platform. Cases run in order (later ones use the id). */
const CASES: ContractCase[] = [
  { name: 'GET /health answers without a key', request: { method: 'GET', path: '/health' }, status: 200, type: 'application/json', check: (r) => expect(json(r).status).toBe('ok') },
  { name: 'GET /ready checks the store', request: { method: 'GET', path: '/ready' }, status: 200, type: 'application/json', check: (r) => expect(json(r).status).toBe('ready') },
  { name: 'GET /metrics is Prometheus text', request: { method: 'GET', path: '/metrics' }, status: 200, type: 'text/plain', check: (r) => expect(text(r)).toContain('kelpie_http_requests_total') },
  {
    name: 'POST /api/analyses analyses the sample',
    request: analyse(SAMPLE_KEY),
    status: 201,
    type: 'application/json',
    check: (r, context) => {
      const result = json(r);
      expect(result.kelp.areaHa).toBeGreaterThan(0);
      expect(r.headers.location).toBe(`/api/analyses/${result.id}`);
      context.id = result.id;
    },
  },
  { name: 'repeating it returns the same analysis', request: analyse(SAMPLE_KEY), status: 200, type: 'application/json', check: (r, { id }) => expect(json(r).id).toBe(id) },
  { name: 'GET /api/analyses lists it', request: get('/api/analyses'), status: 200, type: 'application/json', check: (r, { id }) => expect(json(r).items.map((item: { id: string }) => item.id)).toContain(id) },
  { name: 'GET /api/analyses/{id} returns it', request: ({ id }) => get(`/api/analyses/${id}`), status: 200, type: 'application/json', check: (r, { id }) => expect(json(r).id).toBe(id) },
  {
    name: 'the kelp mask is a GeoTIFF, byte for byte',
    request: ({ id }) => get(`/api/analyses/${id}/kelp-mask.tif`),
    status: 200,
    type: 'image/tiff',
    check: async (r, context) => {
      expect([...r.body.subarray(0, 4)]).toEqual([0x49, 0x49, 0x2a, 0x00]);
      await sameBytesAsDirect('kelp-mask.tif')(r, context);
    },
  },
  {
    name: 'the overlay is a PNG, byte for byte',
    request: ({ id }) => get(`/api/analyses/${id}/overlay.png`),
    status: 200,
    type: 'image/png',
    check: async (r, context) => {
      expect([...r.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      await sameBytesAsDirect('overlay.png')(r, context);
    },
  },
  { name: 'the beds are GeoJSON', request: ({ id }) => get(`/api/analyses/${id}/beds.geojson`), status: 200, type: 'application/geo+json', check: (r) => expect(json(r).type).toBe('FeatureCollection') },
  { name: 'an unknown artifact is 404', request: ({ id }) => get(`/api/analyses/${id}/secrets.txt`), status: 404, type: 'application/json', check: errorCode('NOT_FOUND') },
  { name: 'an unknown id is 404', request: get('/api/analyses/0123456789abcdef0123'), status: 404, type: 'application/json', check: errorCode('NOT_FOUND') },
  { name: 'no API key is 401', request: get('/api/analyses', {}), status: 401, type: 'application/json', check: errorCode('UNAUTHORIZED') },
  { name: 'a wrong API key is 401', request: get('/api/analyses', { 'x-api-key': 'wrong-key-0123456789abcdef' }), status: 401, type: 'application/json', check: errorCode('UNAUTHORIZED') },
  { name: 'malformed JSON is 400', request: post('{"source": {"key": '), status: 400, type: 'application/json', check: errorCode('MALFORMED_REQUEST') },
  { name: 'a JSON null body is 400', request: post('null'), status: 400, type: 'application/json', check: errorCode('MALFORMED_REQUEST') },
  { name: 'a body that is not JSON is 415', request: post({ source: { key: SAMPLE_KEY } }, { ...key, 'content-type': 'text/plain' }), status: 415, type: 'application/json', check: errorCode('UNSUPPORTED_MEDIA_TYPE') },
  { name: 'a body over 1 MB is 413', request: post({ source: { key: SAMPLE_KEY }, note: 'x'.repeat(1_100_000) }), status: 413, type: 'application/json', check: errorCode('PAYLOAD_TOO_LARGE') },
  { name: 'an unknown field is 400', request: post({ source: { key: SAMPLE_KEY }, colour: 'red' }), status: 400, type: 'application/json', check: errorCode('MALFORMED_REQUEST') },
  {
    name: 'kd on Landsat is 400 naming the methods that work',
    request: post({ source: { key: SAMPLE_KEY }, sensor: 'landsat-8', method: 'kd' }),
    status: 400,
    type: 'application/json',
    check: (r) => {
      expect(json(r).error.code).toBe('UNSUPPORTED_METHOD');
      expect(json(r).error.message).toMatch(/"fai", "ndvi", "consensus"/);
    },
  },
  { name: 'a field of the wrong type is 400', request: post({ source: { key: 42 } }), status: 400, type: 'application/json', check: errorCode('MALFORMED_REQUEST') },
  { name: 'a key with a .. segment is 400', request: analyse('uploads/../results/x.tif'), status: 400, type: 'application/json', check: errorCode('INVALID_REQUEST') },
  { name: 'a key with a leading / is 400', request: analyse('/uploads/coastal-sample.tif'), status: 400, type: 'application/json', check: errorCode('INVALID_REQUEST') },
  { name: 'a key with a backslash is 400', request: analyse('uploads\\coastal-sample.tif'), status: 400, type: 'application/json', check: errorCode('INVALID_REQUEST') },
  { name: 'an object that does not exist is 404', request: analyse('uploads/missing.tif'), status: 404, type: 'application/json', check: errorCode('NOT_FOUND') },
  { name: 'a file that is not a TIFF is 422', request: analyse(NOT_A_TIFF_KEY), status: 422, type: 'application/json', check: errorCode('NOT_A_TIFF') },
  { name: 'DELETE /health is 405', request: { method: 'DELETE', path: '/health' }, status: 405, type: 'application/json', check: errorCode('METHOD_NOT_ALLOWED') },
  { name: 'an allowed origin gets CORS headers', request: get('/health', { origin: ALLOWED_ORIGIN }), status: 200, type: 'application/json', check: (r) => expect(r.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN) },
  { name: 'another origin gets none', request: get('/health', { origin: 'https://evil.example.com' }), status: 200, type: 'application/json', check: (r) => expect(r.headers['access-control-allow-origin']).toBeUndefined() },
  {
    name: 'a preflight from another origin gets no CORS headers, and none ever allows credentials',
    request: { method: 'OPTIONS', path: '/api/analyses', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } },
    status: 204,
    check: (r) => {
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    },
  },
  { name: 'a body without a content type is 415', request: post({ source: { key: SAMPLE_KEY } }, key), status: 415, type: 'application/json', check: errorCode('UNSUPPORTED_MEDIA_TYPE') },
  {
    name: 'a CORS preflight is 204',
    request: { method: 'OPTIONS', path: '/api/analyses', headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' } },
    status: 204,
    check: (r) => {
      expect(r.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(r.headers['access-control-allow-headers']).toContain('x-api-key');
      expect(r.headers['access-control-allow-credentials']).toBeUndefined();
      expect(r.body.byteLength).toBe(0);
    },
  },
  { name: 'POST /api/uploads without a signer is 503', request: { ...post({ filename: 'scene.tif' }), path: '/api/uploads' }, status: 503, type: 'application/json', check: errorCode('DEPENDENCY_UNAVAILABLE') },
];

/** Every response, error or not: the security headers; every error: the JSON error shape, no internals. */
function checkCommon(response: ContractResponse): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBeTruthy();
  if (response.status < 400) return;
  const { error } = json(response);
  expect(error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: response.headers['x-request-id'] }));
  expect(error.requestId).toBeTruthy();
  expect(text(response)).not.toMatch(/\bat .+:\d+:\d+|node_modules|<html|SyntaxError/i);
}

const INVOKERS: Invoker[] = [awsV1Invoker, awsV2Invoker, gcpInvoker, azureInvoker];

describe.each(INVOKERS)('the HTTP API through $name', (invoker) => {
  const context: Context = { id: '', api: undefined as unknown as ApiHandler };

  beforeAll(async () => {
    context.api = await createContractApi();
  });
  afterAll(async () => {
    await invoker.close?.();
  });

  it.each(CASES)('$name', async ({ request, status, type, check }) => {
    const response = await invoker.invoke(context.api, typeof request === 'function' ? request(context) : request);
    expect({ status: response.status, body: response.status === status ? '' : text(response).slice(0, 300) }).toEqual({ status, body: '' });
    if (type) expect(response.headers['content-type']).toMatch(new RegExp(`^${type.replace(/[.+]/g, '\\$&')}`));
    checkCommon(response);
    await check?.(response, context);
  });
});
