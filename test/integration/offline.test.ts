import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, freePort, groupAlive, startChild, waitForHttp } from '../helpers/processes.js';
import { REPO_ROOT, serverlessTestEnv } from '../helpers/serverless.js';

const API_KEY = 'offline-test-key-0123456789abcdef';
const SAMPLE_KEY = 'uploads/coastal-sample.tif';
const ALLOWED_ORIGIN = 'https://kelp.example.org';

/**
 * `npm start` for real: scripts/start-local.mjs seeds a temporary KELPIE_DATA_DIR with the sample
 * and runs `serverless offline` (stage local) on free 127.0.0.1 ports; requests go over HTTP.
 */
describe('serverless offline (npm start)', () => {
  let child: Child;
  let base: string;
  let dataDir: string;
  let id: string;

  const call = (method: string, route: string, init: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string>; key?: boolean } = {}) =>
    fetch(`${base}${route}`, {
      method,
      headers: { ...(init.key === false ? {} : { 'x-api-key': API_KEY }), ...init.headers },
      body: init.body,
    });
  const postJson = (route: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => call('POST', route, { body, headers });
  const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kelpie-offline-'));
    const [http, lambda, websocket] = [await freePort(), await freePort(), await freePort()];
    base = `http://127.0.0.1:${http}`;
    child = await startChild(process.execPath, ['scripts/start-local.mjs'], {
      cwd: REPO_ROOT,
      env: serverlessTestEnv('offline', {
        KELPIE_DATA_DIR: dataDir,
        KELPIE_API_KEYS: API_KEY,
        KELPIE_ALLOWED_ORIGINS: ALLOWED_ORIGIN,
        KELPIE_OFFLINE_HOST: '127.0.0.1',
        KELPIE_OFFLINE_HTTP_PORT: String(http),
        KELPIE_OFFLINE_LAMBDA_PORT: String(lambda),
        KELPIE_OFFLINE_WEBSOCKET_PORT: String(websocket),
      }),
    });
    await waitForHttp(`${base}/health`, child, { timeoutMs: 120_000, accept: (status) => status === 200 });
  });

  afterAll(async () => {
    await child?.stop();
    if (child?.process.pid) expect(groupAlive(child.process.pid)).toBe(false); // no orphans
    await rm(dataDir, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, `.esbuild/test-offline-${process.pid}`), { recursive: true, force: true });
  });

  it('runs an analysis asynchronously with the in-process worker (202, then the result)', async () => {
    // Another area mode than the other tests, so this is a new analysis, not a stored one.
    const body = JSON.stringify({ source: { key: SAMPLE_KEY }, areaMode: 'fractional' });
    const accepted = await postJson('/api/analyses?async=true', body, { 'content-type': 'application/json', 'idempotency-key': `offline-${process.pid}` });
    expect(accepted.status).toBe(202);
    const status = (await accepted.json()) as { id: string; status: string };
    expect(status.status).toBe('queued');
    expect(accepted.headers.get('location')).toBe(`/api/analyses/${status.id}`);
    const states: string[] = [];
    let response: Response;
    const deadline = Date.now() + 90_000;
    for (;;) {
      response = await call('GET', `/api/analyses/${status.id}`);
      const json = (await response.clone().json()) as { status?: string; kelp?: unknown };
      states.push(json.kelp ? 'succeeded' : String(json.status));
      if (response.status !== 202 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(response.status, `states seen: ${states.join(' → ')}`).toBe(200);
    const result = (await response.json()) as { id: string; kelp: { areaMode: string; areaHa: number } };
    expect(result).toMatchObject({ id: status.id, kelp: { areaMode: 'fractional' } });
    expect(result.kelp.areaHa).toBeGreaterThan(0);
    const final = (await (await call('GET', `/api/analyses/${status.id}/status`)).json()) as { status: string; attempt: number };
    expect(final).toMatchObject({ status: 'succeeded', attempt: 1 });
    // The same key and body again: the same analysis, replayed.
    const replay = await postJson('/api/analyses?async=true', body, { 'content-type': 'application/json', 'idempotency-key': `offline-${process.pid}` });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('serves GET /health at the root, without a stage prefix', async () => {
    const response = await call('GET', '/health', { key: false });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toMatchObject({ status: 'ok', environment: 'development' });
  });

  it('gives every local request its own request id, not serverless offline’s shared placeholder', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await call('GET', '/health', { key: false })).headers.get('x-request-id')));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('analyses the seeded sample: 201, then 200 with the same id on repeat', async () => {
    const body = JSON.stringify({ source: { key: SAMPLE_KEY } });
    const first = await postJson('/api/analyses', body);
    expect(first.status).toBe(201);
    id = ((await first.json()) as { id: string }).id;
    const again = await postJson('/api/analyses', body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(id);
  });

  it('returns the stored result', async () => {
    const response = await call('GET', `/api/analyses/${id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id, kelp: { areaHa: expect.any(Number) } });
  });

  it('downloads kelp-mask.tif as GeoTIFF bytes', async () => {
    const response = await call('GET', `/api/analyses/${id}/kelp-mask.tif`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/tiff/);
    expect([...new Uint8Array(await response.arrayBuffer()).subarray(0, 4)]).toEqual([0x49, 0x49, 0x2a, 0x00]);
  });

  it('answers 401 without the API key', async () => {
    const response = await call('GET', '/api/analyses', { key: false });
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('UNAUTHORIZED');
  });

  it('answers malformed JSON with 400 MALFORMED_REQUEST', async () => {
    const response = await postJson('/api/analyses', '{"source": {"key": ');
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('MALFORMED_REQUEST');
  });

  it('answers a 1.1 MB body with 413', async () => {
    const response = await postJson('/api/analyses', JSON.stringify({ source: { key: SAMPLE_KEY }, note: 'x'.repeat(1_100_000) }));
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await postJson('/api/analyses', 'source=uploads/coastal-sample.tif', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body sent without a content type with 415, not as JSON', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ source: { key: SAMPLE_KEY } })); // bytes: fetch adds no type
    const response = await call('POST', '/api/analyses', { body });
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers CORS itself: another origin gets no CORS headers, preflight or not, and nothing allows credentials', async () => {
    const preflight = { origin: 'https://evil.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };
    const answers = [await call('OPTIONS', '/api/analyses', { headers: preflight, key: false }), await call('GET', '/health', { headers: { origin: 'https://evil.example.com' }, key: false })];
    for (const response of answers) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
    expect(answers[0].status).toBe(204);
  });

  it('answers a preflight from KELPIE_ALLOWED_ORIGINS as the API does on every platform (204, no credentials)', async () => {
    const response = await call('OPTIONS', '/api/analyses', { headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' }, key: false });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers an unknown id with 404', async () => {
    const response = await call('GET', '/api/analyses/0123456789abcdef0123');
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe('NOT_FOUND');
  });

  it('takes an upload through its presigned URL and analyses it', async () => {
    const presigned = await postJson('/api/uploads', JSON.stringify({ filename: 'Monterey Bay.tif' }));
    expect(presigned.status).toBe(201);
    const { key, upload } = (await presigned.json()) as { key: string; upload: { url: string; method: string; headers: Record<string, string> } };
    expect(upload.url.startsWith(`${base}/local-uploads/`)).toBe(true);

    const sample = new Uint8Array(await readFile(path.join(REPO_ROOT, 'samples/coastal-sample.tif')));
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: sample });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ key, size: sample.byteLength });

    const analysed = await postJson('/api/analyses', JSON.stringify({ source: { key } }));
    expect(analysed.status).toBe(201);
  });
});
