import { getFunction } from '@google-cloud/functions-framework/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCloudEvent } from '../../helpers/cloud-events.js';
import { GOOD_ENV, coldStart } from '../../helpers/cold-start.js';
import { captureLogLines } from '../../helpers/log-lines.js';

const loadBackup = () => import('../../../functions/backup.gcp.js');
const loadHealth = () => import('../../../functions/health-ping.gcp.js');

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('functions/backup.gcp.ts', () => {
  it('registers "backup" and runs the backup for a Cloud Scheduler message', async () => {
    const { backup } = await coldStart(loadBackup, GOOD_ENV);
    expect(getFunction('backup')).toBe(backup);
    await expect(backup(loadCloudEvent('gcp/pubsub-scheduler-backup.json'))).resolves.toBeUndefined();
  });

  it('runs nothing for an event that is not a Pub/Sub message, and says so', async () => {
    const { backup } = await coldStart(loadBackup, { ...GOOD_ENV, KELPIE_LOG_LEVEL: 'warn' });
    const logs = captureLogLines();
    try {
      await backup(loadCloudEvent('gcp/storage-finalized-structured.json'));
      expect(logs.matching('schedule event ignored')).toHaveLength(1);
      expect(logs.matching('backup report')).toHaveLength(0);
    } finally {
      logs.restore();
    }
  });

  it('fails with a configuration error naming the setting', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { backup } = await coldStart(loadBackup, { ...GOOD_ENV, KELPIE_BACKUP_RETENTION_DAYS: 'forever' });
    await expect(backup(loadCloudEvent('gcp/pubsub-scheduler-backup.json'))).rejects.toMatchObject({ code: 'CONFIGURATION', message: expect.stringMatching(/KELPIE_BACKUP_RETENTION_DAYS/) });
  });
});

describe('functions/health-ping.gcp.ts', () => {
  it('registers "healthPing" and passes when the store answers', async () => {
    const { healthPing } = await coldStart(loadHealth, GOOD_ENV);
    expect(getFunction('healthPing')).toBe(healthPing);
    await expect(healthPing(loadCloudEvent('gcp/pubsub-scheduler-backup.json'))).resolves.toBeUndefined();
  });

  it('throws naming the failed check', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true); // the failing ping's error line
    const { healthPing } = await coldStart(loadHealth, { ...GOOD_ENV, KELPIE_STAC_URL: 'http://127.0.0.1:9/' });
    await expect(healthPing(loadCloudEvent('gcp/pubsub-scheduler-backup.json'))).rejects.toMatchObject({ code: 'HEALTH_PING_FAILED', details: expect.objectContaining({ failed: ['catalog'] }) });
  });

  it('fails with a configuration error naming the setting', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { healthPing } = await coldStart(loadHealth, { ...GOOD_ENV, KELPIE_STAC_URL: 'not a url' });
    await expect(healthPing(loadCloudEvent('gcp/pubsub-scheduler-backup.json'))).rejects.toMatchObject({ code: 'CONFIGURATION', message: expect.stringMatching(/KELPIE_STAC_URL/) });
  });
});
