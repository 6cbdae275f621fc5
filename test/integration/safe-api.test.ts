/**
 * The HTTP API on Sentinel-2 as users upload it: `POST /api/uploads` for a zipped .SAFE, then
 * `POST /api/analyses` with its key (or a folder's manifest key) gives the multi-band GeoTIFF's
 * figures; bad uploads answer 422 with a message that names no CLI flag.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import { embeddedJpeg2000Decoder } from '../../adapters/jpeg2000/embedded-openjpeg.js';
import { nodeCodecs } from '../../adapters/shared/node-codecs.js';
import type { AnalysisResult } from '../../core/analysis/result.js';
import { createApi } from '../../core/api/create-api.js';
import { createApiMetrics } from '../../core/api/prometheus.js';
import type { ApiDeps, ApiRequest } from '../../core/api/types.js';
import { silentLogger } from '../../core/ports/logger.js';
import { PRODUCT_ID, type SafeFixture, buildSafeFixture } from '../helpers/safe-fixture.js';
import { recordingQueue } from '../helpers/job-queue.js';
import { makeZip } from '../helpers/zip.js';

let fixture: SafeFixture;
const store = new MemoryBlobStore();

function makeApi(extra: Partial<ApiDeps> = { jpeg2000: embeddedJpeg2000Decoder() }) {
  const metrics = createApiMetrics();
  const deps: ApiDeps = {
    config: { env: 'development', apiKeys: [], allowedOrigins: [], maxImagePixels: 1e8 },
    imageStore: store,
    resultStore: store,
    imageStoreName: 'memory',
    clock: { now: () => Date.now() },
    logger: silentLogger,
    metrics,
    renderMetrics: () => metrics.render(),
    codeVersion: 'test',
    uploadSigner: { presignPut: async (key) => ({ method: 'PUT', url: `http://uploads.test/${key}`, headers: {}, expiresAt: '2030-01-01T00:00:00Z' }) },
    ...nodeCodecs(),
    ...extra,
  };
  return createApi(deps);
}

const post = (path: string, body: unknown): ApiRequest => ({
  method: 'POST',
  path,
  query: {},
  headers: { 'content-type': 'application/json' },
  body: new TextEncoder().encode(JSON.stringify(body)),
  requestId: 'req-1',
});

async function call(path: string, body: unknown, extra?: Partial<ApiDeps>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await makeApi(extra)(post(path, body));
  const text = typeof response.body === 'string' ? response.body : new TextDecoder().decode(response.body);
  return { status: response.status, json: JSON.parse(text) };
}

/** The analysis of `key`, as the API answers it (synchronously: the scene is small). */
async function analyse(key: string): Promise<AnalysisResult> {
  const { status, json } = await call('/api/analyses', { source: { key } });
  expect([200, 201], JSON.stringify(json).slice(0, 500)).toContain(status);
  return json as unknown as AnalysisResult;
}

beforeAll(async () => {
  fixture = await buildSafeFixture(mkdtempSync(join(tmpdir(), 'kelpie-safe-api-')));
  await store.put('uploads/reference.tif', new Uint8Array(readFileSync(fixture.multiband)));
}, 120_000);

afterAll(() => {
  if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
});

describe('the HTTP API on Sentinel-2 uploads', () => {
  it('hands out an upload URL for a zipped .SAFE', async () => {
    const { status, json } = await call('/api/uploads', { filename: `${PRODUCT_ID}.zip`, contentType: 'application/zip' });
    expect(status).toBe(201);
    expect(json.key).toMatch(new RegExp(`^uploads/[0-9a-f]{16}-${PRODUCT_ID}\\.zip$`));
  });

  it('analyses a zipped .SAFE by its key, with the GeoTIFF figures and the product from its metadata', async () => {
    const reference = await analyse('uploads/reference.tif');
    await store.put(`uploads/${PRODUCT_ID}.zip`, new Uint8Array(readFileSync(fixture.zip)));

    const result = await analyse(`uploads/${PRODUCT_ID}.zip`);

    expect(result.kelp).toEqual(reference.kelp);
    expect(result.source).toMatchObject({ sceneId: PRODUCT_ID, processingBaseline: '05.11', reflectance: { boaAddOffset: -1000 } });
  });

  it('analyses a folder of band files by its manifest key', async () => {
    const reference = await analyse('uploads/reference.tif');
    for (const band of ['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL']) await store.put(`uploads/site-a/${band}.tif`, new Uint8Array(readFileSync(join(fixture.bandsDir, `${band}.tif`))));
    await store.put('uploads/site-a/manifest.json', '{}');

    expect((await analyse('uploads/site-a/manifest.json')).kelp).toEqual(reference.kelp);
  });

  it.each([
    { name: 'a zip that is not a .SAFE', key: 'uploads/notes.zip', bytes: () => makeZip([{ path: 'notes.txt', data: new Uint8Array(10) }]), message: /not a Sentinel-2 Level-2A product/ },
    { name: 'a truncated zip', key: 'uploads/cut.zip', bytes: () => new Uint8Array(readFileSync(fixture.zip)).subarray(0, 50_000), message: /truncated/ },
    { name: 'a folder missing a band', key: 'uploads/site-b/manifest.json', bytes: () => new TextEncoder().encode('{"files": ["B04.tif"]}'), message: /B04\.tif/ },
  ])('answers 422 to $name, naming no CLI flag', async ({ key, bytes, message }) => {
    await store.put(key, bytes());
    const { status, json } = await call('/api/analyses', { source: { key } });
    expect(status).toBe(422);
    const text = JSON.stringify(json);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/--[a-z]/);
  });

  it('answers 422 to a missing band with what was found and how to add it, in API words', async () => {
    await store.put('uploads/site-c/B04.tif', new Uint8Array(readFileSync(join(fixture.bandsDir, 'B04.tif'))));
    await store.put('uploads/site-c/manifest.json', '{}');
    const { status, json } = await call('/api/analyses', { source: { key: 'uploads/site-c/manifest.json' } });
    expect(status).toBe(422);
    expect(JSON.stringify(json)).toMatch(/missing required bands .*B08.*Found in uploads\/site-c\/: B04 \(B04\.tif\)/);
    expect(JSON.stringify(json)).not.toMatch(/--[a-z]/);
  });

  describe('an HTTP function without the JPEG 2000 decoder (as deployed: the decoder is the job worker’s)', () => {
    it('queues a zipped .SAFE for the worker, however small', async () => {
      const queue = recordingQueue();
      const { status, json } = await call('/api/analyses', { source: { key: `uploads/${PRODUCT_ID}.zip` }, method: 'fai' }, { jobQueue: queue });
      expect(status).toBe(202);
      expect(json).toMatchObject({ status: 'queued' });
      expect(queue.messages).toHaveLength(1);
    });

    it('answers 503 naming the setting when there is no job queue either', async () => {
      const { status, json } = await call('/api/analyses', { source: { key: `uploads/${PRODUCT_ID}.zip` }, method: 'ndvi' }, {});
      expect(status).toBe(503);
      expect(JSON.stringify(json)).toMatch(/job worker.*KELPIE_JOB_QUEUE/);
    });
  });
});
