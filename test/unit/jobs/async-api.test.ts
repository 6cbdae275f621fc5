import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import type { ApiHandler, ApiRequest } from '../../../core/api/types.js';
import { JobBusyError, runAnalysisJob, type WorkerDeps } from '../../../core/jobs/run-job.js';
import { type AnalysisStatus, statusKey } from '../../../core/jobs/status.js';
import { DependencyUnavailableError } from '../../../core/errors.js';
import type { BlobStore } from '../../../core/ports/blob-store.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { createSmallApi } from '../../helpers/small-api.js';
import { observe, pollingOnStatusWrites, recordingQueue } from '../../helpers/job-queue.js';
import { makeSceneTiff } from '../../helpers/tiff.js';

const SAMPLE = new URL('../../../samples/coastal-sample.tif', import.meta.url);
const KEY = 'uploads/coastal sample.tif';
const STALE_MS = 60_000;

const post = (body: unknown, options: { query?: Record<string, string>; headers?: Record<string, string> } = {}): ApiRequest => ({
  method: 'POST',
  path: '/api/analyses',
  query: options.query ?? {},
  headers: { 'content-type': 'application/json', ...options.headers },
  body: new TextEncoder().encode(JSON.stringify(body)),
  requestId: 'test',
});
const get = (path: string): ApiRequest => ({ method: 'GET', path, query: {}, headers: {}, requestId: 'test' });
/** The store, except that reading object bytes fails with `error` (a store outage mid-analysis). */
function readsFailing(store: BlobStore, error: Error): BlobStore {
  const failing: BlobStore = Object.create(store);
  failing.getRange = () => Promise.reject(error);
  return failing;
}
const parse = (response: { body: string | Uint8Array }) => JSON.parse(String(response.body));

describe('asynchronous analyses through the API and the worker', () => {
  let store: MemoryBlobStore;
  let queue: ReturnType<typeof recordingQueue>;
  let now: number;
  let api: ApiHandler;
  let polled: { store: BlobStore; seen: ReturnType<typeof pollingOnStatusWrites>['seen'] };

  const worker = (overrides: Partial<WorkerDeps> = {}): WorkerDeps => ({
    imageStore: store,
    imageStoreName: 'memory://test',
    resultStore: polled.store,
    clock: { now: () => now },
    logger: silentLogger,
    codeVersion: 'test',
    maxImagePixels: 1e7,
    progressIntervalMs: 0,
    stac: () => {
      throw new Error('no STAC in this test');
    },
    ...overrides,
  });
  const makeApi = (syncMaxPixels: number, withQueue = true) =>
    createSmallApi(
      {
        config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 1e7, syncMaxPixels, jobStaleAfterMs: STALE_MS },
        clock: { now: () => now },
        ...(withQueue ? { jobQueue: queue } : {}),
      },
      store,
    ).api;

  beforeEach(async () => {
    store = new MemoryBlobStore();
    queue = recordingQueue();
    now = Date.parse('2026-11-26T08:00:00Z');
    await store.put(KEY, new Uint8Array(await readFile(SAMPLE)));
    api = makeApi(1000);
    polled = pollingOnStatusWrites(store, () => api);
  });

  it('queues a request over the limit (202 + Location), reports progress, and ends with the numbers of a synchronous run', async () => {
    const accepted = await api(post({ source: { key: KEY } }));
    expect(accepted.status).toBe(202);
    const status = parse(accepted) as AnalysisStatus;
    expect(accepted.headers.location).toBe(`/api/analyses/${status.id}`);
    expect(accepted.headers['retry-after']).toBe('2');
    expect(status).toMatchObject({ status: 'queued', kind: 'scene', attempt: 0, estimate: { pixels: 512 * 512, scenes: 1, syncLimit: 1000 } });
    expect(queue.messages).toHaveLength(1);
    expect(observe(await api(get(`/api/analyses/${status.id}`)))).toEqual({ http: 202, state: 'queued' });

    expect(await runAnalysisJob(queue.messages[0], worker(), { attempt: 1, maxAttempts: 5 })).toBe('succeeded');
    const running = polled.seen.filter((o) => o.state === 'running');
    expect(running.length).toBeGreaterThanOrEqual(3);
    expect(running.every((o) => o.http === 202)).toBe(true);
    const percents = running.map((o) => o.percent as number);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size).toBeGreaterThanOrEqual(3);
    expect(polled.seen.at(-1)).toEqual({ http: 200, state: 'succeeded' });

    const done = await api(get(`/api/analyses/${status.id}`));
    expect(done.status).toBe(200);
    const asyncResult = parse(done);
    const statusDoc = parse(await api(get(`/api/analyses/${status.id}/status`)));
    expect(statusDoc).toMatchObject({ status: 'succeeded', attempt: 1, progress: { percent: 100 } });

    // The same request answered within it, on a fresh store: the same analysis, the same numbers.
    const syncStore = new MemoryBlobStore();
    await syncStore.put(KEY, new Uint8Array(await readFile(SAMPLE)));
    const syncApi = createSmallApi({ config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 1e7 } }, syncStore).api;
    const sync = await syncApi(post({ source: { key: KEY } }));
    expect(sync.status).toBe(201);
    const syncResult = parse(sync);
    expect(syncResult.id).toBe(asyncResult.id);
    for (const field of ['kelp', 'biomass', 'carbon', 'pixels'] as const) expect(asyncResult[field]).toEqual(syncResult[field]);
    // The Web Mercator kelp image a web map draws is served like the other artifacts.
    expect(asyncResult.map).toMatchObject({ crs: 'EPSG:3857', kelp: 'map/kelp.png' });
    const png = await api(get(`/api/analyses/${status.id}/map/kelp.png`));
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((await api(get(`/api/analyses/${status.id}/map/fai.png`))).status).toBe(404);
  }, 30_000);

  it('does not start a second job for the same request, nor run a finished job again', async () => {
    const first = parse(await api(post({ source: { key: KEY } })));
    const again = await api(post({ source: { key: KEY } }));
    expect(again.status).toBe(202);
    expect(parse(again).id).toBe(first.id);
    expect(queue.messages).toHaveLength(1);

    expect(await runAnalysisJob(queue.messages[0], worker(), { attempt: 1, maxAttempts: 5 })).toBe('succeeded');
    const resultBefore = await store.get(`results/${first.id}/result.json`);
    expect(await runAnalysisJob(queue.messages[0], worker(), { attempt: 2, maxAttempts: 5 })).toBe('duplicate');
    expect(await store.get(`results/${first.id}/result.json`)).toEqual(resultBefore);
    // Once done, the same POST answers with the result and queues nothing.
    const after = await api(post({ source: { key: KEY } }));
    expect(after.status).toBe(200);
    expect(parse(after).kelp).toBeDefined();
    expect(queue.messages).toHaveLength(1);
  });

  it('honours Idempotency-Key: the same key and body replay the analysis, another body is refused', async () => {
    const headers = { 'idempotency-key': 'b5a4c1f2-7d1e-4f7b-9a51-0e3d0d6f1c11' };
    const first = await api(post({ source: { key: KEY } }, { query: { async: 'true' }, headers }));
    const replay = await api(post({ source: { key: KEY } }, { query: { async: 'true' }, headers }));
    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(parse(replay).id).toBe(parse(first).id);
    expect(queue.messages).toHaveLength(1);

    const other = await api(post({ source: { key: KEY }, method: 'fai' }, { query: { async: 'true' }, headers }));
    expect(other.status).toBe(422);
    expect(parse(other).error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(queue.messages).toHaveLength(1);

    // After 24 h the key is new again; a failed analysis with an expired key is queued afresh.
    now += 24 * 3600_000 + 1;
    const later = await api(post({ source: { key: KEY } }, { query: { async: 'true' }, headers }));
    expect(later.headers['idempotent-replayed']).toBeUndefined();
  });

  it('queues a job that failed in a way a retry may fix again, even for the same key; a final failure is replayed and not rerun', async () => {
    const headers = { 'idempotency-key': 'retry-test-1' };
    const id = parse(await api(post({ source: { key: KEY } }, { query: { async: 'true' }, headers }))).id;
    const failing = worker({ imageStore: readsFailing(store, new DependencyUnavailableError('store down')) });
    await expect(runAnalysisJob(queue.messages[0], failing, { attempt: 5, maxAttempts: 5 })).rejects.toThrow('store down');
    expect(parse(await api(get(`/api/analyses/${id}`)))).toMatchObject({ id, status: 'failed', error: { code: 'DEPENDENCY_UNAVAILABLE', retryable: true } });
    const again = await api(post({ source: { key: KEY } }, { query: { async: 'true' }, headers }));
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(queue.messages).toHaveLength(2);

    await store.put('uploads/empty.tif', await makeSceneTiff({ width: 64, height: 64, pixel: () => ({}) }));
    const emptyHeaders = { 'idempotency-key': 'retry-test-2' };
    parse(await api(post({ source: { key: 'uploads/empty.tif' } }, { query: { async: 'true' }, headers: emptyHeaders })));
    expect(await runAnalysisJob(queue.messages[2], worker(), { attempt: 1, maxAttempts: 5 })).toBe('failed');
    const replay = await api(post({ source: { key: 'uploads/empty.tif' } }, { query: { async: 'true' }, headers: emptyHeaders }));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const fresh = await api(post({ source: { key: 'uploads/empty.tif' } }, { query: { async: 'true' } }));
    expect(fresh.status).toBe(200);
    expect(parse(fresh)).toMatchObject({ status: 'failed', error: { code: 'NO_VALID_DATA' } });
    expect(queue.messages).toHaveLength(3);
  });

  it('hands a message back while another worker runs the job, and runs it once that worker is past its deadline', async () => {
    const id = parse(await api(post({ source: { key: KEY } }, { query: { async: 'true' } }))).id;
    const status = JSON.parse(new TextDecoder().decode(await store.get(statusKey(id)))) as AnalysisStatus;
    const deadlineAt = new Date(now + 30_000).toISOString();
    await store.put(statusKey(id), JSON.stringify({ ...status, status: 'running', attempt: 1, startedAt: new Date(now).toISOString(), deadlineAt }));
    await expect(runAnalysisJob(queue.messages[0], worker(), { attempt: 2, maxAttempts: 5 })).rejects.toBeInstanceOf(JobBusyError);
    expect(parse(await api(get(`/api/analyses/${id}`)))).toMatchObject({ status: 'running', attempt: 1, deadlineAt });
    now += 30_000 + 60_001;
    expect(parse(await api(get(`/api/analyses/${id}`)))).toMatchObject({ status: 'failed', error: { code: 'WORKER_LOST' } });
    expect(await runAnalysisJob(queue.messages[0], worker({ timeoutMs: 900_000 }), { attempt: 3, maxAttempts: 5 })).toBe('succeeded');
    const done = JSON.parse(new TextDecoder().decode(await store.get(statusKey(id)))) as AnalysisStatus;
    expect(done).toMatchObject({ status: 'succeeded', attempt: 2, deadlineAt: new Date(Date.parse(done.startedAt as string) + 900_000).toISOString() });
  });

  it('repairs the listing entry when a finished job is delivered again (a run that died after result.json)', async () => {
    const id = parse(await api(post({ source: { key: KEY } }, { query: { async: 'true' } }))).id;
    expect(await runAnalysisJob(queue.messages[0], worker(), { attempt: 1, maxAttempts: 5 })).toBe('succeeded');
    const [entry] = (await store.list('index/')).items;
    await store.delete(entry.key);
    expect(await runAnalysisJob(queue.messages[0], worker(), { attempt: 2, maxAttempts: 5 })).toBe('duplicate');
    expect((await store.list('index/')).items.map((item) => item.key)).toEqual([entry.key]);
    expect(parse(await api({ method: 'GET', path: '/api/analyses', query: {}, headers: {}, requestId: 't' })).items.map((item: { id: string }) => item.id)).toEqual([id]);
  });

  it('ends a job that runs out of time twice as failed for good, instead of burning its retries', async () => {
    const id = parse(await api(post({ source: { key: KEY } }, { query: { async: 'true' } }))).id;
    const timedOut = () => readsFailing(store, new DOMException('no answer within 1000 ms', 'TimeoutError'));
    await expect(runAnalysisJob(queue.messages[0], worker({ imageStore: timedOut() }), { attempt: 1, maxAttempts: 5 })).rejects.toThrow();
    expect(parse(await api(get(`/api/analyses/${id}`)))).toMatchObject({ status: 'queued', error: { code: 'DEADLINE_EXCEEDED', retryable: true } });
    expect(await runAnalysisJob(queue.messages[0], worker({ imageStore: timedOut() }), { attempt: 2, maxAttempts: 5 })).toBe('failed');
    const failed = parse(await api(get(`/api/analyses/${id}`)));
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'DEADLINE_EXCEEDED', retryable: false } });
    expect(failed.error.message).toMatch(/did not finish within the worker's time limit in 2 attempts/);
  });

  it('records an unusable image as failed with the error, and acknowledges the message', async () => {
    await store.put('uploads/empty.tif', await makeSceneTiff({ width: 64, height: 64, pixel: () => ({}) }));
    const accepted = parse(await api(post({ source: { key: 'uploads/empty.tif' } }, { query: { async: 'true' } })));
    expect(await runAnalysisJob(queue.messages[0], worker(), { attempt: 1, maxAttempts: 5 })).toBe('failed');
    const view = await api(get(`/api/analyses/${accepted.id}`));
    expect(view.status).toBe(200);
    expect(parse(view)).toMatchObject({ status: 'failed', error: { code: 'NO_VALID_DATA', retryable: false } });
    expect(parse(view).error.message).toMatch(/no valid pixel/);
    // A re-delivered message does not run it again.
    expect(await runAnalysisJob(queue.messages[0], worker(), { attempt: 2, maxAttempts: 5 })).toBe('duplicate');
  });

  it('a header that is not a TIFF is refused at once (422), without a job', async () => {
    await store.put('uploads/notes.tif', 'not a tiff at all');
    const response = await api(post({ source: { key: 'uploads/notes.tif' } }, { query: { async: 'true' } }));
    expect(response.status).toBe(422);
    expect(parse(response).error.code).toBe('NOT_A_TIFF');
    expect(queue.messages).toHaveLength(0);
  });

  it('puts a transiently failed job back to queued with the error, and fails it on the last attempt', async () => {
    const id = parse(await api(post({ source: { key: KEY } }, { query: { async: 'true' } }))).id;
    const down = readsFailing(store, new DependencyUnavailableError('the store is down'));
    await expect(runAnalysisJob(queue.messages[0], worker({ imageStore: down }), { attempt: 1, maxAttempts: 3 })).rejects.toThrow('the store is down');
    expect(parse(await api(get(`/api/analyses/${id}`)))).toMatchObject({ status: 'queued', attempt: 1, error: { retryable: true } });
    await expect(runAnalysisJob(queue.messages[0], worker({ imageStore: down }), { attempt: 3, maxAttempts: 3 })).rejects.toThrow();
    const failed = parse(await api(get(`/api/analyses/${id}`)));
    expect(failed).toMatchObject({ status: 'failed', attempt: 2 });
    expect(failed.error.message).toMatch(/gave up after 3 attempts/);
  });

  it('reports a running job older than the worker timeout as failed, and queues it again on request', async () => {
    const id = parse(await api(post({ source: { key: KEY } }, { query: { async: 'true' } }))).id;
    const status = JSON.parse(new TextDecoder().decode(await store.get(statusKey(id)))) as AnalysisStatus;
    await store.put(statusKey(id), JSON.stringify({ ...status, status: 'running', attempt: 1, startedAt: new Date(now).toISOString() }));
    expect(parse(await api(get(`/api/analyses/${id}`))).status).toBe('running');
    now += STALE_MS + 1;
    const stale = await api(get(`/api/analyses/${id}`));
    expect(stale.status).toBe(200);
    expect(parse(stale)).toMatchObject({ status: 'failed', error: { code: 'WORKER_LOST' } });
    const again = await api(post({ source: { key: KEY } }, { query: { async: 'true' } }));
    expect(again.status).toBe(202);
    expect(queue.messages).toHaveLength(2);
  });

  it('answers 503 when the queue refuses the job, and records why', async () => {
    queue.failNext = new Error('throttled');
    const response = await api(post({ source: { key: KEY } }, { query: { async: 'true' } }));
    expect(response.status).toBe(503);
    // The queue's own words stay in the log: they can name accounts and roles.
    expect(parse(response).error.message).toMatch(/could not be queued/);
    expect(String(response.body)).not.toContain('throttled');
  });

  it('without a queue: small and large requests run within the request, async=true is refused with the setting to fix', async () => {
    const noQueue = makeApi(1000, false);
    expect((await noQueue(post({ source: { key: KEY } }, { query: { async: 'true' } }))).status).toBe(503);
    expect((await noQueue(post({ source: { key: KEY } }))).status).toBe(201);
  });

  it('refuses a bad async flag and a bad Idempotency-Key by name', async () => {
    const flag = await api(post({ source: { key: KEY } }, { query: { async: 'maybe' } }));
    expect(flag.status).toBe(400);
    expect(parse(flag).error.message).toMatch(/async must be true or false/);
    const key = await api(post({ source: { key: KEY } }, { headers: { 'idempotency-key': 'has spaces in it' } }));
    expect(key.status).toBe(400);
    expect(parse(key).error.message).toMatch(/Idempotency-Key/);
  });

  it('fails a job whose id this worker would not derive (API and worker on different stores), naming the settings', async () => {
    parse(await api(post({ source: { key: KEY } }, { query: { async: 'true' } })));
    expect(await runAnalysisJob(queue.messages[0], worker({ imageStoreName: 's3://another-bucket' }), { attempt: 1, maxAttempts: 5 })).toBe('failed');
    const id = JSON.parse(queue.messages[0]).id;
    const view = parse(await api(get(`/api/analyses/${id}`)));
    expect(view).toMatchObject({ status: 'failed', error: { code: 'CONFLICT', retryable: false } });
    expect(view.error.message).toMatch(/same store and catalog settings/);
  });

  it('drops a message that is not a job, and 404s an unknown id', async () => {
    expect(await runAnalysisJob('{"hello":1}', worker(), { attempt: 1, maxAttempts: 5 })).toBe('dropped');
    expect((await api(get('/api/analyses/0123456789abcdef0123'))).status).toBe(404);
    expect((await api(get('/api/analyses/0123456789abcdef0123/status'))).status).toBe(404);
  });
});
