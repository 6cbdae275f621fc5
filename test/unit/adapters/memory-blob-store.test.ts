import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store';
import { DependencyUnavailableError, InvalidRequestError } from '../../../core/errors';
import { describeBlobStoreContract } from './blob-store-contract';

describeBlobStoreContract('MemoryBlobStore', async () => ({ store: new MemoryBlobStore() }));

describe('MemoryBlobStore', () => {
  it('stamps lastModified from the injected clock', async () => {
    const store = new MemoryBlobStore({ now: () => Date.parse('2024-08-01T12:00:00Z') });
    const info = await store.put('k', 'x');
    expect(info.lastModified?.toISOString()).toBe('2024-08-01T12:00:00.000Z');
    expect((await store.head('k'))?.lastModified?.toISOString()).toBe('2024-08-01T12:00:00.000Z');
  });

  it('gives equal content the same etag and different content another', async () => {
    const store = new MemoryBlobStore();
    const first = await store.put('a', 'same');
    const second = await store.put('b', 'same');
    const third = await store.put('c', 'other');
    expect(first.etag).toBe(second.etag);
    expect(third.etag).not.toBe(first.etag);
  });

  it('keeps the content type given on put', async () => {
    const store = new MemoryBlobStore();
    await store.put('overlay.png', new Uint8Array([137, 80]), { contentType: 'image/png' });
    expect((await store.head('overlay.png'))?.contentType).toBe('image/png');
  });

  it('throws the injected fault for the chosen operation and key only', async () => {
    const down = new DependencyUnavailableError('store is down');
    const store = new MemoryBlobStore({
      faults: { failOn: (op, key) => (op === 'put' && key.startsWith('results/') ? down : undefined) },
    });
    await expect(store.put('results/a/result.json', '{}')).rejects.toBe(down);
    await expect(store.put('uploads/a.tif', 'x')).resolves.toMatchObject({ key: 'uploads/a.tif' });
    expect(await store.head('results/a/result.json')).toBeUndefined();
  });

  it('rejects a cursor it did not issue', async () => {
    const store = new MemoryBlobStore();
    await expect(store.list('', { cursor: 'not a cursor!' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects the list limit %s', async (limit) => {
    const store = new MemoryBlobStore();
    await expect(store.list('', { limit })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('rejects a negative byte range', async () => {
    const store = new MemoryBlobStore();
    await store.put('r', 'abc');
    await expect(store.getRange('r', -1, 2)).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
