import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { DependencyUnavailableError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/ports/logger.js';
import { handleObjectCreated } from '../../../core/usecases/object-created.js';

const SAMPLE = join(import.meta.dirname, '../../../samples/coastal-sample.tif');

async function setup(store = new MemoryBlobStore()) {
  await store.put('uploads/scene one.tif', new Uint8Array(await readFile(SAMPLE)));
  await store.put('uploads/broken.tif', new TextEncoder().encode('this is not a tiff'));
  const deps = {
    imageStore: store,
    resultStore: store,
    imageStoreName: 's3://imagery',
    clock: { now: () => Date.parse('2026-01-01T00:00:00Z') },
    logger: silentLogger,
    codeVersion: 'test',
    maxImagePixels: 1e8,
  };
  return { store, deps };
}

const event = (key: string, etag?: string) => ({ store: 's3', bucket: 'imagery', key, ...(etag ? { etag } : {}) });

describe('handleObjectCreated', () => {
  it('analyses an upload and writes result.json beside its artifacts', async () => {
    const { store, deps } = await setup();
    const outcome = await handleObjectCreated(event('uploads/scene one.tif'), deps);
    expect(outcome.kind).toBe('analysed');
    const keys = (await store.list('results/')).items.map((i) => i.key);
    const id = (outcome as { id: string }).id;
    expect(keys).toEqual(expect.arrayContaining([`results/${id}/result.json`, `results/${id}/kelp-mask.tif`, `results/${id}/beds.geojson`]));
  });

  it('does no work for a re-delivered event', async () => {
    const { store, deps } = await setup();
    const first = await handleObjectCreated(event('uploads/scene one.tif'), deps);
    const before = (await store.list('results/')).items;
    const second = await handleObjectCreated(event('uploads/scene one.tif'), deps);
    expect(second).toEqual({ kind: 'duplicate', id: (first as { id: string }).id });
    expect((await store.list('results/')).items).toEqual(before);
  });

  it('leaves one complete result when two deliveries run at once', async () => {
    const { store, deps } = await setup();
    const [a, b] = await Promise.all([handleObjectCreated(event('uploads/scene one.tif'), deps), handleObjectCreated(event('uploads/scene one.tif'), deps)]);
    expect((a as { id: string }).id).toBe((b as { id: string }).id);
    expect((await store.list('results/')).items.filter((i) => i.key.endsWith('result.json'))).toHaveLength(1);
    const result = JSON.parse(new TextDecoder().decode(await store.get(`results/${(a as { id: string }).id}/result.json`)));
    expect(result.kelp.areaM2).toBeGreaterThan(0);
  });

  it('records an unusable upload in error.json and acknowledges it', async () => {
    const { store, deps } = await setup();
    const outcome = await handleObjectCreated(event('uploads/broken.tif'), deps);
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'NOT_A_TIFF' });
    const record = JSON.parse(new TextDecoder().decode(await store.get(`results/${(outcome as { id: string }).id}/error.json`)));
    expect(record).toMatchObject({ key: 'uploads/broken.tif', code: 'NOT_A_TIFF' });
    expect((await store.list('results/')).items.map((i) => i.key).some((k) => k.endsWith('result.json'))).toBe(false);
  });

  it.each(['results/x/result.json', 'uploads/notes.txt', 'elsewhere/scene.tif'])('ignores %s', async (key) => {
    const { deps } = await setup();
    expect((await handleObjectCreated(event(key), deps)).kind).toBe('ignored');
  });

  it('ignores an event whose object has since been replaced or deleted', async () => {
    const { deps } = await setup();
    expect((await handleObjectCreated(event('uploads/scene one.tif', '"stale-etag"'), deps)).kind).toBe('ignored');
    expect((await handleObjectCreated(event('uploads/gone.tif'), deps)).kind).toBe('ignored');
  });

  it('throws a transient failure so the platform retries it', async () => {
    const store = new MemoryBlobStore({ faults: { failOn: (op) => (op === 'put' ? new DependencyUnavailableError('store unreachable') : undefined) } });
    const { deps } = await setup(new MemoryBlobStore());
    const failing = { ...deps, resultStore: store };
    await expect(handleObjectCreated(event('uploads/scene one.tif'), failing)).rejects.toThrowError(DependencyUnavailableError);
  });
});
