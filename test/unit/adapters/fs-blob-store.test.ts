import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../../adapters/fs/fs-blob-store';
import type { FsBlobStoreFs } from '../../../adapters/fs/fs-blob-store';
import { DependencyUnavailableError, InvalidRequestError, PreconditionFailedError } from '../../../core/errors';
import { lockPathFor } from '../../../adapters/fs/fs-temp';
import { describeBlobStoreContract } from './blob-store-contract';

const makeRoot = (): Promise<string> => mkdtemp(path.join(tmpdir(), 'kelpie-fs-store-'));
const removeRoot = (root: string): Promise<void> => rm(root, { recursive: true, force: true });

/** Every file below `dir`, as `/`-separated paths relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describeBlobStoreContract('FsBlobStore', async () => {
  const root = await makeRoot();
  return { store: new FsBlobStore({ root }), cleanup: () => removeRoot(root) };
});

describe('FsBlobStore', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeRoot();
  });
  afterEach(async () => {
    await removeRoot(root);
  });

  it('writes each key as a file below the root', async () => {
    await new FsBlobStore({ root }).put('results/a/result.json', '{}');
    expect(await readFile(path.join(root, 'results', 'a', 'result.json'), 'utf8')).toBe('{}');
  });

  it.each(['../x', '../../etc/passwd', '/etc/passwd', 'a\\..\\..\\x', 'a/../../x'])(
    'refuses the key %j, which would leave the root',
    async (key) => {
      const store = new FsBlobStore({ root: path.join(root, 'store') });
      await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidRequestError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidRequestError);
      expect(await filesBelow(root)).toEqual([]);
    },
  );

  it('does not list temporary files of writes in progress', async () => {
    const store = new FsBlobStore({ root });
    await store.put('uploads/a.tif', 'a');
    await writeFile(path.join(root, 'uploads', '.b.tif.0123456789abcdef.tmp'), 'partial');
    expect((await store.list('uploads/')).items.map((item) => item.key)).toEqual(['uploads/a.tif']);
  });

  it('refuses keys shaped like its temporary files', async () => {
    const store = new FsBlobStore({ root });
    await expect(store.put('uploads/.b.tif.0123456789abcdef.tmp', 'x')).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('leaves neither the object nor a temporary file when the final rename fails', async () => {
    const failure = Object.assign(new Error(`EIO: i/o error, rename '${root}/x'`), { code: 'EIO' });
    const rename: FsBlobStoreFs['rename'] = async () => {
      throw failure;
    };
    const store = new FsBlobStore({ root, fs: { rename } });
    const error = await store.put('results/a/result.json', '{}').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).cause).toBe(failure);
    expect((error as Error).message).toContain('results/a/result.json');
    expect((error as Error).message).not.toContain(root);
    expect(await filesBelow(root)).toEqual([]);
    expect(await store.head('results/a/result.json')).toBeUndefined();
  });

  it('keeps the old object whole when an overwrite fails', async () => {
    await new FsBlobStore({ root }).put('o', 'old');
    const rename: FsBlobStoreFs['rename'] = async () => {
      throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
    };
    const failing = new FsBlobStore({ root, fs: { rename } });
    await expect(failing.put('o', 'new and longer')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await readFile(path.join(root, 'o'), 'utf8')).toBe('old');
    expect(await filesBelow(root)).toEqual(['o']);
  });

  it('reads a range of a 5 MB file with exactly the requested bytes, without readFile', async () => {
    const body = Uint8Array.from({ length: 5 * 1024 * 1024 }, (_, i) => (i * 31) % 251);
    await new FsBlobStore({ root }).put('big.bin', body);
    let bytesRead = 0;
    const open: FsBlobStoreFs['open'] = async (...args) => {
      const handle = await nodeFs.open(...args);
      const read = handle.read.bind(handle) as (...a: unknown[]) => Promise<{ bytesRead: number }>;
      Object.assign(handle, {
        read: async (...a: unknown[]) => {
          const result = await read(...a);
          bytesRead += result.bytesRead;
          return result;
        },
      });
      return handle;
    };
    const readFileNever: FsBlobStoreFs['readFile'] = async () => {
      throw new Error('getRange must not read the whole file');
    };
    const store = new FsBlobStore({ root, fs: { open, readFile: readFileNever } });
    const range = await store.getRange('big.bin', 3_000_000, 16_384);
    expect(range).toEqual(body.subarray(3_000_000, 3_016_384));
    expect(bytesRead).toBe(16_384);
  });

  it('derives the etag from size and modification time, so a rewrite changes it', async () => {
    const store = new FsBlobStore({ root });
    const first = await store.put('e', 'one');
    const second = await store.put('e', 'three');
    expect(first.etag).toMatch(/^[0-9a-f]+-[0-9a-f]+$/);
    expect(second.etag).not.toBe(first.etag);
    expect((await store.head('e'))?.etag).toBe(second.etag);
  });

  it('removes folders left empty by a delete, so their name can become a key', async () => {
    const store = new FsBlobStore({ root });
    await store.put('a/b/c', 'x');
    await store.delete('a/b/c');
    expect(await readdir(root)).toEqual([]);
    await expect(store.put('a', 'now a file')).resolves.toMatchObject({ key: 'a' });
  });

  it('refuses a key that clashes with an existing folder', async () => {
    const store = new FsBlobStore({ root });
    await store.put('a/b', 'x');
    await expect(store.put('a', 'y')).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(store.put('a/b/c', 'y')).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('answers head of a folder with undefined', async () => {
    const store = new FsBlobStore({ root });
    await store.put('a/b', 'x');
    expect(await store.head('a')).toBeUndefined();
  });

  it('lists an empty page when the root does not exist yet', async () => {
    const store = new FsBlobStore({ root: path.join(root, 'not-yet') });
    expect(await store.list('')).toEqual({ items: [] });
  });

  it('maps other fs errors to DependencyUnavailableError without the absolute path', async () => {
    const readdirFails = (async () => {
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${root}'`), { code: 'EACCES' });
    }) as unknown as FsBlobStoreFs['readdir'];
    const store = new FsBlobStore({ root, fs: { readdir: readdirFails } });
    const error = await store.list('results/').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toBe('file store could not list "results/" (EACCES)');
  });

  it('removes the temporary files of a writer that died, and keeps those of a live one', async () => {
    await mkdir(path.join(root, 'out', 'layers'), { recursive: true });
    // A process id that cannot be running (above every kernel's pid_max), and this process's own.
    const dead = path.join(root, 'out', 'layers', '.rgb.png.p4194305.0123456789abcdef.tmp');
    const live = path.join(root, 'out', `.result.json.p${process.pid}.0123456789abcdef.tmp`);
    await writeFile(dead, 'half a png');
    await writeFile(live, 'being written');
    const store = new FsBlobStore({ root });

    expect(await store.removeOrphans('out/')).toBe(1);

    expect(await filesBelow(root)).toEqual([`out/.result.json.p${process.pid}.0123456789abcdef.tmp`]);
  });

  it('tags each temporary file with the writing process, so a later run can tell an orphan', async () => {
    const names: string[] = [];
    const rename: FsBlobStoreFs['rename'] = async (from, to) => {
      names.push(path.basename(String(from)));
      return nodeFs.rename(from, to);
    };
    await new FsBlobStore({ root, fs: { rename } }).put('a.json', '{}');
    expect(names).toEqual([expect.stringMatching(new RegExp(`^\\.a\\.json\\.p${process.pid}\\.[0-9a-f]{16}\\.tmp$`))]);
  });

  it('refuses create-if-absent where a folder has the name, as the clash it is', async () => {
    const store = new FsBlobStore({ root });
    await store.put('a/b', 'x');
    await expect(store.put('a', 'y', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await filesBelow(root)).toEqual(['a/b']);
  });

  it('breaks a lock left by a writer that died holding it', async () => {
    const store = new FsBlobStore({ root });
    const { etag } = await store.put('leases/a.json', 'v1');
    const lock = lockPathFor(path.join(root, 'leases', 'a.json'));
    await writeFile(lock, '');
    const old = (Date.now() - 60_000) / 1000;
    await utimes(lock, old, old);

    await expect(store.put('leases/a.json', 'v2', { ifMatch: etag })).resolves.toMatchObject({ size: 2 });
    expect(await filesBelow(root)).toEqual(['leases/a.json']);
  });

  it('leaves no lock or temporary file behind after a refused conditional write', async () => {
    const store = new FsBlobStore({ root });
    await store.put('leases/a.json', 'v1');
    await expect(store.put('leases/a.json', 'v2', { ifMatch: 'stale' })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.put('leases/a.json', 'v2', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await filesBelow(root)).toEqual(['leases/a.json']);
  });
});
