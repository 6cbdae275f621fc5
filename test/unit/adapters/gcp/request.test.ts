import type { Request } from '@google-cloud/functions-framework';
import { describe, expect, it } from 'vitest';
import { gcpRequestId, toApiRequest } from '../../../../adapters/gcp/request.js';
import type { ApiRequest } from '../../../../core/api/types.js';

/** The parts of an Express request the adapter reads, as the Functions Framework fills them. */
function expressRequest(init: { method?: string; path?: string; query?: Record<string, unknown>; headers?: Record<string, string | string[]>; rawBody?: Buffer; secure?: boolean }): Request {
  return { method: 'GET', path: '/', query: {}, headers: {}, secure: false, ...init } as unknown as Request;
}

const TRACE = '105445aa7843bc8bf206b12000100000';

const FORMS: { name: string; req: Request; basePath?: string; expected: Partial<ApiRequest> }[] = [
  { name: 'a plain GET', req: expressRequest({ path: '/health' }), expected: { method: 'GET', path: '/health', query: {}, protocol: 'http' } },
  { name: 'a lower-case method', req: expressRequest({ method: 'post', path: '/api/analyses' }), expected: { method: 'POST' } },
  { name: 'repeated query values (first wins)', req: expressRequest({ query: { limit: ['5', '7'], cursor: 'abc' } }), expected: { query: { limit: '5', cursor: 'abc' } } },
  { name: 'a nested query value (dropped)', req: expressRequest({ query: { a: { b: '1' }, c: '2' } }), expected: { query: { c: '2' } } },
  { name: 'repeated headers (joined)', req: expressRequest({ headers: { 'x-api-key': 'k', 'x-multi': ['a', 'b'] } }), expected: { headers: { 'x-api-key': 'k', 'x-multi': 'a, b' } } },
  { name: 'https behind the front end', req: expressRequest({ headers: { 'x-forwarded-proto': 'https, http' } }), expected: { protocol: 'https' } },
  { name: 'a TLS socket without the header', req: expressRequest({ secure: true }), expected: { protocol: 'https' } },
  { name: 'a base path', req: expressRequest({ path: '/kelpie/api/analyses' }), basePath: '/kelpie', expected: { path: '/api/analyses' } },
  { name: 'the base path alone', req: expressRequest({ path: '/kelpie' }), basePath: '/kelpie/', expected: { path: '/' } },
  { name: 'a path outside the base path (kept)', req: expressRequest({ path: '/kelpies/x' }), basePath: '/kelpie', expected: { path: '/kelpies/x' } },
  { name: 'a percent-encoded path (left encoded for the router)', req: expressRequest({ path: '/api/analyses/a%2Fb' }), expected: { path: '/api/analyses/a%2Fb' } },
];

describe('toApiRequest (Cloud Functions)', () => {
  it.each(FORMS)('translates $name', ({ req, basePath, expected }) => {
    expect(toApiRequest(req, { basePath })).toMatchObject(expected);
  });

  it('passes the raw body bytes exactly, whatever the framework parsed', () => {
    const raw = Buffer.from([0x7b, 0x7d, 0x00, 0xff]);
    const request = toApiRequest(expressRequest({ method: 'POST', rawBody: raw }));
    expect([...(request.body ?? [])]).toEqual([0x7b, 0x7d, 0x00, 0xff]);
    expect(request.json).toBeUndefined();
  });

  it('leaves the body out when the framework saved none or an empty one', () => {
    expect(toApiRequest(expressRequest({})).body).toBeUndefined();
    expect(toApiRequest(expressRequest({ method: 'POST', rawBody: Buffer.alloc(0) })).body).toBeUndefined();
  });

  it('passes the deadline signal through', () => {
    const signal = new AbortController().signal;
    expect(toApiRequest(expressRequest({}), { signal }).signal).toBe(signal);
  });
});

describe('gcpRequestId', () => {
  it.each<{ name: string; headers: Record<string, string>; expected: string }>([
    { name: 'the gen1 execution id', headers: { 'function-execution-id': 'abc123XYZ' }, expected: 'abc123XYZ' },
    { name: 'trace and span from X-Cloud-Trace-Context', headers: { 'x-cloud-trace-context': `${TRACE}/1234;o=1` }, expected: `${TRACE}/1234` },
    { name: 'the execution id before the trace', headers: { 'function-execution-id': 'exec1', 'x-cloud-trace-context': `${TRACE}/1` }, expected: 'exec1' },
  ])('uses $name', ({ headers, expected }) => {
    expect(gcpRequestId(headers)).toBe(expected);
  });

  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'no header', headers: {} },
    { name: 'a malformed trace header', headers: { 'x-cloud-trace-context': 'not a trace' } },
    { name: 'an execution id with unsafe characters', headers: { 'function-execution-id': 'a\nb<script>' } },
  ])('falls back to a random UUID for $name', ({ headers }) => {
    expect(gcpRequestId(headers)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
