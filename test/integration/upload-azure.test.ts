// The upload triggers on Azure, end to end on Azurite (started by this file): the registered
// Event Grid and blob trigger handlers called as the Functions worker calls them (no local
// Functions host here), with real InvocationContext objects and payloads from events/azure.
import { readFile } from 'node:fs/promises';
import { InvocationContext } from '@azure/functions';
import type { ContainerClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureBlobStore } from '../../adapters/azure/azure-blob-store.js';
import { createAzureContainerClient } from '../../adapters/azure/azure-client.js';
import { listAll } from '../../core/usecases/backup-manifest.js';
import { type AzuriteServer, startAzurite } from '../helpers/azurite.js';
import { loadEvent } from '../helpers/events.js';
import { captureLogLines, hostLogHandler } from '../helpers/log-lines.js';

type Handler = (input: unknown, context: InvocationContext) => Promise<void>;
type UploadModule = { analyzeUploadEventGrid: Handler; analyzeUploadBlob: Handler };

const CONTAINER = 'imagery';
const SAMPLE = new URL('../../samples/coastal-sample.tif', import.meta.url);

let azurite: AzuriteServer;
let store: AzureBlobStore;
let fn: UploadModule;

/** Loads the function file afresh under `env`, as a cold start would. */
async function coldStart(env: Record<string, string>): Promise<UploadModule> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return (await import('../../functions/upload-analyze.azure.js')) as UploadModule;
}

const context = (functionName: string, triggerMetadata?: Record<string, unknown>) =>
  new InvocationContext({ invocationId: `inv-${Math.random().toString(36).slice(2, 8)}`, functionName, logHandler: hostLogHandler, ...(triggerMetadata ? { triggerMetadata } : {}) });

/** Azurite's URL of `key` in `container`, each segment encoded as Event Grid and the SDK send it. */
const blobUrl = (key: string, container = CONTAINER) => `${azurite.blobEndpoint}/${container}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** A BlobCreated event (Event Grid or CloudEvents schema, from events/azure) for `key` as it is now in Azurite. */
async function blobCreated(file: 'azure/eventgrid-blob-created.json' | 'azure/cloudevents-blob-created.json', key: string, container = CONTAINER) {
  const event = loadEvent<{ subject: string; data: Record<string, unknown> }>(file);
  const info = container === CONTAINER ? await store.head(key) : undefined;
  event.subject = `/blobServices/default/containers/${container}/blobs/${key}`;
  event.data = { ...event.data, url: blobUrl(key, container), eTag: info?.etag ?? '0x8DC5F0B4A1E2D3C', contentLength: info?.size ?? 1 };
  return event;
}

/** The blob trigger's metadata for `key`, shaped as in events/azure/blob-trigger-metadata.json (ETag quoted). */
async function blobTriggerMetadata(key: string) {
  const info = await store.head(key);
  const metadata = loadEvent<{ properties: Record<string, unknown> } & Record<string, unknown>>('azure/blob-trigger-metadata.json');
  return { ...metadata, blobTrigger: `${CONTAINER}/${key}`, uri: blobUrl(key), name: key.slice('uploads/'.length), properties: { ...metadata.properties, eTag: `"${info?.etag}"`, contentLength: info?.size } };
}

async function snapshot(): Promise<string[]> {
  return (await listAll(store, '')).map((item) => `${item.key} ${item.etag}`);
}

async function resultKeysFor(key: string): Promise<string[]> {
  for (const item of await listAll(store, 'results/')) {
    if (!item.key.endsWith('/result.json')) continue;
    const result = JSON.parse(new TextDecoder().decode(await store.get(item.key))) as { source: { uri: string } };
    if (result.source.uri === key) return (await listAll(store, item.key.replace(/result\.json$/, ''))).map((i) => i.key.split('/').pop() as string);
  }
  return [];
}

describe('the Azure upload triggers on Azurite', () => {
  let logs: ReturnType<typeof captureLogLines>;

  beforeAll(async () => {
    azurite = await startAzurite();
    const client: ContainerClient = createAzureContainerClient({ connectionString: azurite.connectionString, container: CONTAINER });
    await client.create();
    store = new AzureBlobStore({ client });
    const sample = new Uint8Array(await readFile(SAMPLE));
    for (const key of ['uploads/Bahía kelp 01.tif', 'uploads/kelp+canopy ñ 02.tif', 'uploads/blob trigger é 03.tif']) await store.put(key, sample, { contentType: 'image/tiff' });
    await store.put('uploads/broken scene é.tif', 'this is not a GeoTIFF', { contentType: 'image/tiff' });
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // "test mode": no Functions host here
    fn = await coldStart({ KELPIE_STORE: 'azure', KELPIE_BUCKET: CONTAINER, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, KELPIE_ENV: 'test', KELPIE_LOG_LEVEL: 'info' });
  });
  beforeEach(() => {
    logs = captureLogLines();
  });
  afterEach(() => logs.restore());
  afterAll(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await azurite?.dispose();
  });

  it('analyses an upload announced by an Event Grid schema BlobCreated event', async () => {
    await fn.analyzeUploadEventGrid(await blobCreated('azure/eventgrid-blob-created.json', 'uploads/Bahía kelp 01.tif'), context('analyzeUploadEventGrid'));

    expect(await resultKeysFor('uploads/Bahía kelp 01.tif')).toEqual(expect.arrayContaining(['result.json', 'kelp-mask.tif', 'overlay.png', 'beds.geojson']));
    expect(logs.matching('upload event handled')).toEqual([expect.objectContaining({ level: 'INFO', via: 'eventgrid', outcome: 'analysed' })]);
  });

  it('analyses an upload announced in the CloudEvents schema', async () => {
    await fn.analyzeUploadEventGrid(await blobCreated('azure/cloudevents-blob-created.json', 'uploads/kelp+canopy ñ 02.tif'), context('analyzeUploadEventGrid'));

    expect(await resultKeysFor('uploads/kelp+canopy ñ 02.tif')).toContain('result.json');
  });

  it('analyses an upload through the blob trigger', async () => {
    const metadata = await blobTriggerMetadata('uploads/blob trigger é 03.tif');

    await fn.analyzeUploadBlob(new Uint8Array(0), context('analyzeUploadBlob', metadata));

    expect(await resultKeysFor('uploads/blob trigger é 03.tif')).toEqual(expect.arrayContaining(['result.json', 'kelp-mask.tif']));
  });

  it('does nothing when an event is delivered again, by either trigger', async () => {
    await fn.analyzeUploadEventGrid(await blobCreated('azure/eventgrid-blob-created.json', 'uploads/Bahía kelp 01.tif'), context('analyzeUploadEventGrid'));
    const before = await snapshot();
    logs.restore();
    logs = captureLogLines();

    await fn.analyzeUploadEventGrid(await blobCreated('azure/cloudevents-blob-created.json', 'uploads/Bahía kelp 01.tif'), context('analyzeUploadEventGrid'));
    await fn.analyzeUploadBlob(new Uint8Array(0), context('analyzeUploadBlob', await blobTriggerMetadata('uploads/Bahía kelp 01.tif')));

    expect(await snapshot()).toEqual(before);
    expect(logs.matching('upload event handled').map((line) => line.outcome)).toEqual(['duplicate', 'duplicate']);
  });

  it('records a corrupt upload in error.json and resolves', async () => {
    await expect(
      fn.analyzeUploadEventGrid(await blobCreated('azure/eventgrid-blob-created.json', 'uploads/broken scene é.tif'), context('analyzeUploadEventGrid')),
    ).resolves.toBeUndefined();

    const errorKey = (await listAll(store, 'results/')).map((item) => item.key).find((key) => key.endsWith('/error.json'));
    expect(JSON.parse(new TextDecoder().decode(await store.get(errorKey as string)))).toMatchObject({ key: 'uploads/broken scene é.tif', bucket: CONTAINER, code: 'NOT_A_TIFF' });
  });

  it('hands an upload to another container back (Event Grid redelivers, then dead-letters) without reading anything', async () => {
    const before = await snapshot();

    await expect(
      fn.analyzeUploadEventGrid(await blobCreated('azure/eventgrid-blob-created.json', 'uploads/Bahía kelp 01.tif', 'elsewhere'), context('analyzeUploadEventGrid')),
    ).rejects.toMatchObject({ code: 'UPLOAD_RETRY' });

    expect(await snapshot()).toEqual(before);
    expect(logs.matching('upload event not done; the platform will deliver it again')).toEqual([expect.objectContaining({ level: 'ERROR', reason: expect.stringMatching(/serves "imagery"/) })]);
  });

  it('rejects (so that Event Grid redelivers) when the container cannot be reached', async () => {
    const missing = await coldStart({ KELPIE_BUCKET: 'no-such-container' });

    await expect(
      missing.analyzeUploadEventGrid(await blobCreated('azure/eventgrid-blob-created.json', 'uploads/Bahía kelp 01.tif', 'no-such-container'), context('analyzeUploadEventGrid')),
    ).rejects.toMatchObject({ code: 'UPLOAD_RETRY' }); // a fresh module graph: compare codes, not classes
    expect(logs.matching('upload event not done; the platform will deliver it again')).toEqual([expect.objectContaining({ level: 'ERROR', reason: expect.stringMatching(/^DEPENDENCY_UNAVAILABLE/) })]);
  });
});
