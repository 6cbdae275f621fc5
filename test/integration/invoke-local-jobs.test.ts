import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { decodeS3Key } from '../../adapters/aws/upload-events.js';
import type { BackupReport } from '../../core/usecases/backup.js';
import { loadEvent } from '../helpers/events.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { REPO_ROOT, SERVERLESS_BIN, serverlessTestEnv } from '../helpers/serverless.js';

const run = promisify(execFile);

const UPLOAD_EVENT = 'aws/s3-put-space.json';
const SCHEDULE_EVENT = 'aws/eventbridge-scheduled.json';
const JOB_EVENT = 'aws/sqs-analysis-job.json';
const BACKUP_BUCKET = `kelpie-invoke-backups-${process.pid}`;

/** The handler's result: the last pretty-printed JSON object `sls invoke local` writes. */
function resultOf<T>(stdout: string): T {
  const start = stdout.lastIndexOf('\n{\n');
  return JSON.parse(stdout.slice(start < 0 ? stdout.indexOf('{') : start + 1)) as T;
}

/** The one-line JSON log records in `stdout` (the Powertools logger's). */
function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout.split('\n').flatMap((line) => {
    if (!line.startsWith('{"')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe('sls invoke local of the upload trigger and the scheduled jobs, against S3 on moto', () => {
  let moto: MotoServer;
  let images: S3BlobStore;
  let backups: S3BlobStore;
  let imageryBucket: string;

  /** `sls invoke local --stage local -f <fn> -p events/<event>` with the S3 store on moto (stage local alone would use the filesystem store). */
  const invokeLocal = (fn: string, event: string) =>
    run(process.execPath, [SERVERLESS_BIN, 'invoke', 'local', '--stage', 'local', '-f', fn, '-p', `events/${event}`], {
      cwd: REPO_ROOT,
      env: serverlessTestEnv('invoke-jobs', {
        KELPIE_STORE: 's3',
        KELPIE_BUCKET: imageryBucket,
        KELPIE_BACKUP_BUCKET: BACKUP_BUCKET,
        KELPIE_S3_FORCE_PATH_STYLE: 'true',
        AWS_ENDPOINT_URL_S3: moto.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        KELPIE_LOG_LEVEL: 'info',
      }),
      timeout: 150_000,
      maxBuffer: 16 * 1024 * 1024,
    });

  beforeAll(async () => {
    moto = await startMoto();
    const s3 = moto.s3();
    const record = loadEvent<{ Records: Array<{ s3: { bucket: { name: string }; object: { key: string; eTag: string } } }> }>(UPLOAD_EVENT).Records[0].s3;
    imageryBucket = record.bucket.name;
    await s3.send(new CreateBucketCommand({ Bucket: imageryBucket }));
    await s3.send(new CreateBucketCommand({ Bucket: BACKUP_BUCKET }));
    images = new S3BlobStore({ client: s3, bucket: imageryBucket });
    backups = new S3BlobStore({ client: s3, bucket: BACKUP_BUCKET });
    // The payload's object: the bundled sample, whose MD5 is the event's eTag.
    const sample = await readFile(path.join(REPO_ROOT, 'samples/coastal-sample.tif'));
    const put = await s3.send(new PutObjectCommand({ Bucket: imageryBucket, Key: decodeS3Key(record.object.key), Body: sample }));
    expect(put.ETag?.replace(/"/g, '')).toBe(record.object.eTag);
  });

  afterAll(async () => {
    await moto?.stop();
    await rm(path.join(REPO_ROOT, `.esbuild/test-invoke-jobs-${process.pid}`), { recursive: true, force: true });
  });

  it('analyzeJob runs a queued analysis job from the job queue and records it in status.json', async () => {
    const { stdout } = await invokeLocal('analyzeJob', JOB_EVENT);
    expect(resultOf<{ batchItemFailures: unknown[] }>(stdout)).toEqual({ batchItemFailures: [] });
    const id = JSON.parse(loadEvent<{ Records: Array<{ body: string }> }>(JOB_EVENT).Records[0].body).id;
    const status = JSON.parse(new TextDecoder().decode(await images.get(`results/${id}/status.json`)));
    expect(status).toMatchObject({ id, status: 'succeeded', attempt: 1, progress: { percent: 100 } });
    const result = JSON.parse(new TextDecoder().decode(await images.get(`results/${id}/result.json`)));
    expect(result).toMatchObject({ id, source: { uri: 'uploads/kelp bed 2024.tif' } });
    expect(logLines(stdout)).toContainEqual(expect.objectContaining({ message: 'job message handled', outcome: 'succeeded' }));
  }, 180_000);

  it('analyzeUpload analyses the uploaded object of an S3 notification and writes the result into the bucket', async () => {
    const { stdout } = await invokeLocal('analyzeUpload', UPLOAD_EVENT);
    const { records } = resultOf<{ records: Array<{ outcome: string; id: string; key: string }> }>(stdout);
    expect(records).toMatchObject([{ outcome: 'analysed', key: 'uploads/kelp bed 2024.tif' }]);
    const result = JSON.parse(new TextDecoder().decode(await images.get(`results/${records[0].id}/result.json`)));
    expect(result).toMatchObject({ id: records[0].id, source: { uri: 'uploads/kelp bed 2024.tif' } });
    expect(logLines(stdout)).toContainEqual(expect.objectContaining({ message: 'upload event handled', outcome: 'analysed', disposition: 'acknowledge', via: 's3', function_request_id: expect.any(String) }));
  }, 180_000);

  it('backup copies the results into the backup bucket and writes the manifest last', async () => {
    const { stdout } = await invokeLocal('backup', SCHEDULE_EVENT);
    const report = resultOf<BackupReport>(stdout);
    expect(report.copied.length).toBeGreaterThan(0);
    expect(report.manifest).toBe(`backups/${report.date}/manifest.json`);
    const manifest = JSON.parse(new TextDecoder().decode(await backups.get(report.manifest as string)));
    expect(manifest.objects.map((entry: { key: string }) => entry.key).sort()).toEqual([...report.copied].sort());
    expect(logLines(stdout)).toContainEqual(expect.objectContaining({ message: 'backup report', trigger: 'schedule', manifest: report.manifest, function_request_id: expect.any(String) }));
  }, 180_000);

  it('healthPing checks the store and logs one health line', async () => {
    const { stdout } = await invokeLocal('healthPing', SCHEDULE_EVENT);
    expect(resultOf<{ ok: boolean }>(stdout)).toMatchObject({ ok: true, checks: [{ name: 'store', ok: true }] });
    const health = logLines(stdout).filter((line) => line.message === 'health ping');
    expect(health).toEqual([expect.objectContaining({ ok: true, service: 'health-ping', checks: [expect.objectContaining({ name: 'store', ok: true })] })]);
  }, 180_000);
});
