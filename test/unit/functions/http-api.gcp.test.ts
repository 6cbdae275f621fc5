import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
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

async function getThroughFramework(path: string) {
  const server = getTestServer('api');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return { status: response.status, body: await response.json() };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('functions/http-api.gcp.ts', () => {
  it('registers "api" serving the API', async () => {
    await coldStart('../../../functions/http-api.gcp.ts', GOOD);
    expect(await getThroughFramework('/health')).toMatchObject({ status: 200, body: { status: 'ok', environment: 'test' } });
  });

  it('answers 500 CONFIGURATION when the configuration is invalid', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await coldStart('../../../functions/http-api.gcp.ts', BAD);
    expect(await getThroughFramework('/health')).toMatchObject({ status: 500, body: { error: { code: 'CONFIGURATION' } } });
    expect(String(vi.mocked(console.error).mock.calls[0][0])).toContain('KELPIE_API_KEYS');
  });
});
