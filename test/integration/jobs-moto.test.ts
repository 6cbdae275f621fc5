/**
 * Asynchronous analyses end to end on AWS, against a real moto_server (S3 and SQS) started here:
 * the deployed Lambda handlers (functions/http-api.aws.ts and functions/analyze-job.aws.ts, composed
 * from the environment as in serverless.yml) with the job queue on moto's SQS. The test plays
 * Lambda's event source mapping: it receives the real message from the queue and invokes the worker
 * with it, while a client polls the API.
 */
import { parseAnalysisOptions } from '../../core/analysis/options.js';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse } from 'aws-lambda';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { SqsJobQueue } from '../../adapters/aws/sqs-job-queue.js';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { systemClock } from '../../core/ports/clock.js';
import { silentLogger } from '../../core/ports/logger.js';
import { analyzeObject } from '../../core/usecases/analyze-object.js';
import { createSampleScene } from '../../core/sample/scene.js';
import { decode, httpEvent } from '../contract/invokers/aws.js';
import type { ContractRequest } from '../contract/invoker.js';
import { fakeLambdaContext } from '../helpers/lambda-context.js';
import { type MotoQueue, type MotoSqs, type ReceivedMessage, motoSqs, toLambdaSqsEvent } from '../helpers/moto-sqs.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { makeSceneTiff } from '../helpers/tiff.js';

const BUCKET = `kelpie-jobs-${process.pid}`;
const API_KEY = 'jobs-test-key-0123456789';
const LARGE = 'uploads/season scene.tif';
const SMALL = 'uploads/coastal-sample.tif';
const EMPTY = 'uploads/all nodata.tif';

let moto: MotoServer;
let sqs: MotoSqs;
let queue: MotoQueue;
let scratch: string;
let api: (request: ContractRequest) => Promise<{ status: number; headers: Record<string, string>; json: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies of several shapes
let worker: (messages: ReceivedMessage[]) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  moto = await startMoto();
  sqs = motoSqs(moto.endpoint);
  scratch = await mkdtemp(path.join(tmpdir(), 'kelpie-jobs-'));
  // 1024² pixels: four strips of progress, and over the synchronous limit set below.
  const [large] = await writeSampleScene(createSampleScene({ width: 1024, height: 1024, seed: 3 }), scratch);
  await moto.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
  const put = (Key: string, Body: Uint8Array) => moto.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put(LARGE, new Uint8Array(await readFile(large)));
  await put(SMALL, new Uint8Array(await readFile(new URL('../../samples/coastal-sample.tif', import.meta.url))));
  await put(EMPTY, await makeSceneTiff({ width: 1100, height: 1000, pixel: () => ({}) }));
  queue = await sqs.createQueue(`kelpie-jobs-${process.pid}`);

  Object.assign(process.env, {
    KELPIE_ENV: 'production',
    KELPIE_API_KEYS: API_KEY,
    KELPIE_STORE: 's3',
    KELPIE_BUCKET: BUCKET,
    ...moto.env,
    KELPIE_JOB_QUEUE: 'sqs',
    KELPIE_JOB_QUEUE_URL: queue.url,
    KELPIE_SYNC_MAX_PIXELS: '1000000',
    KELPIE_PROGRESS_INTERVAL_MS: '0',
    KELPIE_JOB_MAX_ATTEMPTS: '3',
    KELPIE_LOG_LEVEL: 'error',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const http = (await import('../../functions/http-api.aws.js')).handler;
  const job = (await import('../../functions/analyze-job.aws.js')).handler;
  api = async (request) => {
    const response = decode((await http(httpEvent({ ...request, headers: { 'x-api-key': API_KEY, ...request.headers } }), fakeLambdaContext({ remainingMs: 29_000 }), () => undefined)) as never);
    return { status: response.status, headers: response.headers, json: JSON.parse(new TextDecoder().decode(response.body)) };
  };
  worker = (messages) => job(toLambdaSqsEvent(messages, queue.arn), fakeLambdaContext({ remainingMs: 900_000 }));
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const create = (key: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  api({ method: 'POST', path: '/api/analyses', query, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ source: { key } }) });
const poll = (id: string) => api({ method: 'GET', path: `/api/analyses/${id}` });

/** Runs the worker on `messages` while a client polls `id` every few ms; what it saw, in order. */
async function runWhilePolling(id: string, messages: ReceivedMessage[]) {
  const seen: Array<{ http: number; state: string; percent?: number }> = [];
  let done = false;
  const polling = (async () => {
    while (!done) {
      const { status, json } = await poll(id);
      seen.push({ http: status, state: json.kelp ? 'succeeded' : json.status, percent: json.progress?.percent });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const response = await worker(messages).finally(() => {
    done = true;
  });
  await polling;
  const { status, json } = await poll(id);
  seen.push({ http: status, state: json.kelp ? 'succeeded' : json.status, percent: json.progress?.percent });
  return { response, seen };
}

describe('asynchronous analyses on AWS (API Gateway → Lambda → SQS → Lambda), on moto', () => {
  let largeId: string;

  it('answers a small image within the request (201), as before', async () => {
    const response = await create(SMALL);
    expect(response.status).toBe(201);
    expect(response.json.kelp.areaHa).toBeGreaterThan(0);
  });

  it('accepts an image over the limit with 202, a Location and a queued status, and puts one job on the queue', async () => {
    const response = await create(LARGE);
    expect(response.status).toBe(202);
    largeId = response.json.id;
    expect(response.headers.location).toBe(`/api/analyses/${largeId}`);
    expect(response.json).toMatchObject({ status: 'queued', estimate: { pixels: 1024 * 1024, syncLimit: 1_000_000 } });
    expect((await poll(largeId)).json.status).toBe('queued');
  });

  it('runs the job from the real queue message: the client sees queued, running with growing progress, then the result', async () => {
    const messages = await sqs.receive(queue, 1);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0].Body)).toMatchObject({ kind: 'object', id: largeId, key: LARGE });
    const { response, seen } = await runWhilePolling(largeId, messages);
    expect(response).toEqual({ batchItemFailures: [] });

    const states = seen.map((s) => s.state).filter((state, i, all) => state !== all[i - 1]);
    expect(states[0]).toMatch(/queued|running/);
    expect(states.at(-1)).toBe('succeeded');
    expect(states.filter((state) => !['queued', 'running', 'succeeded'].includes(state))).toEqual([]);
    const running = seen.filter((s) => s.state === 'running');
    expect(running.every((s) => s.http === 202)).toBe(true);
    const percents = running.map((s) => s.percent as number);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size, `progress seen: ${percents.join(', ')}`).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ http: 200, state: 'succeeded' });
  });

  it('gives the same numbers as a synchronous run of the same image', async () => {
    const asyncResult = (await poll(largeId)).json;
    const store = new S3BlobStore({ client: moto.s3(), bucket: BUCKET });
    await store.copy(LARGE, 'uploads/season copy.tif');
    const { result } = await analyzeObject(
      { key: 'uploads/season copy.tif', options: parseAnalysisOptions({}) },
      { imageStore: store, resultStore: store, imageStoreName: `s3://${BUCKET}`, clock: systemClock, logger: silentLogger, codeVersion: 'test', maxImagePixels: 1e8 },
    );
    expect(result.id).not.toBe(largeId);
    for (const field of ['kelp', 'biomass', 'carbon', 'pixels'] as const) expect(asyncResult[field]).toEqual(result[field]);
  });

  it('does not run a finished job again when SQS delivers its message again', async () => {
    const before = (await poll(largeId)).json.createdAt;
    const again = await create(LARGE);
    expect(again.status).toBe(200);
    // Re-send the job as SQS would on a redelivery, and run it.
    const message = { MessageId: 'redelivered', ReceiptHandle: 'r', MD5OfBody: '', Body: JSON.stringify({ v: 1, kind: 'object', id: largeId, key: LARGE, options: {}, submittedAt: new Date().toISOString() }), Attributes: { ApproximateReceiveCount: '2' } };
    expect(await worker([message])).toEqual({ batchItemFailures: [] });
    expect((await poll(largeId)).json.createdAt).toBe(before);
  });

  it('hands a received job back with a short wait (ChangeMessageVisibility), so a retry comes in seconds, not at the 90-minute visibility timeout', async () => {
    const jobs = new SqsJobQueue({ queueUrl: queue.url });
    await jobs.send('{"probe":1}');
    const [first] = await sqs.receive(queue, 1, { visibilityS: 600 });
    expect(first.Body).toBe('{"probe":1}');
    expect(await sqs.receive(queue, 1, { timeoutMs: 500 })).toHaveLength(0);
    await jobs.retryLater(first.ReceiptHandle, 0);
    const [again] = await sqs.receive(queue, 1, { timeoutMs: 3000 });
    expect(again?.Body).toBe('{"probe":1}');
    // The probe is not a job: the worker drops it (and the next test finds the queue empty).
    expect(await worker([again])).toEqual({ batchItemFailures: [] });
  });

  let emptyId: string;
  let emptyMessages: ReceivedMessage[];

  it('the same Idempotency-Key twice starts one job', async () => {
    const key = { 'idempotency-key': `empty-${process.pid}` };
    const a = await create(EMPTY, { async: 'true' }, key);
    const b = await create(EMPTY, { async: 'true' }, key);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json.id).toBe(a.json.id);
    emptyId = a.json.id;
    emptyMessages = await sqs.receive(queue, 2, { timeoutMs: 1500 });
    expect(emptyMessages).toHaveLength(1);
  });

  it('ends a job whose image is unusable as failed, with the error, and acknowledges it', async () => {
    // The image has a valid header but no valid pixel: only the worker can find out.
    const { response, seen } = await runWhilePolling(emptyId, emptyMessages);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen.at(-1)).toMatchObject({ http: 200, state: 'failed' });
    const failed = (await poll(emptyId)).json;
    expect(failed).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'NO_VALID_DATA', retryable: false } });
    expect(failed.error.message).toMatch(/no valid pixel/);
  });
});
