import { describe, expect, it } from 'vitest';
import { fromStorageCloudEvent } from '../../../../adapters/gcp/upload-event.js';
import { loadCloudEvent } from '../../../helpers/cloud-events.js';

describe('fromStorageCloudEvent', () => {
  it.each([
    {
      file: 'gcp/storage-finalized-structured.json',
      command: { store: 'gcs', bucket: 'kelpie-imagery', key: 'uploads/Bahía Tortugas 2024-06-01.tif', size: 4718903, etag: 'COCRtfm0x5QDEAE=', eventTime: '2026-03-09T14:21:07.412Z' },
      eventId: '11954832541316617',
    },
    {
      file: 'gcp/storage-finalized-binary.json',
      command: { store: 'gcs', bucket: 'kelpie-imagery', key: 'uploads/kelp+canopy Isla Guadalupe ñ.tif', size: 2097152, etag: 'CMzGwZu2x5QDEAE=', eventTime: '2026-03-09T14:25:51.930Z' },
      eventId: '11954832541316618',
    },
    {
      file: 'gcp/storage-finalized-result.json',
      command: { store: 'gcs', bucket: 'kelpie-imagery', key: 'results/3f9c2a7d1e5b8c4f6a0d/result.json', size: 6212, etag: 'CLCtw/60x5QDEAE=', eventTime: '2026-03-09T14:21:19.006Z' },
      eventId: '11954832541316650',
    },
  ])('turns $file into ObjectCreated with the name as it is (a + stays a +)', ({ file, command, eventId }) => {
    expect(fromStorageCloudEvent(loadCloudEvent(file))).toEqual({ command, eventId });
  });

  it.each([
    ['gcp/storage-deleted.json', /deleted/],
    ['gcp/pubsub-scheduler-backup.json', /not a Cloud Storage upload event/],
  ])('ignores %s, saying why', (file, reason) => {
    const input = fromStorageCloudEvent(loadCloudEvent(file));
    expect(input).toEqual({ ignored: expect.stringMatching(reason), eventId: expect.any(String) });
  });

  it('reads data that arrived as JSON text (a binary event sent without a JSON content type)', () => {
    const event = loadCloudEvent('gcp/storage-finalized-binary.json');
    const input = fromStorageCloudEvent({ ...event, data: Buffer.from(JSON.stringify(event.data)) });
    expect(input).toMatchObject({ command: { key: 'uploads/kelp+canopy Isla Guadalupe ñ.tif' } });
  });

  it('calls a finalized event without a bucket or name unreadable', () => {
    const event = loadCloudEvent('gcp/storage-finalized-structured.json');
    expect(fromStorageCloudEvent({ ...event, data: { bucket: 'kelpie-imagery' } })).toMatchObject({ unreadable: expect.objectContaining({ code: 'UNRECOGNIZED_EVENT', message: expect.stringMatching(/no data\.bucket and data\.name/) }) });
    expect(fromStorageCloudEvent({ ...event, data: 'not json' })).toMatchObject({ unreadable: expect.objectContaining({ code: 'UNRECOGNIZED_EVENT' }) });
  });

  it('leaves out a size that is not a whole number', () => {
    const event = loadCloudEvent('gcp/storage-finalized-structured.json');
    const input = fromStorageCloudEvent({ ...event, data: { ...(event.data as object), size: 'big' } });
    expect('command' in input && 'size' in input.command).toBe(false);
  });
});
