import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SERVERLESS_BIN, serverlessTestEnv } from '../helpers/serverless.js';
import { seedLocal } from '../../scripts/seed-local.mjs';

const run = promisify(execFile);

/** The handler's result: the last pretty-printed JSON object `sls invoke local` writes. */
function resultOf(stdout: string): { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean } {
  const start = stdout.lastIndexOf('\n{\n');
  return JSON.parse(stdout.slice(start < 0 ? stdout.indexOf('{') : start + 1));
}

/** Runs `sls invoke local --stage local -f api -p <event>`; `stage local` is KELPIE_STORE=fs, development. */
async function invokeLocal(event: string, env: Record<string, string>) {
  return run(process.execPath, [SERVERLESS_BIN, 'invoke', 'local', '--stage', 'local', '-f', 'api', '-p', `events/aws/${event}`], {
    cwd: REPO_ROOT,
    env: serverlessTestEnv('invoke', env),
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

describe('sls invoke local', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kelpie-invoke-'));
    await seedLocal(dataDir);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, `.esbuild/test-invoke-${process.pid}`), { recursive: true, force: true });
  });

  it('answers GET /health (HTTP API v2 event) with 200', async () => {
    const { stdout } = await invokeLocal('http-v2-get-health.json', { KELPIE_DATA_DIR: dataDir });
    const result = resultOf(stdout);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok', environment: 'development' });
  });

  it('analyses the seeded sample from a base64-encoded REST v1 event', async () => {
    const { stdout } = await invokeLocal('rest-v1-post-analyses-base64.json', { KELPIE_DATA_DIR: dataDir });
    const result = resultOf(stdout);
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body).kelp.areaHa).toBeGreaterThan(0);
  });
});
