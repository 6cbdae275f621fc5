import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsJobHandler, retryDelayS } from '../../../adapters/aws/job-handler.js';
import type { JobWorker } from '../../../adapters/shared/job-worker.js';
import { DirJobQueue } from '../../../adapters/fs/dir-job-queue.js';
import { startLocalJobRunner } from '../../../adapters/local/job-runner.js';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { DependencyUnavailableError } from '../../../core/errors.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { LEASE_MS } from '../../../core/jobs/lease.js';
import { readStatus, statusKey } from '../../../core/jobs/status.js';
import { openObject } from '../../../core/usecases/analyze-object.js';
import { nodeDeflate } from '../../../adapters/shared/node-compress.js';
import { silentLogger } from '../../../core/ports/logger.js';

const ID = '0123456789abcdef0123';
const job = (key = 'uploads/missing.tif') => JSON.stringify({ v: 1, kind: 'object', id: ID, key, options: {}, submittedAt: new Date().toISOString() });

/** A worker over a memory store where reads fail like an outage when `down` is set. */
function testWorker(store = new MemoryBlobStore(), maxAttempts = 2): JobWorker & { store: MemoryBlobStore; down: boolean } {
  const worker = {
    store,
    down: false,
    logger: silentLogger,
    timeoutMs: 60_000,
    maxAttempts,
    deps: {
      imageStore: Object.assign(Object.create(store), {
        head: (key: string) => (worker.down ? Promise.reject(new DependencyUnavailableError('store down')) : store.head(key)),
      }),
      imageStoreName: 'memory://',
      resultStore: store,
      clock: { now: () => Date.now() },
      logger: silentLogger,
      codeVersion: 'test',
      maxImagePixels: 1e6,
      progressIntervalMs: 0,
      stac: () => {
        throw new Error('no stac');
      },
    },
  };
  return worker;
}

describe('the local folder queue and its runner', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kelpie-queue-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('delivers in order, once, and redelivers what a stopped worker held', async () => {
    const queue = new DirJobQueue(dir);
    await queue.send('first');
    await queue.send('second');
    const a = await queue.claim();
    expect(a).toMatchObject({ body: 'first', attempt: 1 });
    await a?.ack();
    const b = await queue.claim();
    expect(b?.body).toBe('second');
    expect(await queue.claim()).toBeUndefined();
    // b is neither acked nor retried: its worker "died". A new runner recovers it.
    expect(await new DirJobQueue(dir).recover()).toBe(1);
    expect((await queue.claim())?.body).toBe('second');
  });

  it('runs a job that fails for good once (failed status), and parks a transiently failing one in dead/ after its attempts', async () => {
    const worker = testWorker();
    const queue = new DirJobQueue(dir);
    await queue.send(job());
    const runner = startLocalJobRunner({ queue, worker, logger: silentLogger, pollMs: 10, retryDelayMs: 1 });
    await runner.idle();
    expect(await readStatus(worker.store, ID)).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND', retryable: false } });

    worker.down = true;
    await worker.store.delete(`results/${ID}/status.json`);
    await queue.send(job());
    await runner.idle();
    await runner.idle();
    await runner.stop();
    expect(await readdir(path.join(dir, 'dead'))).toHaveLength(1);
    expect(await readStatus(worker.store, ID)).toMatchObject({ status: 'failed', attempt: 2, error: { code: 'DEPENDENCY_UNAVAILABLE', retryable: true } });
    expect((await readStatus(worker.store, ID))?.error?.message).toMatch(/gave up after 2 attempts/);
  });
});

describe('a job whose worker was killed, after the local service restarts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kelpie-queue-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is handed back (not counted) while the dead worker\u2019s heartbeat is fresh, then taken over and finished as attempt 2', async () => {
    const store = new MemoryBlobStore();
    const key = 'uploads/coastal-sample.tif';
    await store.put(key, new Uint8Array(await readFile(new URL('../../../samples/coastal-sample.tif', import.meta.url))));
    const options = parseAnalysisOptions({});
    const { id, info } = await openObject(key, options, { imageStore: store, imageStoreName: 'memory://' });
    // The killed run: status running, its last heartbeat a little less than a lease ago; its message left in running/.
    const lastBeat = new Date(Date.now() - LEASE_MS + 400).toISOString();
    const running = { schemaVersion: 1, id, kind: 'scene', status: 'running', submittedAt: lastBeat, updatedAt: lastBeat, startedAt: lastBeat, heartbeatAt: lastBeat, owner: 'job-worker:killed', attempt: 1, source: { key }, links: { self: '', status: '' } };
    await store.put(statusKey(id), JSON.stringify(running));
    const queue = new DirJobQueue(dir);
    await queue.send(JSON.stringify({ v: 1, kind: 'object', id, key, etag: info.etag, options, submittedAt: lastBeat }));
    await queue.claim(); // held by the killed run

    const worker = testWorker(store, 2);
    worker.deps = { ...worker.deps, imageStore: store, compress: nodeDeflate() } as typeof worker.deps;
    const runner = startLocalJobRunner({ queue: new DirJobQueue(dir), worker, logger: silentLogger, pollMs: 20, retryDelayMs: 1 });
    await runner.idle();
    await runner.stop();

    expect(await readStatus(store, id)).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(await readdir(path.join(dir, 'dead')).catch(() => [])).toEqual([]);
    expect((await store.list('index/')).items).toHaveLength(1);
  });
});

describe('the AWS job handler', () => {
  const record = (messageId: string, body: string, receiveCount = '1') => ({
    messageId,
    receiptHandle: 'r',
    body,
    attributes: { ApproximateReceiveCount: receiveCount, SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:jobs',
    awsRegion: 'us-east-1',
  });

  it('lists only transient failures and messages it had no time to start, and hands them back with a backoff', async () => {
    const worker = testWorker(new MemoryBlobStore(), 5);
    const handedBack: Array<[string, number]> = [];
    const handler = createAwsJobHandler(() => worker, { retryLater: async (handle, delayS) => void handedBack.push([handle, delayS]) });
    worker.down = true;
    const failing = await handler({ Records: [record('down', job()), record('junk', 'not a job')] }, { getRemainingTimeInMillis: () => 600_000 });
    expect(failing).toEqual({ batchItemFailures: [{ itemIdentifier: 'down' }] });
    expect(await readStatus(worker.store, ID)).toMatchObject({ status: 'queued', error: { retryable: true } });

    worker.down = false;
    const late = await handler({ Records: [record('late', job())] }, { getRemainingTimeInMillis: () => 5_000 });
    expect(late).toEqual({ batchItemFailures: [{ itemIdentifier: 'late' }] });
    const done = await handler({ Records: [record('again', job(), '2')] }, { getRemainingTimeInMillis: () => 600_000 });
    expect(done).toEqual({ batchItemFailures: [] });
    expect(await readStatus(worker.store, ID)).toMatchObject({ status: 'failed', attempt: 2, error: { code: 'NOT_FOUND' } });
    expect(handedBack).toEqual([['r', 30], ['r', 30]]);
  });

  it('backs off 30 s doubling per receive, at most 15 minutes, and survives a failed hand-back', async () => {
    expect([1, 2, 3, 4, 5, 10].map(retryDelayS)).toEqual([30, 60, 120, 240, 480, 900]);
    const worker = testWorker(new MemoryBlobStore(), 5);
    worker.down = true;
    const handler = createAwsJobHandler(() => worker, { retryLater: () => Promise.reject(new Error('sqs down')) });
    expect(await handler({ Records: [record('down', job(), '3')] }, { getRemainingTimeInMillis: () => 600_000 })).toEqual({ batchItemFailures: [{ itemIdentifier: 'down' }] });
  });
});
