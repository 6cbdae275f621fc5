import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FsBlobStore } from '../../adapters/fs/fs-blob-store.js';
import { watchUploads } from '../../adapters/local/upload-watcher.js';
import { silentLogger } from '../../core/ports/logger.js';
import { handleObjectCreated } from '../../core/usecases/object-created.js';

const SAMPLE = join(import.meta.dirname, '../../samples/coastal-sample.tif');

describe('the local upload watcher', () => {
  let root: string;
  let close = () => {};
  afterEach(async () => {
    close();
    await rm(root, { recursive: true, force: true });
  });

  async function start() {
    root = await mkdtemp(join(tmpdir(), 'kelpie-watch-'));
    const store = new FsBlobStore({ root });
    const deps = { imageStore: store, resultStore: store, imageStoreName: 'fs', clock: { now: () => Date.now() }, logger: silentLogger, codeVersion: 'test', maxImagePixels: 1e8 };
    const watcher = await watchUploads({ root, store, onObjectCreated: (event) => handleObjectCreated(event, deps), logger: silentLogger, settleMs: 150 });
    close = watcher.close;
    return { store, watcher };
  }

  it('analyses a GeoTIFF copied into uploads/, with a space in its name', async () => {
    const { store, watcher } = await start();
    await copyFile(SAMPLE, join(root, 'uploads', 'monterey bay.tif'));
    const results = await vi.waitFor(
      async () => {
        await watcher.idle();
        const keys = (await store.list('results/')).items.map((i) => i.key);
        expect(keys.some((key) => key.endsWith('/result.json'))).toBe(true);
        return keys;
      },
      { timeout: 15_000, interval: 100 },
    );
    const resultKey = results.find((key) => key.endsWith('/result.json')) as string;
    const result = JSON.parse(await readFile(join(root, resultKey), 'utf8'));
    expect(result.source.uri).toBe('uploads/monterey bay.tif');
  });

  it('records a file that is not a GeoTIFF in error.json and ignores other suffixes', async () => {
    const { store, watcher } = await start();
    await writeFile(join(root, 'uploads', 'notes.tif'), 'not an image');
    await writeFile(join(root, 'uploads', 'readme.txt'), 'ignored');
    const keys = await vi.waitFor(
      async () => {
        await watcher.idle();
        const found = (await store.list('results/')).items.map((i) => i.key);
        expect(found).toHaveLength(1);
        return found;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(keys[0]).toMatch(/error\.json$/);
  });
});
