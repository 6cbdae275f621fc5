import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { blobLocationFromUrl } from '../../../../adapters/azure/blob-url.js';
import { azureFunctionTimeoutMs } from '../../../../adapters/azure/function-timeout.js';
import { fromBlobTrigger, fromEventGridEvent } from '../../../../adapters/azure/upload-events.js';
import { loadEvent } from '../../../helpers/events.js';

describe('fromEventGridEvent', () => {
  it.each([
    {
      file: 'azure/eventgrid-blob-created.json',
      command: { store: 'azure', bucket: 'imagery', key: 'uploads/Bahía Tortugas 2024-06-01.tif', size: 4718903, etag: '0x8DC5F0B4A1E2D3C', eventTime: '2026-03-09T14:21:07.3981234Z' },
      eventId: '6d79b2a4-801e-0017-5b2f-8a6a7d06c1e3',
    },
    {
      file: 'azure/cloudevents-blob-created.json',
      command: { store: 'azure', bucket: 'imagery', key: 'uploads/kelp+canopy Isla Guadalupe ñ.tif', size: 2097152, etag: '0x8DC5F0BF2A6E1B7', eventTime: '2026-03-09T14:25:51.9152260Z' },
      eventId: '9aeb0fdf-c01e-0131-0922-9eb54906e209',
    },
  ])('turns $file into ObjectCreated with each URL segment decoded', ({ file, command, eventId }) => {
    expect(fromEventGridEvent(loadEvent(file))).toEqual({ command, eventId });
  });

  it.each([
    ['azure/eventgrid-blob-deleted.json', /not a blob upload event/],
    ['gcp/storage-finalized-structured.json', /not a blob upload event/],
  ])('ignores %s, saying why', (file, reason) => {
    expect(fromEventGridEvent(loadEvent(file))).toMatchObject({ ignored: expect.stringMatching(reason) });
  });

  it('calls an event in neither schema unreadable', () => {
    expect(fromEventGridEvent(loadEvent('azure/timer-backup.json'))).toMatchObject({ unreadable: expect.objectContaining({ message: 'not an Event Grid or CloudEvents event' }) });
  });

  it('calls a BlobCreated event whose url names no blob unreadable', () => {
    const event = loadEvent<{ data: Record<string, unknown> }>('azure/eventgrid-blob-created.json');
    event.data.url = 'https://kelpiestore.blob.core.windows.net/imagery';
    expect(fromEventGridEvent(event)).toMatchObject({ unreadable: expect.objectContaining({ code: 'UNRECOGNIZED_EVENT', message: expect.stringMatching(/no usable data\.url/) }) });
  });
});

describe('fromBlobTrigger', () => {
  const context = (triggerMetadata: Record<string, unknown>) => new InvocationContext({ invocationId: 'inv-7', functionName: 'analyzeUploadBlob', triggerMetadata, logHandler: () => {} });

  it('takes the container and name from blobTrigger, and the ETag without its quotes', () => {
    expect(fromBlobTrigger(context(loadEvent('azure/blob-trigger-metadata.json')))).toEqual({
      command: { store: 'azure', bucket: 'imagery', key: 'uploads/Bahía Tortugas 2024-06-01.tif', size: 4718903, etag: '0x8DC5F0B4A1E2D3C' },
      eventId: 'inv-7',
    });
  });

  it('falls back to the uri, and to the older extension’s length', () => {
    const { uri } = loadEvent<{ uri: string }>('azure/blob-trigger-metadata.json');
    expect(fromBlobTrigger(context({ uri, properties: { length: 12, eTag: '0x1' } }))).toMatchObject({
      command: { bucket: 'imagery', key: 'uploads/Bahía Tortugas 2024-06-01.tif', size: 12, etag: '0x1' },
    });
  });

  it('leaves out an ETag the host did not give as text', () => {
    const input = fromBlobTrigger(context({ ...loadEvent('azure/blob-trigger-metadata.json'), properties: { eTag: {} } }));
    expect(input).toMatchObject({ command: { key: 'uploads/Bahía Tortugas 2024-06-01.tif' } });
    expect('command' in input && 'etag' in input.command).toBe(false);
  });

  it('calls an invocation without a blob path unreadable', () => {
    expect(fromBlobTrigger(context({}))).toEqual({ unreadable: expect.objectContaining({ message: expect.stringMatching(/no blobTrigger path or uri/) }), eventId: 'inv-7' });
  });
});

describe('blobLocationFromUrl', () => {
  it.each([
    ['https://acct.blob.core.windows.net/imagery/uploads/a%20b%2Bc.tif', { container: 'imagery', name: 'uploads/a b+c.tif' }],
    ['https://acct.blob.core.windows.net/imagery/uploads/a+b.tif', { container: 'imagery', name: 'uploads/a+b.tif' }],
    ['https://acct.blob.core.windows.net/imagery/uploads/Bahía one.tif', { container: 'imagery', name: 'uploads/Bahía one.tif' }],
    ['https://acct.blob.core.windows.net/imagery/uploads/100%.tif', { container: 'imagery', name: 'uploads/100%.tif' }],
    ['http://127.0.0.1:10000/devstoreaccount1/imagery/uploads/x%20y.tif', { container: 'imagery', name: 'uploads/x y.tif' }],
    ['http://localhost:10000/devstoreaccount1/imagery/uploads/x.tif', { container: 'imagery', name: 'uploads/x.tif' }],
    ['https://acct.dfs.core.windows.net/imagery/uploads/deep/x.tif', { container: 'imagery', name: 'uploads/deep/x.tif' }],
  ])('reads %s', (url, location) => {
    expect(blobLocationFromUrl(url)).toEqual(location);
  });

  it.each(['not a url', 'https://acct.blob.core.windows.net/imagery', 'https://acct.blob.core.windows.net/imagery/', 'http://127.0.0.1:10000/devstoreaccount1/imagery'])(
    'gives nothing for %s',
    (url) => {
      expect(blobLocationFromUrl(url)).toBeUndefined();
    },
  );
});

describe('azureFunctionTimeoutMs', () => {
  it.each([
    [{ AzureFunctionsJobHost__functionTimeout: '00:30:00' }, 1_800_000],
    [{ AzureFunctionsJobHost__functionTimeout: '-1' }, 600_000],
    [{}, 600_000],
  ])('reads %j as %d ms', (env, ms) => {
    expect(azureFunctionTimeoutMs(env)).toBe(ms);
  });
});
