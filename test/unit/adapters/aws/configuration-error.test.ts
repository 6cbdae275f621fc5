import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Handler } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handlerOrConfigurationError, httpHandlerOrConfigurationError } from '../../../../adapters/aws/configuration-error.js';
import { loadEvent } from '../../../helpers/events.js';
import { fakeLambdaContext } from '../../../helpers/lambda-context.js';

const event = () => loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json');

describe('httpHandlerOrConfigurationError', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('logs one line and answers every request 500 CONFIGURATION when composing fails', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = httpHandlerOrConfigurationError('http-api', () => {
      throw new Error('invalid configuration: KELPIE_BUCKET: KELPIE_STORE=s3 needs the bucket (or container) name');
    });

    const result = (await handler(event(), fakeLambdaContext(), () => undefined)) as APIGatewayProxyStructuredResultV2;

    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0][0])).not.toContain('\n');
    expect(JSON.parse(String(log.mock.calls[0][0]))).toMatchObject({ level: 'ERROR', message: expect.stringContaining('KELPIE_BUCKET') });
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(String(result.body)).error).toMatchObject({ code: 'CONFIGURATION', requestId: 'JKJaXmPLvHcESHA=' });
    expect(String(result.body)).not.toContain('KELPIE_BUCKET');
  });

  it('makes functions/http-api.aws.ts answer 500 CONFIGURATION for a bad setting instead of crashing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubEnv('KELPIE_STORE', 's3');
    vi.stubEnv('KELPIE_BUCKET', '');
    const { handler } = await import('../../../../functions/http-api.aws.js');
    const result = (await handler(event(), fakeLambdaContext(), () => undefined)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(String(result.body)).error.code).toBe('CONFIGURATION');
  });

  it('makes functions/http-api.aws.ts serve /health with a good configuration', async () => {
    vi.stubEnv('KELPIE_STORE', 'memory');
    vi.stubEnv('KELPIE_ENV', 'test');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const { handler } = await import('../../../../functions/http-api.aws.js');
    const result = (await handler(event(), fakeLambdaContext(), () => undefined)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toMatchObject({ status: 'ok', environment: 'test' });
  });
});

describe('handlerOrConfigurationError', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('logs one line at cold start and fails every invocation with the configuration error', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = handlerOrConfigurationError('backup', (): Handler => {
      throw new Error('invalid configuration: KELPIE_BUCKET: KELPIE_STORE=s3 needs the bucket (or container) name');
    });
    expect(log).toHaveBeenCalledOnce();
    expect(JSON.parse(String(log.mock.calls[0][0]))).toMatchObject({ level: 'ERROR', service: 'backup', message: expect.stringContaining('KELPIE_BUCKET') });
    await expect(handler({}, fakeLambdaContext(), () => undefined)).rejects.toThrow(/KELPIE_BUCKET/);
    await expect(handler({}, fakeLambdaContext(), () => undefined)).rejects.toThrow(/KELPIE_BUCKET/);
  });

  it.each<[string, () => Promise<{ handler: Handler }>]>([
    ['upload-analyze', () => import('../../../../functions/upload-analyze.aws.js')],
    ['backup', () => import('../../../../functions/backup.aws.js')],
    ['health-ping', () => import('../../../../functions/health-ping.aws.js')],
  ])('makes functions/%s.aws.ts fail its invocations for a bad setting', async (_name, load) => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubEnv('KELPIE_STORE', 's3');
    vi.stubEnv('KELPIE_BUCKET', '');
    const { handler } = await load();
    await expect(handler(loadEvent('aws/eventbridge-scheduled.json'), fakeLambdaContext(), () => undefined)).rejects.toThrow(/KELPIE_BUCKET/);
  });

  it('makes functions/health-ping.aws.ts pass on the memory store', async () => {
    vi.stubEnv('KELPIE_STORE', 'memory');
    vi.stubEnv('KELPIE_LOG_LEVEL', 'error');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const { handler } = (await import('../../../../functions/health-ping.aws.js')) as { handler: Handler };
    expect(await handler(loadEvent('aws/eventbridge-scheduled.json'), fakeLambdaContext(), () => undefined)).toMatchObject({ ok: true });
  });
});
