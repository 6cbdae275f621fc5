import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import type { ApiRequest } from '../../../core/api/types.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { handleObjectCreated } from '../../../core/usecases/object-created.js';
import { createSmallApi } from '../../helpers/small-api.js';

const SAMPLE = join(import.meta.dirname, '../../../samples/coastal-sample.tif');
const get = (path: string, query: Record<string, string> = {}): ApiRequest => ({ method: 'GET', path, query, headers: {}, requestId: 'r' });
const bodyOf = (response: { body: string | Uint8Array }) => JSON.parse(typeof response.body === 'string' ? response.body : new TextDecoder().decode(response.body));

/** What the web map needs to know before and after its first calls, without an error to learn it from. */
describe('the API tells the page what it needs', () => {
  it('GET /api says whether a key is needed and whether a catalog is set up (its host only), with no key', async () => {
    const base = { env: 'test' as const, allowedOrigins: [], maxImagePixels: 1e7 };
    const open = bodyOf(await createSmallApi({ config: { ...base, apiKeys: [] } }).api(get('/api')));
    const keyed = createSmallApi({ config: { ...base, apiKeys: ['a-key-of-sixteen-chars'], stacUrl: 'https://earth-search.aws.element84.com/v1' } }).api;
    const response = await keyed(get('/api'));
    expect(response.status).toBe(200);
    expect(open).toMatchObject({ auth: { required: false, header: 'x-api-key' }, catalog: { configured: false } });
    expect(bodyOf(response)).toMatchObject({ auth: { required: true }, catalog: { configured: true, host: 'earth-search.aws.element84.com' } });
    expect(JSON.stringify(bodyOf(response))).not.toContain('/v1');
  });

  it('answers GET /api/analyses/{id} of a rejected upload with its reason, and lists it once', async () => {
    const store = new MemoryBlobStore();
    await store.put('uploads/notes.tif', new TextEncoder().encode('this is not a tiff'));
    const deps = { imageStore: store, resultStore: store, imageStoreName: 'memory://test', clock: { now: () => Date.parse('2026-01-01T00:00:00Z') }, logger: silentLogger, codeVersion: 'test', maxImagePixels: 1e7 };
    const outcome = await handleObjectCreated({ store: 'memory', bucket: 'test', key: 'uploads/notes.tif' }, deps);
    await handleObjectCreated({ store: 'memory', bucket: 'test', key: 'uploads/notes.tif' }, deps); // re-delivered
    expect(outcome.kind).toBe('rejected');
    const { id } = outcome as { id: string };
    const { api } = createSmallApi({}, store);

    const view = await api(get(`/api/analyses/${id}`));
    expect(view.status).toBe(200);
    expect(bodyOf(view)).toMatchObject({ id, status: 'failed', error: { code: 'NOT_A_TIFF', message: expect.stringMatching(/TIFF/), retryable: false }, source: { key: 'uploads/notes.tif' } });
    expect(bodyOf(await api(get(`/api/analyses/${id}/status`)))).toMatchObject({ status: 'failed', error: { code: 'NOT_A_TIFF' } });
    const { items } = bodyOf(await api(get('/api/analyses')));
    expect(items).toEqual([expect.objectContaining({ id, status: 'failed', source: { uri: 'uploads/notes.tif' }, error: expect.objectContaining({ code: 'NOT_A_TIFF' }) })]);
  });

  it('still answers 404 for an analysis nobody asked for', async () => {
    const response = await createSmallApi().api(get('/api/analyses/0123456789abcdef0123'));
    expect(response.status).toBe(404);
  });

  it('lists an upload the trigger analysed with what tells it apart and where it lies; the page’s default request finds it', async () => {
    const store = new MemoryBlobStore();
    await store.put('uploads/scene.tif', new Uint8Array(await readFile(SAMPLE)));
    const deps = { imageStore: store, resultStore: store, imageStoreName: 'memory://test', clock: { now: () => Date.now() }, logger: silentLogger, codeVersion: 'test', maxImagePixels: 1e7 };
    const outcome = (await handleObjectCreated({ store: 'memory', bucket: 'test', key: 'uploads/scene.tif' }, deps)) as { id: string };
    const { api } = createSmallApi({}, store);
    const { items } = bodyOf(await api(get('/api/analyses')));
    expect(items[0]).toMatchObject({ id: outcome.id, method: 'kd', species: 'macrocystis', kelp: { areaMode: 'binary' }, source: { uri: 'uploads/scene.tif' }, bboxWgs84: expect.any(Array) });
    // What the page sends with its form untouched (test/unit/web/tables.test.ts holds the form to it).
    // The page's defaults send no method or area mode (the sensor's defaults), as the trigger analyses uploads.
    const page = { source: { key: 'uploads/scene.tif' }, species: 'macrocystis', minBedAreaM2: 500, layers: ['rgb'] };
    const reply = await api({ ...get('/api/analyses'), method: 'POST', headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify(page)) });
    expect(reply.status).toBe(200);
    expect(bodyOf(reply).id).toBe(outcome.id);
  });
});
