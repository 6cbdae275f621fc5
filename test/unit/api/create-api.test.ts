import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DirJobQueue } from '../../../adapters/fs/dir-job-queue.js';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { createApi } from '../../../core/api/create-api.js';
import type { ApiDeps } from '../../../core/api/types.js';
import { createApiMetrics } from '../../../core/api/prometheus.js';
import type { ApiRequest } from '../../../core/api/types.js';
import { DependencyUnavailableError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/ports/logger.js';

const SAMPLE = join(import.meta.dirname, '../../../samples/coastal-sample.tif');

function makeApi(overrides: Partial<ApiDeps> = {}, store = new MemoryBlobStore()) {
  const metrics = createApiMetrics();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const deps: ApiDeps = {
    config: { env: 'development', apiKeys: [], allowedOrigins: [], maxImagePixels: 1e8 },
    imageStore: store,
    resultStore: store,
    imageStoreName: 'memory',
    clock: { now: () => (now += 1000) },
    logger: silentLogger,
    metrics,
    renderMetrics: () => metrics.render(),
    codeVersion: 'test',
    ...overrides,
  };
  return { api: createApi(deps), store, deps };
}

const request = (method: string, path: string, body?: unknown, extra: Partial<ApiRequest> = {}): ApiRequest => ({
  method,
  path,
  query: {},
  headers: { 'content-type': 'application/json' },
  body: body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body)),
  requestId: 'req-1',
  ...extra,
});

const text = (body: string | Uint8Array) => (typeof body === 'string' ? body : new TextDecoder().decode(body));

describe('createApi', () => {
  it('lists analyses newest first and pages with a cursor', async () => {
    const { api, store } = makeApi();
    const sample = new Uint8Array(await readFile(SAMPLE));
    await store.put('uploads/a.tif', sample);
    const ids: string[] = [];
    for (const method of ['kd', 'fai', 'consensus']) {
      const response = await api(request('POST', '/api/analyses', { source: { key: 'uploads/a.tif' }, method }));
      ids.push(JSON.parse(text(response.body)).id);
    }
    const first = JSON.parse(text((await api({ ...request('GET', '/api/analyses'), query: { limit: '2' } })).body));
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    const second = JSON.parse(text((await api({ ...request('GET', '/api/analyses'), query: { limit: '2', cursor: first.cursor } })).body));
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect(second.cursor).toBeUndefined();
  });

  it('answers 504 when the platform deadline passes during an analysis', async () => {
    const { api, store } = makeApi();
    await store.put('uploads/a.tif', new Uint8Array(await readFile(SAMPLE)));
    const response = await api(request('POST', '/api/analyses', { source: { key: 'uploads/a.tif' } }, { signal: AbortSignal.abort(new Error('deadline')) }));
    expect(response.status).toBe(504);
    expect(JSON.parse(text(response.body)).error.code).toBe('DEADLINE_EXCEEDED');
    expect((await store.list('index/')).items).toEqual([]);
  });

  it('answers a bug with 500 and a request id, never its message or stack', async () => {
    const store = new MemoryBlobStore({ faults: { failOn: (op) => (op === 'get' ? new Error('secret /var/task internals') : undefined) } });
    const logger = { ...silentLogger, error: vi.fn() };
    const { api } = makeApi({ logger }, store);
    const response = await api(request('GET', '/api/analyses/0123456789abcdef0123'));
    expect(response.status).toBe(500);
    expect(text(response.body)).not.toMatch(/secret|internals|at /);
    expect(JSON.parse(text(response.body)).error).toMatchObject({ code: 'INTERNAL', requestId: 'req-1' });
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('reports not ready with the failing check when the store cannot be written', async () => {
    const store = new MemoryBlobStore({ faults: { failOn: (op) => (op === 'put' ? new DependencyUnavailableError('store refuses writes') : undefined) } });
    const { api } = makeApi({}, store);
    const response = await api(request('GET', '/ready'));
    expect(response.status).toBe(503);
    expect(JSON.parse(text(response.body))).toMatchObject({ status: 'not-ready', checks: [{ name: 'store', ok: false, error: 'store refuses writes' }] });
  });

  it('leaves no canary behind when ready', async () => {
    const { api, store } = makeApi();
    const response = await api(request('GET', '/ready'));
    expect(response.status).toBe(200);
    expect((await store.list('')).items).toEqual([]);
  });

  it('reports not ready when the local job queue has no live worker, and ready once one reports', async () => {
    const queue = new DirJobQueue(await mkdtemp(join(tmpdir(), 'kelpie-ready-')));
    const { api } = makeApi({ jobQueue: queue });
    const silent = await api(request('GET', '/ready'));
    expect(silent.status).toBe(503);
    expect(JSON.parse(text(silent.body)).checks).toContainEqual(expect.objectContaining({ name: 'job-worker', ok: false, error: expect.stringContaining('no job worker is running') }));
    await queue.beat();
    expect((await api(request('GET', '/ready'))).status).toBe(200);
  });

  it('warns once that /api is open when no keys are configured', async () => {
    const logger = { ...silentLogger, warn: vi.fn() };
    const { api } = makeApi({ logger });
    await api(request('GET', '/api/analyses'));
    await api(request('GET', '/api/analyses'));
    expect(logger.warn).toHaveBeenCalledOnce();
  });

  it('counts requests by route pattern and status in /metrics', async () => {
    const { api } = makeApi();
    await api(request('GET', '/api/analyses/0123456789abcdef0123'));
    const metrics = text((await api(request('GET', '/metrics'))).body);
    expect(metrics).toContain('kelpie_http_requests_total{route="/api/analyses/{id}",method="GET",status="404"} 1');
  });

  it('answers HEAD like GET without a body', async () => {
    const { api } = makeApi();
    const response = await api(request('HEAD', '/health'));
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
  });
});
