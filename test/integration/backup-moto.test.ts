import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { healthPingJob } from '../../adapters/shared/scheduled-jobs.js';
import { silentLogger } from '../../core/ports/logger.js';
import { noMetrics } from '../../core/ports/metrics.js';
import { listAll } from '../../core/usecases/backup-manifest.js';
import { CHECK_TIMEOUT_MS, runHealthPing } from '../../core/usecases/health-ping.js';
import { describeBackupScenarios } from '../helpers/backup-scenarios.js';
import { freePort } from '../helpers/processes.js';
import { type MotoServer, motoClient, startMoto } from '../helpers/moto.js';

let moto: MotoServer;
let buckets = 0;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

/** A new empty bucket on moto, a store over it, and a cleanup that empties and deletes it. */
async function bucketStore(role: string): Promise<{ store: S3BlobStore; cleanup: () => Promise<void> }> {
  const client = moto.s3();
  const bucket = `kelpie-${role}-${process.pid}-${++buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const store = new S3BlobStore({ client, bucket });
  const cleanup = async () => {
    for (const item of await listAll(store, '')) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: item.key }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  };
  return { store, cleanup };
}

describeBackupScenarios('S3 on moto', async () => {
  const results = await bucketStore('results');
  const backups = await bucketStore('backups');
  return {
    results: results.store,
    backups: backups.store,
    cleanup: async () => {
      await results.cleanup();
      await backups.cleanup();
    },
  };
});

describe('health ping against S3 on moto', () => {
  const deps = (store: S3BlobStore, stacUrl?: string) => ({ store, ...(stacUrl ? { stacUrl } : {}), fetch, clock: { now: Date.now }, logger: silentLogger, metrics: noMetrics });

  it('passes when the store answers, and leaves no canary behind', async () => {
    const { store, cleanup } = await bucketStore('health');
    const { ok, checks } = await runHealthPing(deps(store));
    expect(ok).toBe(true);
    expect(checks).toMatchObject([{ name: 'store', ok: true }]);
    expect(await listAll(store, '')).toEqual([]);
    await cleanup();
  });

  it('fails within its timeout, naming the store, when S3 is down', async () => {
    const own = await startMoto();
    const client = motoClient(own.endpoint);
    await client.send(new CreateBucketCommand({ Bucket: 'kelpie-health-down' }));
    const store = new S3BlobStore({ client, bucket: 'kelpie-health-down' });
    await own.stop();

    const started = Date.now();
    const error = await healthPingJob(deps(store))({ trigger: 'schedule', firedAt: new Date().toISOString() }, new AbortController().signal).catch((caught: unknown) => caught);

    expect(Date.now() - started).toBeLessThan(CHECK_TIMEOUT_MS + 1_000);
    expect((error as Error).message).toMatch(/^health ping failed: store \(/);
    expect((error as { details?: unknown }).details).toEqual({ failed: ['store'] });
  });

  it('fails naming the catalog when the STAC URL does not answer', async () => {
    const { store, cleanup } = await bucketStore('health');
    const closed = `http://127.0.0.1:${await freePort()}/stac/v1`;
    const { ok, checks } = await runHealthPing(deps(store, closed));
    expect(ok).toBe(false);
    expect(checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['catalog']);
    await expect(healthPingJob(deps(store, closed))({ trigger: 'manual', firedAt: '' }, new AbortController().signal)).rejects.toThrow(/^health ping failed: catalog \(/);
    await cleanup();
  });
});
