import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Loads a function file afresh under `env`, as a cold start would. */
async function coldStart<T>(file: string, env: Record<string, string>): Promise<T> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return (await import(file)) as T;
}

const GOOD = { KELPIE_STORE: 'memory', KELPIE_ENV: 'test', KELPIE_LOG_LEVEL: 'error' };
const BAD = { KELPIE_STORE: 'memory', KELPIE_ENV: 'production', KELPIE_API_KEYS: '' };

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function getThroughAzure(handler: (request: HttpRequest, context: InvocationContext) => Promise<unknown>, path: string) {
  const init = await handler(new HttpRequest({ method: 'GET', url: `https://kelpie.azurewebsites.net${path}` }), new InvocationContext({ invocationId: 'inv-1', logHandler: () => {} }));
  const response = new HttpResponse(init as ConstructorParameters<typeof HttpResponse>[0]);
  return { status: response.status, body: await response.json() };
}

describe('functions/http-api.azure.ts', () => {
  type AzureModule = { handler: (request: HttpRequest, context: InvocationContext) => Promise<unknown> };

  it('exports the handler serving the API', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // "test mode": no Functions host here
    const { handler } = await coldStart<AzureModule>('../../../functions/http-api.azure.ts', GOOD);
    expect(await getThroughAzure(handler, '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers 500 CONFIGURATION when the configuration is invalid', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { handler } = await coldStart<AzureModule>('../../../functions/http-api.azure.ts', BAD);
    expect(await getThroughAzure(handler, '/health')).toMatchObject({ status: 500, body: { error: { code: 'CONFIGURATION', requestId: 'inv-1' } } });
  });
});
