// These tests run GcsBlobStore against a TEST DOUBLE of the Cloud Storage JSON API
// (test/helpers/gcs-double.ts), not against Cloud Storage or an emulator: no Cloud Storage
// emulator exists on this machine. The double answers only the requests the real client sends for
// these operations, with Google's status codes, headers and error bodies; each test also checks
// that the client asked for nothing the double does not implement.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GcsBlobStore } from '../../adapters/gcp/gcs-blob-store.js';
import { createGcsBucket } from '../../adapters/gcp/gcs-client.js';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError } from '../../core/errors.js';
import { type GcsDouble, startGcsDouble } from '../helpers/gcs-double.js';
import { describeBlobStoreContract } from '../unit/adapters/blob-store-contract.js';

let double: GcsDouble;
let buckets = 0;

beforeAll(async () => {
  double = await startGcsDouble();
});
afterEach(() => {
  expect(double.unhandled).toEqual([]);
});
afterAll(async () => {
  await double?.close();
});

/** A new empty bucket on the double, and a store over it. */
function freshStore(server = double): GcsBlobStore {
  const bucket = `kelpie-test-${++buckets}`;
  server.createBucket(bucket);
  return new GcsBlobStore({ bucket: createGcsBucket({ bucket, apiEndpoint: server.endpoint, projectId: 'test' }) });
}

describeBlobStoreContract('GcsBlobStore on the JSON API test double', async () => ({ store: freshStore() }));

describe('GcsBlobStore on the JSON API test double', () => {
  it('keeps the content type it was given', async () => {
    const store = freshStore();
    await store.put('results/a/overlay.png', new Uint8Array([1]), { contentType: 'image/png' });
    expect(await store.head('results/a/overlay.png')).toMatchObject({ size: 1, contentType: 'image/png' });
  });

  it('gives the object etag, which changes when the object is written again', async () => {
    const store = freshStore();
    const first = await store.put('e', 'one');
    const second = await store.put('e', 'two');
    expect(first.etag).toBeTruthy();
    expect(second.etag).not.toBe(first.etag);
    expect((await store.head('e'))?.etag).toBe(second.etag);
  });

  it('refuses a list cursor it did not issue with InvalidRequestError', async () => {
    const store = freshStore();
    await store.put('p/a', 'a');
    await expect(store.list('p/', { cursor: 'not-a-token' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('answers a missing bucket with DependencyUnavailableError, not NotFoundError', async () => {
    const store = new GcsBlobStore({ bucket: createGcsBucket({ bucket: 'kelpie-no-such-bucket', apiEndpoint: double.endpoint }) });
    await expect(store.get('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.head('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.delete('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('reaches the endpoint in STORAGE_EMULATOR_HOST when no apiEndpoint is given', async () => {
    double.createBucket('kelpie-emulator-host');
    vi.stubEnv('STORAGE_EMULATOR_HOST', double.endpoint);
    try {
      const store = new GcsBlobStore({ bucket: createGcsBucket({ bucket: 'kelpie-emulator-host' }) });
      await store.put('k', 'via env');
      expect(new TextDecoder().decode(await store.get('k'))).toBe('via env');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('GcsBlobStore when the JSON API does not answer', () => {
  it('fails with DependencyUnavailableError quickly once the double is closed', async () => {
    const server = await startGcsDouble();
    const store = freshStore(server);
    await store.put('canary', 'x');
    await server.close();

    const started = Date.now();
    const error = await store.head('canary').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    // A kept-alive connection the double dropped gives ECONNRESET; a new one, ECONNREFUSED.
    expect((error as Error).message).toMatch(/^Cloud Storage store could not head "canary" \((ECONNREFUSED|ECONNRESET)\)$/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  describe('with a server that accepts connections and never answers', () => {
    let server: Server;
    let endpoint: string;
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      server = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    const hungStore = () => new GcsBlobStore({ bucket: createGcsBucket({ bucket: 'b', apiEndpoint: endpoint, timeoutMs: 1_000 }) });

    it('times out with DependencyUnavailableError', async () => {
      const started = Date.now();
      await expect(hungStore().head('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it.each(['head', 'get', 'put'] as const)('fails %s with DeadlineExceededError when the caller aborts first', async (op) => {
      const signal = AbortSignal.timeout(200);
      const run = { head: () => hungStore().head('k', { signal }), get: () => hungStore().get('k', { signal }), put: () => hungStore().put('k', 'x', { signal }) }[op];
      const started = Date.now();
      await expect(run()).rejects.toBeInstanceOf(DeadlineExceededError);
      expect(Date.now() - started).toBeLessThan(900);
    });
  });
});
