import { InvocationContext, app } from '@azure/functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GOOD_ENV, coldStart } from '../../helpers/cold-start.js';
import { loadEvent } from '../../helpers/events.js';

const load = () => import('../../../functions/upload-analyze.azure.js');
const context = (triggerMetadata?: Record<string, unknown>) => new InvocationContext({ invocationId: 'inv-1', logHandler: () => {}, ...(triggerMetadata ? { triggerMetadata } : {}) });

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // "test mode": no Functions host here
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('functions/upload-analyze.azure.ts', () => {
  it('registers the Event Grid trigger and a blob trigger on %KELPIE_BUCKET%/uploads/ in the store’s account', async () => {
    const eventGrid = vi.spyOn(app, 'eventGrid').mockImplementation(() => {});
    const storageBlob = vi.spyOn(app, 'storageBlob').mockImplementation(() => {});
    const { analyzeUploadEventGrid, analyzeUploadBlob } = await coldStart(load, GOOD_ENV);

    expect(eventGrid).toHaveBeenCalledWith('analyzeUploadEventGrid', { handler: analyzeUploadEventGrid });
    expect(storageBlob).toHaveBeenCalledWith('analyzeUploadBlob', { path: '%KELPIE_BUCKET%/uploads/{name}', connection: 'AZURE_STORAGE_CONNECTION_STRING', handler: analyzeUploadBlob });
  });

  it('acknowledges events for blobs it cannot find (superseded) from either trigger', async () => {
    const { analyzeUploadEventGrid, analyzeUploadBlob } = await coldStart(load, GOOD_ENV);
    await expect(analyzeUploadEventGrid(loadEvent('azure/eventgrid-blob-created.json'), context())).resolves.toBeUndefined();
    await expect(analyzeUploadBlob(new Uint8Array(0), context(loadEvent('azure/blob-trigger-metadata.json')))).resolves.toBeUndefined();
  });

  it('drops an event it cannot read (acknowledged, one warning through the invocation’s log), as every platform does', async () => {
    const { analyzeUploadEventGrid } = await coldStart(load, { ...GOOD_ENV, KELPIE_LOG_LEVEL: 'warn' });
    const seen: Array<[string, unknown[]]> = [];
    const logged = new InvocationContext({ invocationId: 'inv-2', logHandler: (level, ...args) => void seen.push([level, args]) });
    await expect(analyzeUploadEventGrid(loadEvent('azure/timer-backup.json'), logged)).resolves.toBeUndefined();
    expect(seen.map(([level, args]) => [level, JSON.parse(String(args[0]))])).toEqual([
      ['warning', expect.objectContaining({ message: 'upload event dropped: it cannot succeed as it is', outcome: 'dropped', disposition: 'drop', reason: expect.stringMatching(/^UNRECOGNIZED_EVENT/) })],
    ]);
  });

  it('fails every event with a configuration error naming the setting, logged once, without crashing at load', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { analyzeUploadEventGrid, analyzeUploadBlob } = await coldStart(load, { KELPIE_STORE: 'azure', KELPIE_BUCKET: 'imagery' });

    await expect(analyzeUploadEventGrid(loadEvent('azure/eventgrid-blob-created.json'), context())).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringMatching(/AZURE_STORAGE_CONNECTION_STRING/),
    });
    await expect(analyzeUploadBlob(new Uint8Array(0), context(loadEvent('azure/blob-trigger-metadata.json')))).rejects.toMatchObject({ code: 'CONFIGURATION' });
    expect(error).toHaveBeenCalledTimes(1);
  });
});
