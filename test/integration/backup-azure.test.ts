// The scheduled jobs on Azure Blob, on Azurite (started by this file): the backup and restore
// scenarios on a results container and a backup container per test, then the backup and health
// ping timer functions as the Functions worker calls them (no local Functions host here).
import { InvocationContext, type Timer } from '@azure/functions';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureBlobStore } from '../../adapters/azure/azure-blob-store.js';
import { createAzureContainerClient } from '../../adapters/azure/azure-client.js';
import { CHECK_TIMEOUT_MS } from '../../core/usecases/health-ping.js';
import { readManifest } from '../../core/usecases/backup-manifest.js';
import { type AzuriteServer, startAzurite } from '../helpers/azurite.js';
import { describeBackupScenarios } from '../helpers/backup-scenarios.js';
import { loadEvent } from '../helpers/events.js';
import { captureLogLines, hostLogHandler } from '../helpers/log-lines.js';
import { freePort } from '../helpers/processes.js';

type TimerHandler = (timer: Timer, context: InvocationContext) => Promise<void>;

let azurite: AzuriteServer;
let containers = 0;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await azurite?.dispose();
});

/** A new, empty container on Azurite, and a store over it. */
async function freshContainer(prefix: string): Promise<{ name: string; store: AzureBlobStore; remove: () => Promise<void> }> {
  const name = `${prefix}-${process.pid}-${++containers}`;
  const client = createAzureContainerClient({ connectionString: azurite.connectionString, container: name, requestTimeoutMs: 2_000 });
  await client.create();
  return { name, store: new AzureBlobStore({ client }), remove: async () => void (await client.deleteIfExists()) };
}

describeBackupScenarios('Azure Blob on Azurite', async () => {
  const [results, backups] = [await freshContainer('results'), await freshContainer('backups')];
  return { results: results.store, backups: backups.store, cleanup: async () => void (await Promise.all([results.remove(), backups.remove()])) };
});

/** Loads a timer function file afresh under `env` (a cold start) and returns its handler. */
async function coldStart(file: 'backup' | 'health-ping', env: Record<string, string>): Promise<TimerHandler> {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries({ KELPIE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, KELPIE_ENV: 'test', ...env })) vi.stubEnv(name, value);
  return file === 'backup' ? (await import('../../functions/backup.azure.js')).backup : (await import('../../functions/health-ping.azure.js')).healthPing;
}

const timer = (file: string) => loadEvent<Timer>(`azure/${file}`);
const context = (functionName: string) => new InvocationContext({ invocationId: `inv-${++containers}`, functionName, logHandler: hostLogHandler });

describe('the Azure timer functions on Azurite', () => {
  let logs: ReturnType<typeof captureLogLines>;
  beforeAll(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // "test mode": no Functions host here
  });
  beforeEach(() => {
    logs = captureLogLines();
  });
  afterEach(() => logs.restore());

  it('backs up the results container into KELPIE_BACKUP_BUCKET', async () => {
    const [results, backups] = [await freshContainer('results'), await freshContainer('backups')];
    await results.store.put('results/0123456789abcdef0000/result.json', '{"id":"0123456789abcdef0000"}');
    const backup = await coldStart('backup', { KELPIE_BUCKET: results.name, KELPIE_BACKUP_BUCKET: backups.name });

    await backup(timer('timer-backup.json'), context('backup'));

    const manifest = await readManifest(backups.store, new Date().toISOString().slice(0, 10));
    expect(manifest?.objects.map((entry) => entry.key)).toEqual(['results/0123456789abcdef0000/result.json']);
  });

  it('fails the backup run when the backup container is missing', async () => {
    const results = await freshContainer('results');
    await results.store.put('results/0123456789abcdef0000/result.json', '{}');
    const backup = await coldStart('backup', { KELPIE_BUCKET: results.name, KELPIE_BACKUP_BUCKET: 'no-such-container' });

    await expect(backup(timer('timer-backup.json'), context('backup'))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(logs.matching('backup failed')).toEqual([expect.objectContaining({ level: 'ERROR', code: 'DEPENDENCY_UNAVAILABLE', tick: expect.objectContaining({ trigger: 'schedule', pastDue: false }) })]);
  });

  it('passes the health ping when the store answers', async () => {
    const health = await freshContainer('health');
    const ping = await coldStart('health-ping', { KELPIE_BUCKET: health.name });

    await expect(ping(timer('timer-health-ping-past-due.json'), context('healthPing'))).resolves.toBeUndefined();
    expect(logs.matching('health ping')).toEqual([expect.objectContaining({ ok: true, checks: [expect.objectContaining({ name: 'store', ok: true })] })]);
  });

  it('fails the health ping within its timeout, naming the store, while Azurite is stopped, and passes once it is back', async () => {
    const health = await freshContainer('health');
    const ping = await coldStart('health-ping', { KELPIE_BUCKET: health.name });
    await azurite.stop();
    try {
      const started = Date.now();
      await expect(ping(timer('timer-health-ping-past-due.json'), context('healthPing'))).rejects.toMatchObject({
        code: 'HEALTH_PING_FAILED',
        message: expect.stringMatching(/^health ping failed: store \(/),
        details: expect.objectContaining({ failed: ['store'] }),
      });
      expect(Date.now() - started).toBeLessThan(CHECK_TIMEOUT_MS + 1_000);
    } finally {
      await azurite.restart();
    }
    await expect(ping(timer('timer-health-ping-past-due.json'), context('healthPing'))).resolves.toBeUndefined();
  });

  it('fails the health ping naming the catalog when the catalog is unreachable', async () => {
    const health = await freshContainer('health');
    const ping = await coldStart('health-ping', { KELPIE_BUCKET: health.name, KELPIE_STAC_URL: `http://127.0.0.1:${await freePort()}/` });

    await expect(ping(timer('timer-health-ping-past-due.json'), context('healthPing'))).rejects.toMatchObject({
      code: 'HEALTH_PING_FAILED',
      details: expect.objectContaining({ failed: ['catalog'] }),
    });
  });
});
