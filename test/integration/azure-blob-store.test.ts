import { ContainerClient } from '@azure/storage-blob';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureBlobStore } from '../../adapters/azure/azure-blob-store.js';
import { AzureUploadSigner, createAzureContainerClient } from '../../adapters/azure/azure-client.js';
import { DeadlineExceededError, DependencyUnavailableError } from '../../core/errors.js';
import { type AzuriteServer, startAzurite } from '../helpers/azurite.js';
import { describeBlobStoreContract } from '../unit/adapters/blob-store-contract.js';

let azurite: AzuriteServer;
let containers = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.dispose();
});

/** A client for a new, empty container on Azurite (short timeouts, so failures show fast). */
async function freshContainer(server = azurite): Promise<ContainerClient> {
  const client = createAzureContainerClient({ connectionString: server.connectionString, container: `kelpie-${process.pid}-${++containers}`, requestTimeoutMs: 2_000 });
  await client.create();
  return client;
}

describeBlobStoreContract('AzureBlobStore on Azurite', async () => {
  const client = await freshContainer();
  return { store: new AzureBlobStore({ client }), cleanup: async () => void (await client.deleteIfExists()) };
});

describe('AzureBlobStore on Azurite', () => {
  it('uploads through a SAS URL with plain fetch and the returned headers', async () => {
    const client = await freshContainer();
    const upload = await new AzureUploadSigner({ client }).presignPut('uploads/a b+é.tif', { contentType: 'image/tiff', expiresInS: 60 });

    const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array([73, 73, 42, 0]) });

    expect(response.status).toBe(201);
    const store = new AzureBlobStore({ client });
    expect(await store.get('uploads/a b+é.tif')).toEqual(new Uint8Array([73, 73, 42, 0]));
    expect(await store.head('uploads/a b+é.tif')).toMatchObject({ size: 4, contentType: 'image/tiff' });
  });

  it('refuses a second upload through the same SAS URL, leaving the first', async () => {
    const client = await freshContainer();
    const upload = await new AzureUploadSigner({ client }).presignPut('uploads/once.tif', { contentType: 'image/tiff', expiresInS: 60 });
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array([73, 73, 42, 0]) })).status).toBe(201);

    const again = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array([1, 2, 3]) });
    const withoutCondition = await fetch(upload.url, { method: 'PUT', headers: { ...upload.headers, 'if-none-match': '' }, body: new Uint8Array([1, 2, 3]) });

    // A create-only SAS cannot overwrite whatever the headers say (Azurite answers 403 to both).
    expect([again.ok, withoutCondition.ok]).toEqual([false, false]);
    expect(await new AzureBlobStore({ client }).get('uploads/once.tif')).toEqual(new Uint8Array([73, 73, 42, 0]));
  });

  it('signs for create only on that blob, and says when the URL stops working', async () => {
    const client = await freshContainer();
    const signer = new AzureUploadSigner({ client, now: () => Date.parse('2024-08-01T00:00:00Z') });
    const upload = await signer.presignPut('uploads/x.tif', { contentType: 'image/tiff', expiresInS: 900 });
    const query = new URL(upload.url).searchParams;
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'image/tiff', 'if-none-match': '*' }, expiresAt: '2024-08-01T00:15:00.000Z' });
    expect({ sp: query.get('sp'), sr: query.get('sr'), se: query.get('se') }).toEqual({ sp: 'c', sr: 'b', se: '2024-08-01T00:15:00Z' });
  });

  it('refuses to sign without an account key', () => {
    const anonymous = new ContainerClient(`${azurite.blobEndpoint}/kelpie-anonymous`);
    expect(() => new AzureUploadSigner({ client: anonymous })).toThrow(/AccountKey/);
  });

  it('keeps the content type, and gives the etag without quotes', async () => {
    const store = new AzureBlobStore({ client: await freshContainer() });
    const info = await store.put('results/a/overlay.png', new Uint8Array([1]), { contentType: 'image/png' });
    expect(info.etag).toMatch(/^[^"]+$/);
    expect(await store.head('results/a/overlay.png')).toMatchObject({ size: 1, contentType: 'image/png', etag: info.etag });
  });

  it('copies a key with a space, + and non-ASCII characters', async () => {
    const store = new AzureBlobStore({ client: await freshContainer() });
    await store.put('results/a b+é/result.json', 'payload');
    await store.copy('results/a b+é/result.json', 'backups/2024-08-01/results/a b+é/result.json');
    expect(new TextDecoder().decode(await store.get('backups/2024-08-01/results/a b+é/result.json'))).toBe('payload');
  });

  it('puts an object larger than one request in blocks, and reads a range of it', async () => {
    const store = new AzureBlobStore({ client: await freshContainer() });
    const body = Uint8Array.from({ length: 9 * 1024 * 1024 }, (_, i) => (i * 31) % 251);
    await store.put('big.bin', body);
    expect((await store.head('big.bin'))?.size).toBe(body.length);
    expect(await store.getRange('big.bin', 8 * 1024 * 1024 - 2, 4)).toEqual(body.subarray(8 * 1024 * 1024 - 2, 8 * 1024 * 1024 + 2));
  });

  it('answers a missing container with DependencyUnavailableError, not NotFoundError', async () => {
    const client = createAzureContainerClient({ connectionString: azurite.connectionString, container: 'kelpie-no-such-container' });
    const store = new AzureBlobStore({ client });
    await expect(store.get('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.head('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.list('uploads/')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.delete('uploads/a.tif')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('AzureBlobStore when Azurite is stopped', () => {
  let server: AzuriteServer;

  beforeAll(async () => {
    server = await startAzurite();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('fails with DependencyUnavailableError within a few seconds, and works again after a restart', async () => {
    const store = new AzureBlobStore({ client: await freshContainer(server) });
    await store.put('canary', 'x');
    await server.stop();

    const started = Date.now();
    const error = await store.get('canary').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toBe('Azure Blob store could not get "canary" (ECONNREFUSED)');
    expect(Date.now() - started).toBeLessThan(3_000);
    await server.restart();
    expect(new TextDecoder().decode(await store.get('canary'))).toBe('x');
  });
});

describe('AzureBlobStore with a server that accepts connections and never answers', () => {
  let server: Server;
  let endpoint: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/devstoreaccount1`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const hungStore = () =>
    new AzureBlobStore({
      client: createAzureContainerClient({ connectionString: azurite.connectionString.replace(azurite.blobEndpoint, endpoint), container: 'c', requestTimeoutMs: 1_000 }),
    });

  it('times out with DependencyUnavailableError', async () => {
    const started = Date.now();
    const error = await hungStore().head('uploads/a.tif').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toBe('Azure Blob store could not head "uploads/a.tif" (timeout)');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails with DeadlineExceededError when the caller aborts first', async () => {
    await expect(hungStore().get('uploads/a.tif', { signal: AbortSignal.timeout(200) })).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});
