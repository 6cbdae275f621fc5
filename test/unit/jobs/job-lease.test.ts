import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { nodeDeflate } from '../../../adapters/shared/node-compress.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import type { ApiRequest } from '../../../core/api/types.js';
import { openObject } from '../../../core/usecases/analyze-object.js';
import { claimJob } from '../../../core/jobs/job-lease.js';
import type { AnalysisJob } from '../../../core/jobs/job.js';
import { HEARTBEAT_MS, LEASE_MS, READER_MARGIN_MS, startHeartbeat } from '../../../core/jobs/lease.js';
import { JobBusyError, type WorkerDeps, runAnalysisJob } from '../../../core/jobs/run-job.js';
import { type AnalysisStatus, effectiveStatus, readStatus, statusKey } from '../../../core/jobs/status.js';
import type { BlobStore } from '../../../core/ports/blob-store.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { recordingQueue } from '../../helpers/job-queue.js';
import { createSmallApi } from '../../helpers/small-api.js';

const SAMPLE = new URL('../../../samples/coastal-sample.tif', import.meta.url);
const KEY = 'uploads/coastal-sample.tif';
const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('job leases', () => {
  let store: MemoryBlobStore;
  let now: number;
  let job: AnalysisJob;

  const worker = (overrides: Partial<WorkerDeps> = {}): WorkerDeps => ({
    imageStore: store,
    imageStoreName: 'memory://lease',
    resultStore: store,
    clock: { now: () => now },
    logger: silentLogger,
    codeVersion: 'test',
    maxImagePixels: 1e7,
    compress: nodeDeflate(),
    progressIntervalMs: 0,
    stac: () => {
      throw new Error('no STAC here');
    },
    ...overrides,
  });
  /** The job's status as the worker `owner` left it, its heartbeat `silentMs` ago. */
  const runningSince = async (silentMs: number, attempt = 1): Promise<void> => {
    const status: AnalysisStatus = {
      schemaVersion: 1,
      id: job.id,
      kind: 'scene',
      status: 'running',
      submittedAt: new Date(T0).toISOString(),
      updatedAt: new Date(now - silentMs).toISOString(),
      startedAt: new Date(T0).toISOString(),
      heartbeatAt: new Date(now - silentMs).toISOString(),
      owner: 'job-worker:killed',
      attempt,
      source: { key: KEY },
      links: { self: '', status: '' },
    };
    await store.put(statusKey(job.id), JSON.stringify(status));
  };

  beforeEach(async () => {
    store = new MemoryBlobStore();
    now = T0;
    await store.put(KEY, new Uint8Array(await readFile(SAMPLE)));
    const options = parseAnalysisOptions({});
    const { id, info } = await openObject(KEY, options, { imageStore: store, imageStoreName: 'memory://lease' });
    job = { v: 1, kind: 'object', id, key: KEY, etag: info.etag, options, submittedAt: new Date(T0).toISOString() };
  });

  it('lets exactly one of many workers claim a job; the others are told how long its lease has left', async () => {
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => claimJob(job, { store, clock: { now: () => now }, owner: `worker-${i}` })));
    expect(claims.filter((claim) => claim.kind === 'claimed')).toHaveLength(1);
    const busy = claims.filter((claim) => claim.kind === 'busy');
    expect(busy).toHaveLength(5);
    for (const claim of busy) expect(claim.kind === 'busy' && claim.retryAfterMs).toBe(LEASE_MS);
    expect(await readStatus(store, job.id)).toMatchObject({ status: 'running', attempt: 1 });
  });

  it('hands a message back while the worker holding the job is alive', async () => {
    await runningSince(LEASE_MS - 5_000);
    const error = await runAnalysisJob(JSON.stringify(job), worker(), { attempt: 2, maxAttempts: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JobBusyError);
    expect((error as JobBusyError).retryAfterMs).toBe(5_000);
    expect(await readStatus(store, job.id)).toMatchObject({ status: 'running', owner: 'job-worker:killed', attempt: 1 });
  });

  it('takes a job over at once when its worker went silent, counting the attempt', async () => {
    await runningSince(LEASE_MS + 1);
    expect(await runAnalysisJob(JSON.stringify(job), worker({ owner: 'job-worker:new' }), { attempt: 1, maxAttempts: 5 })).toBe('succeeded');
    expect(await readStatus(store, job.id)).toMatchObject({ status: 'succeeded', owner: 'job-worker:new', attempt: 2 });
    expect((await store.list('index/')).items).toHaveLength(1);
  });

  it('stops a worker whose job was taken over, without touching the new owner\u2019s status', async () => {
    // The old worker's first progress write lands after another worker took the job over.
    let tookOver = false;
    const racing: BlobStore = Object.create(store);
    racing.put = async (key, body, options) => {
      if (key === statusKey(job.id) && options?.ifMatch && !tookOver) {
        tookOver = true;
        const current = JSON.parse(new TextDecoder().decode(await store.get(key))) as AnalysisStatus;
        await store.put(key, JSON.stringify({ ...current, owner: 'job-worker:other', attempt: current.attempt + 1 }));
      }
      return store.put(key, body, options);
    };
    expect(await runAnalysisJob(JSON.stringify(job), worker({ resultStore: racing }), { attempt: 1, maxAttempts: 5 })).toBe('superseded');
    expect(await readStatus(store, job.id)).toMatchObject({ status: 'running', owner: 'job-worker:other', attempt: 2 });
  });

  it('renews the heartbeat between progress writes', async () => {
    let beats = 0;
    const stop = startHeartbeat(async () => void beats++, 5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    const counted = beats;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(counted).toBeGreaterThanOrEqual(3);
    expect(beats).toBe(counted);
    expect(HEARTBEAT_MS * 3).toBeLessThanOrEqual(LEASE_MS);
  });

  it('reports a silent worker lost, saying what happens next, once its lease and the readers\u2019 margin have passed', async () => {
    await runningSince(0);
    const status = (await readStatus(store, job.id)) as AnalysisStatus;
    expect(effectiveStatus(status, now + LEASE_MS + READER_MARGIN_MS, 1).status).toBe('running');
    const lost = effectiveStatus(status, now + LEASE_MS + READER_MARGIN_MS + 1, 1);
    expect(lost).toMatchObject({ status: 'failed', error: { code: 'WORKER_LOST', retryable: true } });
    expect(lost.error?.message).toMatch(/attempt 1 stopped without finishing .*takes the job over; POST the same analysis to queue it again now/);
  });

  it('queues a lost job again for exactly one of many POSTs, keeping its attempts', async () => {
    const queue = recordingQueue();
    const { api } = createSmallApi(
      { config: { env: 'test', apiKeys: [], allowedOrigins: [], maxImagePixels: 1e7, syncMaxPixels: 1 }, imageStoreName: 'memory://lease', jobQueue: queue, clock: { now: () => now } },
      store,
    );
    await runningSince(LEASE_MS + READER_MARGIN_MS + 1);
    const post: ApiRequest = { method: 'POST', path: '/api/analyses', query: {}, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify({ source: { key: KEY } })), requestId: 't' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => api(post)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(202));
    expect(new Set(answers.map((answer) => JSON.parse(String(answer.body)).id))).toEqual(new Set([job.id]));
    expect(queue.messages).toHaveLength(1);
    expect(await readStatus(store, job.id)).toMatchObject({ status: 'queued', attempt: 1 });
  });
});
