import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { S3UploadSigner } from '../../adapters/aws/s3-upload-signer.js';
import { DeadlineExceededError, DependencyUnavailableError } from '../../core/errors.js';
import { freePort } from '../helpers/processes.js';
import { motoClient, type MotoServer, startMoto } from '../helpers/moto.js';
import { describeBlobStoreContract } from '../unit/adapters/blob-store-contract.js';

let moto: MotoServer;
let buckets = 0;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

/** A new empty bucket on moto, and a store over it. */
async function freshStore(): Promise<{ store: S3BlobStore; bucket: string }> {
  const client = moto.s3();
  const bucket = `kelpie-test-${process.pid}-${++buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { store: new S3BlobStore({ client, bucket }), bucket };
}

describeBlobStoreContract('S3BlobStore on moto', async () => ({ store: (await freshStore()).store }));

describe('S3BlobStore on moto', () => {
  it('uploads through a presigned PUT URL with plain fetch', async () => {
    const { store, bucket } = await freshStore();
    const signer = new S3UploadSigner({ client: moto.s3(), bucket });
    const upload = await signer.presignPut('uploads/a b+é.tif', { contentType: 'image/tiff', expiresInS: 60 });
    expect(upload.url).not.toMatch(/x-amz-checksum/i);
    expect(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host;if-none-match');

    const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array([73, 73, 42, 0]) });

    expect(response.status).toBe(200);
    expect(await store.get('uploads/a b+é.tif')).toEqual(new Uint8Array([73, 73, 42, 0]));
  });

  it('refuses a second upload through the same presigned URL, leaving the first', async () => {
    const { store, bucket } = await freshStore();
    const upload = await new S3UploadSigner({ client: moto.s3(), bucket }).presignPut('uploads/once.tif', { contentType: 'image/tiff', expiresInS: 60 });
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array([73, 73, 42, 0]) })).status).toBe(200);

    const again = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array([1, 2, 3]) });

    expect(again.status).toBe(412);
    expect(await store.get('uploads/once.tif')).toEqual(new Uint8Array([73, 73, 42, 0]));
  });

  it('says when the presigned URL stops working', async () => {
    const signer = new S3UploadSigner({ client: moto.s3(), bucket: 'b', now: () => Date.parse('2024-08-01T00:00:00Z') });
    const upload = await signer.presignPut('uploads/x.tif', { contentType: 'image/tiff', expiresInS: 900 });
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/tiff', 'if-none-match': '*' }, expiresAt: '2024-08-01T00:15:00.000Z' });
  });

  it('keeps the content type it was given', async () => {
    const { store } = await freshStore();
    await store.put('results/a/overlay.png', new Uint8Array([1]), { contentType: 'image/png' });
    expect(await store.head('results/a/overlay.png')).toMatchObject({ size: 1, contentType: 'image/png' });
  });

  it('gives the etag without S3 quotes', async () => {
    const { store } = await freshStore();
    const info = await store.put('e', 'abc');
    expect(info.etag).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect((await store.head('e'))?.etag).toBe(info.etag);
  });

  it('answers a missing bucket with DependencyUnavailableError, not NotFoundError', async () => {
    const store = new S3BlobStore({ client: moto.s3(), bucket: 'kelpie-no-such-bucket' });
    await expect(store.get('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('S3BlobStore when S3 does not answer', () => {
  it('fails with DependencyUnavailableError quickly when nothing listens', async () => {
    const store = new S3BlobStore({ client: motoClient(`http://127.0.0.1:${await freePort()}`), bucket: 'b' });
    const started = Date.now();
    const error = await store.get('uploads/a.tif').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toBe('S3 store could not get "uploads/a.tif" (ECONNREFUSED)');
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

    it('times out with DependencyUnavailableError', async () => {
      const store = new S3BlobStore({ client: motoClient(endpoint), bucket: 'b' });
      const started = Date.now();
      await expect(store.head('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('fails with DeadlineExceededError when the caller aborts first', async () => {
      const store = new S3BlobStore({ client: motoClient(endpoint), bucket: 'b' });
      await expect(store.get('uploads/a.tif', { signal: AbortSignal.timeout(200) })).rejects.toBeInstanceOf(DeadlineExceededError);
    });
  });
});
