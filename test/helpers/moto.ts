import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../adapters/aws/s3-client.js';
import { type Child, freePort, startChild, waitForHttp } from './processes.js';

/** How to install moto when `moto_server` is missing: the test fails with this, it never skips. */
export const MOTO_MISSING = 'moto_server is not installed; install it with: pip install "moto[server]" (or run scripts/ensure-tools.sh)';

/** A running moto server on 127.0.0.1. */
export interface MotoServer {
  endpoint: string;
  /** The settings that point a function's S3 store at this server: path-style, the endpoint, a region, test credentials. */
  env: Record<string, string>;
  /** An S3 client for this server: path-style, fixed test credentials, short timeouts, one attempt. */
  s3(): S3Client;
  stop(): Promise<void>;
}

/**
 * Starts `moto_server` on a free 127.0.0.1 port and waits until it answers. Call it in
 * `beforeAll` and `stop()` in `afterAll`: one server per test file.
 *
 * @example
 * ```ts
 * let moto: MotoServer;
 * beforeAll(async () => { moto = await startMoto(); });
 * afterAll(() => moto.stop());
 * ```
 */
export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const child: Child = await startChild('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { missingMessage: MOTO_MISSING });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${endpoint}/moto-api/`, child, { timeoutMs: 30_000 });
  } catch (error) {
    await child.stop();
    throw error;
  }
  const env = {
    KELPIE_S3_FORCE_PATH_STYLE: 'true',
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
  return { endpoint, env, s3: () => motoClient(endpoint), stop: () => child.stop() };
}

/** An S3 client for a moto (or any S3-compatible) endpoint, failing fast when it does not answer. */
export function motoClient(endpoint: string): S3Client {
  return createS3Client(
    { KELPIE_S3_FORCE_PATH_STYLE: true },
    {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      requestHandler: { connectionTimeout: 1_000, socketTimeout: 2_000 },
      maxAttempts: 1,
    },
  );
}
