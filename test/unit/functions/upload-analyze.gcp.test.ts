import type { AddressInfo } from 'node:net';
import { getFunction, getTestServer } from '@google-cloud/functions-framework/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCloudEvent } from '../../helpers/cloud-events.js';
import { GOOD_ENV, coldStart } from '../../helpers/cold-start.js';
import { captureLogLines } from '../../helpers/log-lines.js';

const load = () => import('../../../functions/upload-analyze.gcp.js');

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('functions/upload-analyze.gcp.ts', () => {
  it('registers "analyzeUpload" as a CloudEvent function', async () => {
    const { analyzeUpload } = await coldStart(load, GOOD_ENV);
    expect(getFunction('analyzeUpload')).toBe(analyzeUpload);
  });

  it('acknowledges an upload it cannot find (a superseded event) instead of failing', async () => {
    const { analyzeUpload } = await coldStart(load, GOOD_ENV);
    await expect(analyzeUpload(loadCloudEvent('gcp/storage-finalized-structured.json'))).resolves.toBeUndefined();
  });

  it('drops an event it cannot read (acknowledged, one warning), as every platform does', async () => {
    const { analyzeUpload } = await coldStart(load, { ...GOOD_ENV, KELPIE_LOG_LEVEL: 'warn' });
    const event = loadCloudEvent('gcp/storage-finalized-structured.json');
    const logs = captureLogLines();
    try {
      await expect(analyzeUpload({ ...event, data: { bucket: 'kelpie-imagery' } })).resolves.toBeUndefined();
      expect(logs.matching('upload event dropped: it cannot succeed as it is')).toEqual([
        expect.objectContaining({ severity: 'WARNING', outcome: 'dropped', disposition: 'drop', reason: expect.stringMatching(/^UNRECOGNIZED_EVENT/) }),
      ]);
    } finally {
      logs.restore();
    }
  });

  it('fails every event with a configuration error naming the setting, logged once, without crashing at load', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { analyzeUpload } = await coldStart(load, { KELPIE_STORE: 'gcs' });
    const event = loadCloudEvent('gcp/storage-finalized-structured.json');

    await expect(analyzeUpload(event)).rejects.toMatchObject({ code: 'CONFIGURATION', message: expect.stringMatching(/KELPIE_BUCKET/) });
    await expect(analyzeUpload(event)).rejects.toMatchObject({ code: 'CONFIGURATION' });
    expect(error).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(error.mock.calls[0][0]))).toMatchObject({ severity: 'ERROR', service: 'upload-analyze', message: expect.stringMatching(/^cannot start: .*KELPIE_BUCKET/) });
  });

  it('answers the framework 500 for a configuration error, so Eventarc keeps the event', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await coldStart(load, { KELPIE_STORE: 'gcs' });
    const server = getTestServer('analyzeUpload');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify(loadCloudEvent('gcp/storage-finalized-structured.json')),
      });
      expect(response.status).toBe(500);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
