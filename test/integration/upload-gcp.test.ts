// The upload trigger on Google Cloud, end to end: CloudEvents posted over HTTP to the Functions
// Framework's own server (binary and structured content modes), the function reading and writing
// a Cloud Storage JSON API TEST DOUBLE (test/helpers/gcs-double.ts; there is no Cloud Storage
// emulator here). Each test also checks that the client asked the double for nothing it lacks.
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GcsBlobStore } from '../../adapters/gcp/gcs-blob-store.js';
import { createGcsBucket } from '../../adapters/gcp/gcs-client.js';
import { listAll } from '../../core/usecases/backup-manifest.js';
import { loadEvent } from '../helpers/events.js';
import { type GcsDouble, startGcsDouble } from '../helpers/gcs-double.js';
import { captureLogLines } from '../helpers/log-lines.js';
import { freePort } from '../helpers/processes.js';

const BUCKET = 'kelpie-imagery';
const SAMPLE = new URL('../../samples/coastal-sample.tif', import.meta.url);

let double: GcsDouble;
let store: GcsBlobStore;
let server: Server;
let base: string;

/** Loads the function file afresh under `env` (a cold start) and serves it with the framework's test server. */
async function serveFunction(env: Record<string, string>): Promise<void> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  await import('../../functions/upload-analyze.gcp.js');
  server = getTestServer('analyzeUpload');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stopFunction(): Promise<void> {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
}

/** The finalized event of `key` as it is now in the double (its real size and etag). */
async function finalizedData(key: string) {
  const info = await store.head(key);
  const data = loadEvent<{ data: Record<string, unknown> }>('gcp/storage-finalized-structured.json').data;
  return { ...data, bucket: BUCKET, name: key, size: String(info?.size), etag: info?.etag };
}

/** Posts the finalized event of `key` in binary content mode: `ce-*` headers, the data as a JSON body. */
async function postBinary(key: string, id = 'evt-binary-1'): Promise<Response> {
  const { headers } = loadEvent<{ headers: Record<string, string> }>('gcp/storage-finalized-binary.json');
  const body = JSON.stringify(await finalizedData(key));
  return fetch(base, { method: 'POST', headers: { ...headers, 'ce-id': id, 'ce-subject': `objects/${encodeURIComponent(key)}` }, body });
}

/** Posts the finalized event of `key` in structured content mode: the whole event as `application/cloudevents+json`. */
async function postStructured(key: string, id = 'evt-structured-1'): Promise<Response> {
  const event = { ...loadEvent<Record<string, unknown>>('gcp/storage-finalized-structured.json'), id, subject: `objects/${key}`, data: await finalizedData(key) };
  return fetch(base, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify(event) });
}

/** Every object in the bucket with its etag: a fingerprint that any write changes. */
async function snapshot(): Promise<string[]> {
  return (await listAll(store, '')).map((item) => `${item.key} ${item.etag}`);
}

async function resultKeysFor(key: string): Promise<string[]> {
  for (const item of await listAll(store, 'results/')) {
    if (!item.key.endsWith('/result.json')) continue;
    const result = JSON.parse(new TextDecoder().decode(await store.get(item.key))) as { source: { uri: string } };
    if (result.source.uri === key) return (await listAll(store, item.key.replace(/result\.json$/, ''))).map((i) => i.key);
  }
  return [];
}

describe('analyzeUpload on the Functions Framework, against the Cloud Storage test double', () => {
  let logs: ReturnType<typeof captureLogLines>;

  beforeAll(async () => {
    double = await startGcsDouble();
    double.createBucket(BUCKET);
    store = new GcsBlobStore({ bucket: createGcsBucket({ bucket: BUCKET, apiEndpoint: double.endpoint }) });
    const sample = new Uint8Array(await readFile(SAMPLE));
    await store.put('uploads/Bahía kelp 01.tif', sample, { contentType: 'image/tiff' });
    await store.put('uploads/kelp+canopy ñ 02.tif', sample, { contentType: 'image/tiff' });
    await store.put('uploads/broken scene é.tif', 'this is not a GeoTIFF', { contentType: 'image/tiff' });
    await serveFunction({ KELPIE_STORE: 'gcs', KELPIE_BUCKET: BUCKET, KELPIE_GCS_ENDPOINT: double.endpoint, KELPIE_ENV: 'test', KELPIE_LOG_LEVEL: 'info' });
  });
  beforeEach(() => {
    logs = captureLogLines();
  });
  afterEach(() => {
    logs.restore();
    expect(double.unhandled).toEqual([]);
  });
  afterAll(async () => {
    await stopFunction();
    await double?.close();
    vi.unstubAllEnvs();
  });

  it('analyses an upload announced in binary mode and writes result.json beside its artifacts', async () => {
    const response = await postBinary('uploads/Bahía kelp 01.tif');

    expect(response.status).toBe(204);
    const keys = await resultKeysFor('uploads/Bahía kelp 01.tif');
    expect(keys.map((key) => key.split('/').pop())).toEqual(expect.arrayContaining(['result.json', 'kelp-mask.tif', 'overlay.png', 'beds.geojson']));
    expect(logs.matching('upload event handled')).toEqual([expect.objectContaining({ severity: 'INFO', via: 'storage', eventId: 'evt-binary-1', outcome: 'analysed' })]);
  });

  it('analyses an upload announced in structured mode', async () => {
    const response = await postStructured('uploads/kelp+canopy ñ 02.tif');

    expect(response.status).toBe(204);
    expect(await resultKeysFor('uploads/kelp+canopy ñ 02.tif')).toContainEqual(expect.stringMatching(/\/result\.json$/));
  });

  it('does nothing when the same event is delivered again', async () => {
    await postBinary('uploads/Bahía kelp 01.tif');
    const before = await snapshot();
    logs.restore();
    logs = captureLogLines();

    const again = await postStructured('uploads/Bahía kelp 01.tif', 'evt-redelivered');

    expect(again.status).toBe(204);
    expect(await snapshot()).toEqual(before);
    expect(logs.matching('upload event handled')).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
  });

  it('records a corrupt upload in error.json and still acknowledges the event', async () => {
    const response = await postBinary('uploads/broken scene é.tif', 'evt-broken');

    expect(response.status).toBe(204);
    const errorKey = (await listAll(store, 'results/')).map((item) => item.key).find((key) => key.endsWith('/error.json'));
    const record = JSON.parse(new TextDecoder().decode(await store.get(errorKey as string))) as Record<string, unknown>;
    expect(record).toMatchObject({ key: 'uploads/broken scene é.tif', bucket: BUCKET, code: 'NOT_A_TIFF' });
    expect(logs.matching('upload event dropped: it cannot succeed as it is')).toEqual([expect.objectContaining({ severity: 'WARNING', outcome: 'rejected', disposition: 'drop' })]);
  });

  it('hands an upload to another bucket back (500: Eventarc retries, then dead-letters) without reading anything', async () => {
    const before = await snapshot();
    vi.spyOn(console, 'error').mockImplementation(() => {}); // the framework prints the error's stack
    const event = { ...loadEvent<Record<string, unknown>>('gcp/storage-finalized-structured.json'), id: 'evt-elsewhere', data: { ...(await finalizedData('uploads/Bahía kelp 01.tif')), bucket: 'someone-elses-bucket' } };

    const response = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify(event) });

    expect(response.status).toBe(500);
    expect(await snapshot()).toEqual(before);
    expect(logs.matching('upload event not done; the platform will deliver it again')).toEqual([expect.objectContaining({ severity: 'ERROR', outcome: 'failed', reason: expect.stringMatching(/"someone-elses-bucket".*KELPIE_BUCKET/) })]);
    vi.mocked(console.error).mockRestore();
  });

  it('acknowledges events for objects outside uploads/ (its own results) without work', async () => {
    await store.put('results/0123456789abcdef0000/result.json', '{}', { contentType: 'application/json' });
    const before = await snapshot();

    const response = await postStructured('results/0123456789abcdef0000/result.json', 'evt-result-written');

    expect(response.status).toBe(204);
    expect(await snapshot()).toEqual(before);
  });
});

describe('analyzeUpload when Cloud Storage cannot be reached', () => {
  afterAll(async () => {
    await stopFunction();
    vi.unstubAllEnvs();
  });

  it('fails the invocation (500) so that Eventarc retries it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await serveFunction({ KELPIE_STORE: 'gcs', KELPIE_BUCKET: BUCKET, KELPIE_GCS_ENDPOINT: closed, KELPIE_ENV: 'test', KELPIE_LOG_LEVEL: 'info' });
    const logs = captureLogLines();
    vi.spyOn(console, 'error').mockImplementation(() => {}); // the framework prints the error's stack
    try {
      const { headers } = loadEvent<{ headers: Record<string, string> }>('gcp/storage-finalized-binary.json');
      const data = { ...loadEvent<{ data: object }>('gcp/storage-finalized-structured.json').data, bucket: BUCKET };

      const response = await fetch(base, { method: 'POST', headers, body: JSON.stringify(data) });

      expect(response.status).toBe(500);
      expect(logs.matching('upload event not done; the platform will deliver it again')).toEqual([expect.objectContaining({ severity: 'ERROR', reason: expect.stringMatching(/^DEPENDENCY_UNAVAILABLE/) })]);
    } finally {
      logs.restore();
      vi.restoreAllMocks();
    }
  });
});
