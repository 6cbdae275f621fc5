import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadlineExceededError, InvalidRequestError, NotFoundError, PreconditionFailedError } from '../../../core/errors';
import type { BlobStore, ListPage } from '../../../core/ports/blob-store';

/** A fresh, empty store for one test, and how to throw it away. */
export type MakeBlobStore = () => Promise<{ store: BlobStore; cleanup?: () => Promise<void> }>;

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytesOf = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** Every page of a listing, following the cursor. */
async function listAll(store: BlobStore, prefix: string, limit?: number): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(prefix, { limit, cursor });
    pages.push(page);
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

const keysOf = (pages: ListPage[]): string[] => pages.flatMap((page) => page.items.map((item) => item.key));

/**
 * Registers the tests every `BlobStore` must pass: only the port's semantics, so the same suite
 * runs against memory, the file system and the S3, Azure Blob and Cloud Storage doubles.
 *
 * @example
 * ```ts
 * describeBlobStoreContract('MemoryBlobStore', async () => ({ store: new MemoryBlobStore() }));
 * ```
 */
export function describeBlobStoreContract(name: string, makeStore: MakeBlobStore): void {
  describe(`${name} (BlobStore contract)`, () => {
    let store: BlobStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('returns the bytes that were put, every byte value intact', async () => {
      const body = Uint8Array.from({ length: 256 }, (_, i) => i);
      const info = await store.put('blobs/all-bytes.bin', body);
      expect(info).toMatchObject({ key: 'blobs/all-bytes.bin', size: 256 });
      expect(await store.get('blobs/all-bytes.bin')).toEqual(body);
    });

    it('stores a string as UTF-8', async () => {
      await store.put('results/a/result.json', '{"kelp":"Macrocystis é"}');
      const bytes = await store.get('results/a/result.json');
      expect(text(bytes)).toBe('{"kelp":"Macrocystis é"}');
      expect((await store.head('results/a/result.json'))?.size).toBe(bytes.length);
    });

    it('keeps the stored object when the caller later changes its own bytes', async () => {
      const body = bytesOf(1, 2, 3);
      await store.put('k', body);
      body[0] = 9;
      (await store.get('k'))[1] = 9;
      expect(await store.get('k')).toEqual(bytesOf(1, 2, 3));
    });

    it('reads a byte range from the middle of an object', async () => {
      await store.put('r', '0123456789');
      expect(text(await store.getRange('r', 3, 4))).toBe('3456');
    });

    it('returns a shorter range when it runs past the end', async () => {
      await store.put('r', '0123456789');
      expect(text(await store.getRange('r', 8, 100))).toBe('89');
    });

    it('returns no bytes for a range starting at the end', async () => {
      await store.put('r', '0123456789');
      expect((await store.getRange('r', 10, 5)).length).toBe(0);
    });

    it('answers head with the size, and undefined for a missing key', async () => {
      await store.put('h/present', 'abc');
      expect(await store.head('h/present')).toMatchObject({ key: 'h/present', size: 3 });
      expect(await store.head('h/missing')).toBeUndefined();
    });

    it('rejects get and getRange of a missing key with NotFoundError', async () => {
      await expect(store.get('nope/missing.tif')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.getRange('nope/missing.tif', 0, 10)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('replaces an object on a second put', async () => {
      await store.put('o', 'first version');
      await store.put('o', 'second');
      expect(text(await store.get('o'))).toBe('second');
      expect(keysOf(await listAll(store, ''))).toEqual(['o']);
      expect((await store.head('o'))?.size).toBe(6);
    });

    it('lists only the keys under a prefix, with their sizes', async () => {
      await Promise.all([store.put('a/1', 'x'), store.put('a/2', 'yy'), store.put('ab', 'z'), store.put('b/1', 'w')]);
      const page = await store.list('a/');
      expect(page.items.map(({ key, size }) => ({ key, size }))).toEqual([
        { key: 'a/1', size: 1 },
        { key: 'a/2', size: 2 },
      ]);
      expect(page.cursor).toBeUndefined();
      expect(keysOf(await listAll(store, 'a'))).toEqual(['a/1', 'a/2', 'ab']);
    });

    it('pages through five keys two at a time in lexicographic order', async () => {
      for (const key of ['p/d', 'p/b', 'p/e', 'p/a', 'p/c']) await store.put(key, key);
      const pages = await listAll(store, 'p/', 2);
      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      expect(pages.at(-1)?.cursor).toBeUndefined();
      expect(keysOf(pages)).toEqual(['p/a', 'p/b', 'p/c', 'p/d', 'p/e']);
    });

    it('orders keys by character code across folders', async () => {
      for (const key of ['s/b', 's/a/z', 's/a-b', 's/a/a']) await store.put(key, key);
      expect(keysOf(await listAll(store, 's/', 1))).toEqual(['s/a-b', 's/a/a', 's/a/z', 's/b']);
    });

    it('returns an empty page for a prefix with no keys', async () => {
      await store.put('x/1', 'x');
      expect(await store.list('nothing/')).toEqual({ items: [] });
    });

    it('keeps keys with spaces, + and non-ASCII characters exactly', async () => {
      const keys = ['u/a b.tif', 'u/a+b.tif', 'u/zostera.tif', 'u/é.tif', 'u/海藻.tif'];
      for (const key of [...keys].reverse()) await store.put(key, key);
      expect(keysOf(await listAll(store, 'u/'))).toEqual(keys);
      for (const key of keys) expect(text(await store.get(key))).toBe(key);
    });

    it('copies an object, leaving the source in place', async () => {
      await store.put('results/a/result.json', 'payload');
      await store.copy('results/a/result.json', 'backups/2024-08-01/results/a/result.json');
      expect(text(await store.get('backups/2024-08-01/results/a/result.json'))).toBe('payload');
      expect(text(await store.get('results/a/result.json'))).toBe('payload');
    });

    it('rejects a copy from a missing key with NotFoundError', async () => {
      await expect(store.copy('missing', 'target')).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.head('target')).toBeUndefined();
    });

    it('deletes an object', async () => {
      await store.put('d/gone', 'x');
      await store.delete('d/gone');
      expect(await store.head('d/gone')).toBeUndefined();
      await expect(store.get('d/gone')).rejects.toBeInstanceOf(NotFoundError);
      expect(keysOf(await listAll(store, 'd/'))).toEqual([]);
    });

    it('treats the delete of a missing key as done', async () => {
      await expect(store.delete('never/was')).resolves.toBeUndefined();
    });

    it.each(['', '/abs', '../x', 'a/../b', 'a/./b', 'a//b', 'a\\b', 'nul\u0000byte', 'x'.repeat(1025)])(
      'rejects the bad key %j with InvalidRequestError',
      async (key) => {
        await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(store.head(key)).rejects.toBeInstanceOf(InvalidRequestError);
      },
    );

    it('rejects a bad list prefix with InvalidRequestError', async () => {
      await expect(store.list('/results')).rejects.toBeInstanceOf(InvalidRequestError);
    });

    it('creates an object only where none is (create-if-absent)', async () => {
      const info = await store.put('claims/a.json', 'first', { ifNoneMatch: '*' });
      expect(info).toMatchObject({ key: 'claims/a.json', size: 5 });
      await expect(store.put('claims/a.json', 'second', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(text(await store.get('claims/a.json'))).toBe('first');
    });

    it('lets exactly one of many create-if-absent writers racing for a key win', async () => {
      const bodies = Array.from({ length: 12 }, (_, i) => `writer ${i}`);
      const outcomes = await Promise.allSettled(bodies.map((body) => store.put('claims/race.json', body, { ifNoneMatch: '*' })));
      const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [bodies[i]] : []));
      expect(won).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(PreconditionFailedError);
      expect(text(await store.get('claims/race.json'))).toBe(won[0]);
    });

    it('replaces an object only while it has the etag the writer read (replace-if-unchanged)', async () => {
      const first = await store.put('leases/a.json', 'v1');
      expect((await store.head('leases/a.json'))?.etag).toBe(first.etag);
      const second = await store.put('leases/a.json', 'v2', { ifMatch: first.etag });
      expect(second.etag).not.toBe(first.etag);
      await expect(store.put('leases/a.json', 'v3', { ifMatch: first.etag })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(text(await store.get('leases/a.json'))).toBe('v2');
      expect((await store.head('leases/a.json'))?.etag).toBe(second.etag);
    });

    it('lets exactly one of many writers holding the same etag replace the object', async () => {
      const { etag } = await store.put('leases/race.json', 'start');
      const bodies = Array.from({ length: 8 }, (_, i) => `owner ${i}`);
      const outcomes = await Promise.allSettled(bodies.map((body) => store.put('leases/race.json', body, { ifMatch: etag })));
      const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [bodies[i]] : []));
      expect(won).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(PreconditionFailedError);
      expect(text(await store.get('leases/race.json'))).toBe(won[0]);
    });

    it('gives every version of a quickly rewritten same-size object a new etag', async () => {
      let { etag } = await store.put('leases/tick.json', 'aaaa');
      const seen = new Set([etag]);
      for (const body of ['bbbb', 'cccc', 'dddd', 'eeee', 'ffff']) {
        const previous = etag;
        ({ etag } = await store.put('leases/tick.json', body, { ifMatch: previous }));
        expect(seen.has(etag)).toBe(false);
        seen.add(etag);
        await expect(store.put('leases/tick.json', 'late', { ifMatch: previous })).rejects.toBeInstanceOf(PreconditionFailedError);
      }
      expect(text(await store.get('leases/tick.json'))).toBe('ffff');
    });

    it('refuses to replace-if-unchanged an object that is gone', async () => {
      const { etag } = await store.put('leases/gone.json', 'x');
      await store.delete('leases/gone.json');
      await expect(store.put('leases/gone.json', 'y', { ifMatch: etag })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await store.head('leases/gone.json')).toBeUndefined();
    });

    it('creates again where a claimed object was deleted', async () => {
      await store.put('claims/again.json', 'one', { ifNoneMatch: '*' });
      await store.delete('claims/again.json');
      await store.put('claims/again.json', 'two', { ifNoneMatch: '*' });
      expect(text(await store.get('claims/again.json'))).toBe('two');
    });

    it('fails with DeadlineExceededError when the signal is already aborted', async () => {
      await store.put('late', 'x');
      const signal = AbortSignal.abort();
      await expect(store.get('late', { signal })).rejects.toBeInstanceOf(DeadlineExceededError);
      await expect(store.put('late', 'y', { signal })).rejects.toBeInstanceOf(DeadlineExceededError);
      expect(text(await store.get('late'))).toBe('x');
    });
  });
}
