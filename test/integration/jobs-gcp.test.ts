// Asynchronous analyses on Google Cloud, end to end over HTTP: the `api` and `analyzeJob` functions
// served by the Functions Framework's own server, the API publishing to a Pub/Sub REST TEST DOUBLE
// through PUBSUB_EMULATOR_HOST (test/helpers/pubsub-double.ts: the emulator needs Java and gcloud,
// absent here) and storing in the Cloud Storage TEST DOUBLE (test/helpers/gcs-double.ts). Each
// published message is posted to `analyzeJob` as Eventarc pushes it: a binary-mode
// `messagePublished` CloudEvent. The doubles follow the API references; they cannot show how the
// real services behave.
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GcsBlobStore } from '../../adapters/gcp/gcs-blob-store.js';
import { createGcsBucket } from '../../adapters/gcp/gcs-client.js';
import { PubSubJobQueue } from '../../adapters/gcp/pubsub-job-queue.js';
import type { AnalysisResult } from '../../core/analysis/result.js';
import { type AnalysisJob, serializeJob } from '../../core/jobs/job.js';
import type { AnalysisStatus } from '../../core/jobs/status.js';
import { listAll } from '../../core/usecases/backup-manifest.js';
import { type GcsDouble, startGcsDouble } from '../helpers/gcs-double.js';
import { analyzeSampleDirectly, stacJob } from '../helpers/job-queue.js';
import { captureLogLines } from '../helpers/log-lines.js';
import { type PubSubDouble, messagePublishedRequest, startPubSubDouble } from '../helpers/pubsub-double.js';

const BUCKET = 'kelpie-imagery';
const TOPIC = 'projects/kelpie-test/topics/kelpie-jobs';
const KEY = 'uploads/kelp+canopy ñ 02.tif';
const SAMPLE = new URL('../../samples/coastal-sample.tif', import.meta.url);

let gcs: GcsDouble;
let pubsub: PubSubDouble;
let store: GcsBlobStore;
const servers: Server[] = [];
let apiBase: string;
let jobBase: string;

async function serve(target: string): Promise<string> {
  const server = getTestServer(target);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${apiBase}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

/** Posts the `index`th message published to the topic to `analyzeJob`, as Eventarc pushes it. */
async function push(index: number, options: { deliveryAttempt?: number } = {}): Promise<Response> {
  const { headers, body } = messagePublishedRequest(TOPIC, pubsub.published(TOPIC)[index], options);
  return fetch(jobBase, { method: 'POST', headers, body });
}

const decoded = (index: number) => JSON.parse(Buffer.from(pubsub.published(TOPIC)[index].data, 'base64').toString('utf8')) as AnalysisJob;

async function snapshot(): Promise<string[]> {
  return (await listAll(store, '')).map((item) => `${item.key} ${item.etag}`);
}

describe('asynchronous analyses on Google Cloud (Functions Framework, Pub/Sub and Cloud Storage doubles)', () => {
  let logs: ReturnType<typeof captureLogLines>;

  beforeAll(async () => {
    [gcs, pubsub] = await Promise.all([startGcsDouble(), startPubSubDouble()]);
    gcs.createBucket(BUCKET);
    pubsub.createTopic(TOPIC);
    store = new GcsBlobStore({ bucket: createGcsBucket({ bucket: BUCKET, apiEndpoint: gcs.endpoint }) });
    await store.put(KEY, new Uint8Array(await readFile(SAMPLE)), { contentType: 'image/tiff' });
    vi.resetModules();
    const env = {
      KELPIE_STORE: 'gcs',
      KELPIE_BUCKET: BUCKET,
      KELPIE_GCS_ENDPOINT: gcs.endpoint,
      KELPIE_JOB_QUEUE: 'pubsub',
      KELPIE_JOB_TOPIC: TOPIC,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      KELPIE_SYNC_MAX_PIXELS: '1000',
      KELPIE_ENV: 'test',
      KELPIE_LOG_LEVEL: 'info',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    await import('../../functions/http-api.gcp.js');
    await import('../../functions/analyze-job.gcp.js');
    [apiBase, jobBase] = await Promise.all([serve('api'), serve('analyzeJob')]);
  });
  beforeEach(() => {
    logs = captureLogLines();
  });
  afterEach(() => {
    logs.restore();
    expect(gcs.unhandled).toEqual([]);
    expect(pubsub.unhandled).toEqual([]);
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await Promise.all([gcs?.close(), pubsub?.close()]);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  describe('an upload analysed asynchronously', () => {
    let accepted: Awaited<ReturnType<typeof call>>;
    let pushed: Response;

    beforeAll(async () => {
      const quiet = captureLogLines();
      try {
        accepted = await call('POST', '/api/analyses?async=true', { source: { key: KEY } });
        pushed = await push(0, { deliveryAttempt: 1 });
      } finally {
        quiet.restore();
      }
    });

    it('is accepted (202) and published to the topic as base64 JSON, without credentials to the emulator host', () => {
      expect(accepted.status).toBe(202);
      expect(accepted.json).toMatchObject({ status: 'queued', source: { key: KEY } });
      expect(pubsub.published(TOPIC)).toHaveLength(1);
      expect(decoded(0)).toMatchObject({ v: 1, kind: 'object', id: accepted.json.id, key: KEY });
      expect(pubsub.authorizations).toEqual([undefined]);
    });

    it('is run by analyzeJob (204) and ends with the numbers of a synchronous analysis of the same file', async () => {
      const done = await call('GET', `/api/analyses/${accepted.json.id}`);
      const direct = await analyzeSampleDirectly(KEY);

      expect(pushed.status).toBe(204);
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
      expect((await call('GET', `/api/analyses/${accepted.json.id}/status`)).json).toMatchObject({ status: 'succeeded', attempt: 1 });
    });

    it('does no second analysis when Pub/Sub delivers the message again', async () => {
      const before = await snapshot();

      const again = await push(0, { deliveryAttempt: 2 });

      expect(again.status).toBe(204);
      expect(await snapshot()).toEqual(before);
      expect(logs.matching('job message handled')).toEqual([expect.objectContaining({ deliveryAttempt: 2, outcome: 'duplicate' })]);
    });
  });

  describe('a job that fails in a way a retry may fix', () => {
    const job = stacJob('abcdef0123456789abce'); // the worker has no KELPIE_STAC_URL: unavailable
    let index: number;

    beforeAll(async () => {
      await new PubSubJobQueue({ topic: TOPIC, emulatorHost: pubsub.host }).send(serializeJob(job));
      index = pubsub.published(TOPIC).length - 1;
    });
    let printed: ReturnType<typeof vi.spyOn>;

    beforeEach(() => {
      printed = vi.spyOn(console, 'error').mockImplementation(() => {}); // the framework prints the error's stack
    });
    afterEach(() => printed.mockRestore());

    it('answers 500 (Pub/Sub redelivers) and stays queued while attempts remain', async () => {
      const response = await push(index, { deliveryAttempt: 1 });

      expect(response.status).toBe(500);
      expect((await call('GET', `/api/analyses/${job.id}/status`)).json).toMatchObject({ status: 'queued', error: { code: 'DEPENDENCY_UNAVAILABLE', retryable: true } });
    });

    it('is recorded as failed on the subscription’s last delivery attempt', async () => {
      const response = await push(index, { deliveryAttempt: 5 });

      expect(response.status).toBe(500);
      expect((await call('GET', `/api/analyses/${job.id}/status`)).json).toMatchObject({
        status: 'failed',
        error: { code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(/gave up after 5 attempts/) },
      });
    });

    it('counts every delivery as the first without a dead-letter policy (no deliveryAttempt), so it never gives up', async () => {
      const other = stacJob('abcdef0123456789abcf');
      await new PubSubJobQueue({ topic: TOPIC, emulatorHost: pubsub.host }).send(serializeJob(other));

      for (let i = 0; i < 6; i++) expect((await push(pubsub.published(TOPIC).length - 1)).status).toBe(500);

      expect((await call('GET', `/api/analyses/${other.id}/status`)).json).toMatchObject({ status: 'queued', attempt: 6 });
    });
  });

  it('acknowledges (204) and logs an event with no message data', async () => {
    const { headers } = messagePublishedRequest(TOPIC, pubsub.published(TOPIC)[0]);

    const response = await fetch(jobBase, { method: 'POST', headers, body: JSON.stringify({ message: { messageId: '1' }, subscription: 'projects/kelpie-test/subscriptions/s' }) });

    expect(response.status).toBe(204);
    expect(logs.matching('job event ignored')).toEqual([expect.objectContaining({ severity: 'WARNING', reason: 'the event has no data.message.data' })]);
  });

  it('answers 503 and records the failure when Pub/Sub refuses the message', async () => {
    await store.put('uploads/second copy.tif', new Uint8Array(await readFile(SAMPLE)), { contentType: 'image/tiff' });
    pubsub.failNext(503, 'The service is currently unavailable.');

    const refused = await call('POST', '/api/analyses?async=true', { source: { key: 'uploads/second copy.tif' } });

    expect(refused.status).toBe(503);
    const stored = (await listAll(store, 'results/')).filter((item) => item.key.endsWith('/status.json'));
    const statuses = await Promise.all(stored.map(async (item) => JSON.parse(new TextDecoder().decode(await store.get(item.key))) as AnalysisStatus));
    expect(statuses.find((status) => status.source.key === 'uploads/second copy.tif')).toMatchObject({
      status: 'failed',
      error: { code: 'QUEUE_UNAVAILABLE', message: expect.stringMatching(/could not be queued/), retryable: true },
    });
    // Pub/Sub's own words go to the log, not to the client or the status.
    expect(JSON.stringify(refused.json)).not.toContain('currently unavailable');
  });
});
