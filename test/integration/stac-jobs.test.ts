import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import type { ApiHandler } from '../../core/api/types.js';
import { runAnalysisJob, type WorkerDeps } from '../../core/jobs/run-job.js';
import { silentLogger } from '../../core/ports/logger.js';
import type { BandExecutor } from '../../core/ports/band-executor.js';
import type { StacRuntime } from '../../core/stac/stac-runtime.js';
import { pollingOnStatusWrites, recordingQueue } from '../helpers/job-queue.js';
import { createSmallApi } from '../helpers/small-api.js';
import { AOI, fixtureRuntime, startFixtureServer } from '../helpers/stac-setup.js';
import type { StacServer } from '../helpers/stac-server.js';

/**
 * STAC analyses through the job queue, against the local STAC fixture server (real COGs read
 * over HTTP): a series and a single scene queued by the API, run by the worker from the message
 * the API sent, and compared with the same requests answered within the request.
 */
let server: StacServer;
let runtime: StacRuntime;
const JULY = { start: '2023-06-01', end: '2023-08-31', maxCloudCover: 30 };

async function post(handler: ApiHandler, body: unknown, query: Record<string, string> = {}) {
  const response = await handler({ method: 'POST', path: '/api/analyses', query, headers: { 'content-type': 'application/json' }, json: body, requestId: 'r1' });
  return { status: response.status, headers: response.headers, body: JSON.parse(String(response.body)) };
}
async function get(handler: ApiHandler, path: string) {
  const response = await handler({ method: 'GET', path, query: {}, headers: {}, requestId: 'r2' });
  return { status: response.status, body: JSON.parse(String(response.body)) };
}

beforeAll(async () => {
  ({ server } = await startFixtureServer());
  runtime = fixtureRuntime(server.earthSearchUrl);
});
afterAll(() => server.close());

function setup() {
  const store = new MemoryBlobStore();
  const queue = recordingQueue();
  const polled = pollingOnStatusWrites(store, () => api);
  const api = createSmallApi({ stac: runtime, jobQueue: queue, config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 2e8, syncMaxPixels: 1_000_000 } }, store).api;
  const worker: WorkerDeps = {
    imageStore: store,
    imageStoreName: 'memory://test',
    resultStore: polled.store,
    clock: { now: () => Date.now() },
    logger: silentLogger,
    codeVersion: 'test',
    maxImagePixels: 2e8,
    progressIntervalMs: 0,
    stac: () => runtime,
  };
  return { api, queue, worker, seen: polled.seen };
}

describe('asynchronous STAC analyses', () => {
  it('queues a series over the limit, reports progress scene by scene, and stores the same summary a synchronous run gives', async () => {
    const { api, queue, worker, seen } = setup();
    const body = { source: { stac: { point: AOI.kelp, bufferKm: 1, ...JULY, series: true } } };
    const accepted = await post(api, body);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ kind: 'series', status: 'queued', estimate: { scenes: 4 } });
    expect(JSON.parse(queue.messages[0])).toMatchObject({ kind: 'stac-series', id: accepted.body.id });

    expect(await runAnalysisJob(queue.messages[0], worker, { attempt: 1, maxAttempts: 5 })).toBe('succeeded');
    const steps = seen.filter((o) => o.state === 'running').map((o) => o.step ?? '');
    expect(steps.some((step) => /^scene 1 of 4: /.test(step))).toBe(true);
    expect(steps.some((step) => /^scene 4 of 4: /.test(step))).toBe(true);
    const percents = seen.filter((o) => o.state === 'running').map((o) => o.percent as number);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));

    const done = await get(api, `/api/analyses/${accepted.body.id}`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ kind: 'series', id: accepted.body.id });

    const { api: syncApi } = createSmallApi({ stac: runtime, config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 2e8 } });
    const sync = await post(syncApi, body);
    expect(sync.status).toBe(200);
    const areas = (series: { scenes: Array<{ date: string; kelpAreaHa?: number; status: string }> }) => series.scenes.map((s) => [s.date, s.kelpAreaHa ?? s.status]);
    expect(areas(done.body)).toEqual(areas(sync.body));
    expect(done.body.kelpAreaHa).toEqual(sync.body.kelpAreaHa);
  });

  it('runs the scenes of a series as many at once as the pool has workers, with the same summary and progress that only grows', async () => {
    const { api, queue, worker, seen } = setup();
    const body = { source: { stac: { point: AOI.kelp, bufferKm: 1, ...JULY, series: true } } };
    const accepted = await post(api, body);
    // Scenes in flight: those with a band URL being signed (slowly) right now.
    const signing = new Map<string, number>();
    let peak = 0;
    // A pool of two whose scans stay in-process (the AOI is small): only the scenes run two at a time.
    const executor: BandExecutor = { parallelism: 2, minPixels: Number.POSITIVE_INFINITY, run: () => Promise.reject(new Error('not used')) };
    const catalog = runtime.catalog;
    const counting: StacRuntime = {
      ...runtime,
      catalog: {
        url: catalog.url,
        search: catalog.search.bind(catalog),
        signHref: async (item, href, options) => {
          signing.set(item.id, (signing.get(item.id) ?? 0) + 1);
          peak = Math.max(peak, signing.size);
          await new Promise((resolve) => setTimeout(resolve, 50));
          const left = (signing.get(item.id) ?? 1) - 1;
          if (left) signing.set(item.id, left);
          else signing.delete(item.id);
          return catalog.signHref(item, href, options);
        },
      },
    };
    expect(await runAnalysisJob(queue.messages[0], { ...worker, executor, stac: () => counting }, { attempt: 1, maxAttempts: 5 })).toBe('succeeded');
    expect(peak).toBe(2);
    const percents = seen.filter((o) => o.state === 'running').map((o) => o.percent as number);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const done = await get(api, `/api/analyses/${accepted.body.id}`);
    const { api: syncApi } = createSmallApi({ stac: runtime, config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 2e8 } });
    const sync = await post(syncApi, body);
    expect(done.body.scenes.map((scene: { sceneId: string }) => scene.sceneId)).toEqual(sync.body.scenes.map((scene: { sceneId: string }) => scene.sceneId));
    expect(done.body.kelpAreaHa).toEqual(sync.body.kelpAreaHa);
  });

  it('queues one scene with the item the API chose, and the worker analyses that scene', async () => {
    const { api, queue, worker } = setup();
    const body = { source: { stac: { point: AOI.kelp, bufferKm: 1, ...JULY } }, method: 'fai' };
    const accepted = await post(api, body, { async: 'true' });
    expect(accepted.status).toBe(202);
    const job = JSON.parse(queue.messages[0]);
    expect(job).toMatchObject({ kind: 'stac', item: { id: 'S2X_COAST_20230701' } });
    expect(job.item.links).toBeUndefined();
    expect(await runAnalysisJob(queue.messages[0], worker, { attempt: 1, maxAttempts: 5 })).toBe('succeeded');
    const done = await get(api, `/api/analyses/${accepted.body.id}`);
    expect(done.body).toMatchObject({ id: accepted.body.id, source: { sceneId: 'S2X_COAST_20230701' }, method: { name: 'fai' } });

    const { api: syncApi } = createSmallApi({ stac: runtime, config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 2e8 } });
    const sync = await post(syncApi, body);
    expect(sync.body.id).toBe(accepted.body.id);
    expect(done.body.kelp).toEqual(sync.body.kelp);
  });

  it('answers 404 at once when the catalog has no scene, without a job', async () => {
    const { api, queue } = setup();
    const { status } = await post(api, { source: { stac: { point: AOI.kelp, start: '2019-01-01', end: '2019-01-31' } } }, { async: 'true' });
    expect(status).toBe(404);
    expect(queue.messages).toHaveLength(0);
  });
});
