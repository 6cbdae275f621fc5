// Asynchronous analyses on Azure, end to end on Azurite's blob AND queue services (both started
// by this file, as one development account): the HTTP function queues the job on a real storage
// queue; the test receives the real message, decodes it as the Functions host does (base64, then
// JSON) and calls the queue trigger's handler with the message's real dequeue count, as the
// worker would (no local Functions host here).
import { readFile } from 'node:fs/promises';
import { HttpRequest, HttpResponse, InvocationContext, app } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureBlobStore } from '../../adapters/azure/azure-blob-store.js';
import { createAzureContainerClient } from '../../adapters/azure/azure-client.js';
import { createAzureJobQueue } from '../../adapters/azure/queue-job-queue.js';
import type { AnalysisResult } from '../../core/analysis/result.js';
import { serializeJob } from '../../core/jobs/job.js';
import type { AnalysisStatus } from '../../core/jobs/status.js';
import { listAll } from '../../core/usecases/backup-manifest.js';
import { type AzuriteServer, startAzurite } from '../helpers/azurite.js';
import { type AzuriteQueueServer, developmentConnectionString, startAzuriteQueue } from '../helpers/azurite-queue.js';
import { analyzeSampleDirectly, stacJob } from '../helpers/job-queue.js';
import { captureLogLines, hostLogHandler } from '../helpers/log-lines.js';

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<unknown>;
type QueueHandler = (message: unknown, context: InvocationContext) => Promise<void>;

const CONTAINER = 'imagery';
const QUEUE = 'kelpie-jobs';
const KEY = 'uploads/Bahía kelp ñ 01.tif';
const SAMPLE = new URL('../../samples/coastal-sample.tif', import.meta.url);

let azurite: AzuriteServer;
let queues: AzuriteQueueServer;
let connectionString: string;
let store: AzureBlobStore;
let queue: QueueClient;
let api: Handler;
let analyzeJob: QueueHandler;
let registered: ReturnType<typeof vi.spyOn>;

const invocation = (functionName: string, triggerMetadata?: Record<string, unknown>) =>
  new InvocationContext({ invocationId: `inv-${Math.random().toString(36).slice(2, 8)}`, functionName, logHandler: hostLogHandler, ...(triggerMetadata ? { triggerMetadata } : {}) });

/** One request through the HTTP function, as the Functions host makes it. */
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const request = new HttpRequest({ method, url: `http://localhost:7071${path}`, headers: { 'content-type': 'application/json' }, ...(body ? { body: { string: JSON.stringify(body) } } : {}) });
  const response = new HttpResponse((await api(request, invocation('api'))) as ConstructorParameters<typeof HttpResponse>[0]);
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

/** A queue message as the host hands it over: received (hidden for `visibilityS`), base64-decoded, JSON-parsed when it is JSON. */
async function receive(visibilityS = 60, timeoutMs = 10_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    const [item] = (await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: visibilityS })).receivedMessageItems;
    if (!item) continue;
    const text = Buffer.from(item.messageText, 'base64').toString('utf8');
    let message: unknown = text;
    try {
      message = JSON.parse(text);
    } catch {
      // not JSON: the host passes the text
    }
    return { item, text, message };
  }
  throw new Error(`no message on ${QUEUE} within ${timeoutMs} ms`);
}

/**
 * Calls the queue trigger for a received message. The metadata is the host's, into which the
 * Node.js worker merges a JSON message's own fields (so `id` is the job's, not the message's).
 */
function deliver(received: Awaited<ReturnType<typeof receive>>): Promise<void> {
  const { item, message } = received;
  const metadata = { id: item.messageId, popReceipt: item.popReceipt, dequeueCount: item.dequeueCount, insertionTime: item.insertedOn, queueTrigger: received.text };
  return analyzeJob(message, invocation('analyzeJob', { ...metadata, ...(typeof message === 'object' ? message : {}) }));
}

/** Every blob with its etag: a fingerprint that any write changes. */
async function snapshot(): Promise<string[]> {
  return (await listAll(store, '')).map((item) => `${item.key} ${item.etag}`);
}

describe('asynchronous analyses on Azure (Azurite blobs and queues)', () => {
  let logs: ReturnType<typeof captureLogLines>;

  beforeAll(async () => {
    [azurite, queues] = await Promise.all([startAzurite(), startAzuriteQueue()]);
    connectionString = developmentConnectionString({ blobEndpoint: azurite.blobEndpoint, queueEndpoint: queues.queueEndpoint });
    const container = createAzureContainerClient({ connectionString, container: CONTAINER });
    await container.create();
    store = new AzureBlobStore({ client: container });
    await store.put(KEY, new Uint8Array(await readFile(SAMPLE)), { contentType: 'image/tiff' });
    queue = new QueueClient(connectionString, QUEUE);
    await queue.create();
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // "test mode": no Functions host here
    registered = vi.spyOn(app, 'storageQueue');
    vi.resetModules();
    const env = {
      KELPIE_STORE: 'azure',
      KELPIE_BUCKET: CONTAINER,
      AZURE_STORAGE_CONNECTION_STRING: connectionString,
      KELPIE_JOB_QUEUE: 'azure',
      KELPIE_JOB_QUEUE_NAME: QUEUE,
      KELPIE_SYNC_MAX_PIXELS: '1000',
      KELPIE_ENV: 'test',
      KELPIE_LOG_LEVEL: 'info',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    api = ((await import('../../functions/http-api.azure.js')) as { handler: Handler }).handler;
    analyzeJob = ((await import('../../functions/analyze-job.azure.js')) as { analyzeJob: QueueHandler }).analyzeJob;
  });
  beforeEach(() => {
    logs = captureLogLines();
  });
  afterEach(() => logs.restore());
  afterAll(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await Promise.all([azurite?.dispose(), queues?.dispose()]);
  });

  it('registers the queue trigger on %KELPIE_JOB_QUEUE_NAME% in the store’s account', () => {
    expect(registered).toHaveBeenCalledWith('analyzeJob', { queueName: '%KELPIE_JOB_QUEUE_NAME%', connection: 'AZURE_STORAGE_CONNECTION_STRING', handler: analyzeJob });
  });

  describe('an upload analysed asynchronously', () => {
    let accepted: Awaited<ReturnType<typeof call>>;
    let first: Awaited<ReturnType<typeof receive>>;

    beforeAll(async () => {
      const quiet = captureLogLines();
      try {
        accepted = await call('POST', '/api/analyses?async=true', { source: { key: KEY } });
        // Hidden for 1 s only: the message comes back for the redelivery test, as after a lost acknowledgement.
        first = await receive(1);
        await deliver(first);
      } finally {
        quiet.restore();
      }
    });

    it('is accepted (202) with its status and a Location to poll', () => {
      expect(accepted.status).toBe(202);
      expect(accepted.json).toMatchObject({ status: 'queued', attempt: 0, source: { key: KEY } });
      expect(accepted.headers.get('location')).toBe(`/api/analyses/${accepted.json.id}`);
    });

    it('sends the job as base64 JSON text, the encoding the queue trigger decodes', () => {
      expect(first.item.messageText).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(first.item.dequeueCount).toBe(1);
      expect(first.message).toMatchObject({ v: 1, kind: 'object', id: accepted.json.id, key: KEY });
    });

    it('ends with the result, the same numbers as a synchronous analysis of the same file', async () => {
      const done = await call('GET', `/api/analyses/${accepted.json.id}`);
      const direct = await analyzeSampleDirectly(KEY);

      expect(done.status).toBe(200);
      const result = done.json as unknown as AnalysisResult;
      expect(result.id).toBe(accepted.json.id);
      expect({ grid: result.grid, pixels: result.pixels, kelp: result.kelp, biomass: result.biomass, carbon: result.carbon }).toEqual({
        grid: direct.grid,
        pixels: direct.pixels,
        kelp: direct.kelp,
        biomass: direct.biomass,
        carbon: direct.carbon,
      });
      expect(result.kelp.areaHa).toBeGreaterThan(0);
      expect((await call('GET', `/api/analyses/${accepted.json.id}/status`)).json).toMatchObject({ status: 'succeeded', attempt: 1, progress: { percent: 100 } });
    });

    it('does no second analysis when the queue delivers the message again', async () => {
      const before = await snapshot();

      const again = await receive(60);
      await deliver(again);
      await queue.deleteMessage(again.item.messageId, again.item.popReceipt); // the host deletes it on success

      expect(again.item.messageId).toBe(first.item.messageId);
      expect(again.item.dequeueCount).toBe(2);
      expect(await snapshot()).toEqual(before);
      expect(logs.matching('job message handled')).toEqual([expect.objectContaining({ dequeueCount: 2, outcome: 'duplicate' })]);
    });
  });

  it('records a transient failure as queued until the last dequeue, then as failed', async () => {
    const job = stacJob('abcdef0123456789abcd'); // the worker has no KELPIE_STAC_URL: unavailable, a retry may help
    await createAzureJobQueue(QUEUE, { AZURE_STORAGE_CONNECTION_STRING: connectionString }).send(serializeJob(job));
    const statuses: Array<Partial<AnalysisStatus>> = [];

    for (let dequeue = 1; dequeue <= 5; dequeue++) {
      const received = await receive(1); // visible again 1 s after a failed delivery, as with host.json's visibilityTimeout
      expect(received.item.dequeueCount).toBe(dequeue);
      await expect(deliver(received)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      statuses.push((await call('GET', `/api/analyses/${job.id}/status`)).json as Partial<AnalysisStatus>);
    }

    expect(statuses.slice(0, 4).map((status) => status.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    expect(statuses[0]).toMatchObject({ attempt: 1, error: { code: 'DEPENDENCY_UNAVAILABLE', retryable: true } });
    expect(statuses[4]).toMatchObject({ status: 'failed', attempt: 5, error: { code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(/gave up after 5 attempts/) } });
    expect(logs.matching('job message not done; the platform will deliver it again')).toHaveLength(5);
  });

  it('acknowledges (resolves) a message that is not a job, logging why', async () => {
    await queue.sendMessage(Buffer.from('hello, not a job').toString('base64'));
    const received = await receive();

    await expect(deliver(received)).resolves.toBeUndefined();
    await queue.deleteMessage(received.item.messageId, received.item.popReceipt);

    expect(logs.matching('queue message dropped: not an analysis job')).toHaveLength(1);
    expect(logs.matching('job message handled')).toEqual([expect.objectContaining({ outcome: 'dropped' })]);
  });
});
