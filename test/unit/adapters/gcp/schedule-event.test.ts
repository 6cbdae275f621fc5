import { describe, expect, it } from 'vitest';
import { gcpFunctionTimeoutMs } from '../../../../adapters/gcp/function-timeout.js';
import { fromSchedulerCloudEvent } from '../../../../adapters/gcp/schedule-event.js';
import { loadCloudEvent } from '../../../helpers/cloud-events.js';

describe('fromSchedulerCloudEvent', () => {
  it('turns a Cloud Scheduler Pub/Sub message into a tick with the message id and publish time', () => {
    expect(fromSchedulerCloudEvent(loadCloudEvent('gcp/pubsub-scheduler-backup.json'))).toEqual({
      tick: { trigger: 'schedule', id: '10168204355476545', firedAt: '2026-03-10T03:00:00.412Z' },
    });
  });

  it('falls back to the CloudEvent id and time when the message has neither', () => {
    const event = loadCloudEvent('gcp/pubsub-scheduler-backup.json');
    expect(fromSchedulerCloudEvent({ ...event, id: 'ce-1', time: '2026-03-10T03:00:01Z', data: {} })).toEqual({ tick: { trigger: 'schedule', id: 'ce-1', firedAt: '2026-03-10T03:00:01Z' } });
  });

  it.each(['gcp/storage-finalized-structured.json', 'gcp/storage-deleted.json'])('ignores %s: only Pub/Sub messages run jobs', (file) => {
    expect(fromSchedulerCloudEvent(loadCloudEvent(file))).toEqual({ ignored: expect.stringMatching(/not a Pub\/Sub message/) });
  });
});

describe('gcpFunctionTimeoutMs', () => {
  it.each([
    [{ CLOUD_RUN_TIMEOUT_SECONDS: '540' }, 540_000],
    [{ CLOUD_RUN_TIMEOUT_SECONDS: 'soon' }, 60_000],
    [{}, 60_000],
  ])('reads %j as %d ms', (env, ms) => {
    expect(gcpFunctionTimeoutMs(env)).toBe(ms);
  });
});
