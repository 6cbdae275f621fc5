import { InvocationContext, type Timer, app } from '@azure/functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GOOD_ENV, coldStart } from '../../helpers/cold-start.js';
import { loadEvent } from '../../helpers/events.js';

const loadBackup = () => import('../../../functions/backup.azure.js');
const loadHealth = () => import('../../../functions/health-ping.azure.js');
const context = () => new InvocationContext({ invocationId: 'inv-1', logHandler: () => {} });
const timer = (file: string) => loadEvent<Timer>(`azure/${file}`);

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}); // "test mode": no Functions host here
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('functions/backup.azure.ts', () => {
  it('registers a timer at 03:00 every day (NCRONTAB, with seconds) that retries a failed run', async () => {
    const register = vi.spyOn(app, 'timer').mockImplementation(() => {});
    const { backup } = await coldStart(loadBackup, GOOD_ENV);
    expect(register).toHaveBeenCalledWith('backup', expect.objectContaining({ schedule: '0 0 3 * * *', handler: backup, retry: expect.objectContaining({ maxRetryCount: 2 }) }));
  });

  it('runs the backup', async () => {
    const { backup } = await coldStart(loadBackup, GOOD_ENV);
    await expect(backup(timer('timer-backup.json'), context())).resolves.toBeUndefined();
  });

  it('fails with a configuration error naming the setting', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { backup } = await coldStart(loadBackup, { KELPIE_STORE: 'azure', KELPIE_BUCKET: 'imagery', KELPIE_BACKUP_BUCKET: 'backups' });
    await expect(backup(timer('timer-backup.json'), context())).rejects.toMatchObject({ code: 'CONFIGURATION', message: expect.stringMatching(/AZURE_STORAGE_CONNECTION_STRING/) });
  });
});

describe('functions/health-ping.azure.ts', () => {
  it('registers a timer every 5 minutes', async () => {
    const register = vi.spyOn(app, 'timer').mockImplementation(() => {});
    const { healthPing } = await coldStart(loadHealth, GOOD_ENV);
    expect(register).toHaveBeenCalledWith('healthPing', { schedule: '0 */5 * * * *', handler: healthPing });
  });

  it('passes when the store answers, even on a past-due run', async () => {
    const { healthPing } = await coldStart(loadHealth, GOOD_ENV);
    await expect(healthPing(timer('timer-health-ping-past-due.json'), context())).resolves.toBeUndefined();
  });

  it('throws naming the failed check', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true); // the failing ping's error line
    const { healthPing } = await coldStart(loadHealth, { ...GOOD_ENV, KELPIE_HEALTH_URL: 'http://127.0.0.1:9/' });
    await expect(healthPing(timer('timer-health-ping-past-due.json'), context())).rejects.toMatchObject({
      code: 'HEALTH_PING_FAILED',
      details: expect.objectContaining({ failed: ['public-health'] }),
    });
  });

  it('fails with a configuration error naming the setting', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { healthPing } = await coldStart(loadHealth, { KELPIE_STORE: 'gcs' });
    await expect(healthPing(timer('timer-health-ping-past-due.json'), context())).rejects.toMatchObject({ code: 'CONFIGURATION', message: expect.stringMatching(/KELPIE_BUCKET/) });
  });
});
