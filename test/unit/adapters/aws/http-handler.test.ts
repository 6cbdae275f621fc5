import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createAwsHttpHandler } from '../../../../adapters/aws/http-handler.js';
import type { Route } from '../../../../core/api/router.js';
import type { ApiHandler, ApiRequest } from '../../../../core/api/types.js';
import { type Logger, silentLogger } from '../../../../core/ports/logger.js';
import { loadEvent } from '../../../helpers/events.js';
import { fakeLambdaContext } from '../../../helpers/lambda-context.js';
import { createSmallApi } from '../../../helpers/small-api.js';

type Result = APIGatewayProxyStructuredResultV2;

function postEvent(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-post-analyses.json');
  return { ...event, headers: { ...event.headers, ...headers }, body, isBase64Encoded: false };
}

async function invoke(api: ApiHandler, event: APIGatewayProxyEventV2, options: { remainingMs?: number; deadlineMarginMs?: number; logger?: Logger } = {}) {
  const handler = createAwsHttpHandler(api, { logger: options.logger ?? silentLogger, deadlineMarginMs: options.deadlineMarginMs });
  const result = (await handler(event, fakeLambdaContext({ remainingMs: options.remainingMs }), () => undefined)) as Result;
  return { result, json: JSON.parse(String(result.body)) };
}

/** An API that records the request it was given and answers 200. */
function recordingApi(): { api: ApiHandler; seen: ApiRequest[] } {
  const seen: ApiRequest[] = [];
  return { seen, api: async (request) => (seen.push(request), { status: 200, headers: {}, body: '{}' }) };
}

describe('createAwsHttpHandler', () => {
  it('gives the core the parsed JSON and the raw bytes', async () => {
    const { api, seen } = recordingApi();
    await invoke(api, postEvent('{"source":{"key":"uploads/a.tif"}}'));
    expect(seen[0].json).toEqual({ source: { key: 'uploads/a.tif' } });
    expect(new TextDecoder().decode(seen[0].body)).toBe('{"source":{"key":"uploads/a.tif"}}');
  });

  it('parses a base64-encoded JSON body', async () => {
    const { api, seen } = recordingApi();
    await invoke(api, loadEvent<APIGatewayProxyEventV2>('aws/http-v2-post-analyses-base64.json'));
    expect(seen[0].json).toMatchObject({ source: { key: 'uploads/coastal-sample.tif' } });
  });

  it('gives the core a signal that is live while the request runs', async () => {
    const { api, seen } = recordingApi();
    await invoke(api, loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json'));
    expect(seen[0].signal).toBeInstanceOf(AbortSignal);
    expect(seen[0].signal?.aborted).toBe(false);
  });

  it('answers malformed JSON with 400 MALFORMED_REQUEST as our JSON error, not middy text', async () => {
    const { api } = createSmallApi();
    const { result, json } = await invoke(api, postEvent('{"source": {"key": '));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    expect(result.headers?.['x-content-type-options']).toBe('nosniff');
    expect(json.error).toMatchObject({ code: 'MALFORMED_REQUEST', requestId: 'JKJaXmPLvHcESHC=' });
  });

  it('lets the core answer 415 for a body that is not JSON', async () => {
    const { api } = createSmallApi();
    const { result, json } = await invoke(api, postEvent('source=uploads/a.tif', { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(result.statusCode).toBe(415);
    expect(json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lets the core answer 413 for a JSON body over 1 MB, without parsing it', async () => {
    const { api } = createSmallApi();
    const { result, json } = await invoke(api, postEvent(JSON.stringify({ note: 'x'.repeat(1_100_000) })));
    expect(result.statusCode).toBe(413);
    expect(json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('aborts the core deadlineMarginMs before the Lambda deadline, and the core answers 504', async () => {
    const slow: Route = {
      method: 'GET',
      pattern: '/slow',
      auth: false,
      handle: ({ request }) => new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(new Error('socket aborted')))),
    };
    const { api } = createSmallApi({ extraRoutes: [slow] });
    const event = { ...loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json'), rawPath: '/slow' };
    const started = Date.now();
    const { result, json } = await invoke(api, event, { remainingMs: 1_800, deadlineMarginMs: 1_500 });
    expect(result.statusCode).toBe(504);
    expect(json.error.code).toBe('DEADLINE_EXCEEDED');
    expect(Date.now() - started).toBeLessThan(1_300);
  });

  it('answers 504 through middy when the core ignores the signal', async () => {
    const stuck: ApiHandler = () => new Promise(() => undefined);
    const { result, json } = await invoke(stuck, loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json'), { remainingMs: 900, deadlineMarginMs: 600 });
    expect(result.statusCode).toBe(504);
    expect(json.error).toMatchObject({ code: 'DEADLINE_EXCEEDED', requestId: 'JKJaXmPLvHcESHA=' });
  });

  it('turns a stray error into 500 INTERNAL without internals, and logs it', async () => {
    const broken: ApiHandler = async () => {
      throw new Error('secret internals at /var/task/x.js:1:1');
    };
    const logger = { ...silentLogger, error: vi.fn() };
    const { result, json } = await invoke(broken, loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json'), { logger });
    expect(result.statusCode).toBe(500);
    expect(json.error.code).toBe('INTERNAL');
    expect(String(result.body)).not.toContain('secret');
    expect(result.headers?.['x-frame-options']).toBe('DENY');
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('publishes metrics after every invocation, failed ones too', async () => {
    const metrics = { publish: vi.fn() };
    const broken: ApiHandler = async () => {
      throw new Error('boom');
    };
    const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json');
    await createAwsHttpHandler(createSmallApi().api, { logger: silentLogger, metrics })(event, fakeLambdaContext(), () => undefined);
    await createAwsHttpHandler(broken, { logger: silentLogger, metrics })(event, fakeLambdaContext(), () => undefined);
    expect(metrics.publish).toHaveBeenCalledTimes(2);
  });

  it('answers a REST (v1) event in the v1 result shape', async () => {
    const handler = createAwsHttpHandler(createSmallApi().api, { logger: silentLogger });
    const result = await handler(loadEvent('aws/rest-v1-get-health.json'), fakeLambdaContext(), () => undefined);
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false });
  });
});
