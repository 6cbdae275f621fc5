import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { EventBridgeEvent, S3Event, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { type AwsUploadHandler, type UploadInvocationReport, createAwsUploadHandler } from '../../adapters/aws/upload-handler.js';
import { nodeDeflate } from '../../adapters/shared/node-compress.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import { listAll } from '../../core/usecases/backup-manifest.js';
import { loadEvent } from '../helpers/events.js';
import { fakeLambdaContext } from '../helpers/lambda-context.js';
import { type MotoQueue, type MotoSqs, type ReceivedMessage, motoSqs, toLambdaSqsEvent } from '../helpers/moto-sqs.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';

const SAMPLE = new URL('../../samples/coastal-sample.tif', import.meta.url);
const BUCKET = `kelpie-upload-${process.pid}`;
const KEY = 'uploads/coastal sample.tif';

let moto: MotoServer;
let sqs: MotoSqs;
let queue: MotoQueue;
let store: S3BlobStore;
let sample: Uint8Array;
const logs: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];

const logger: Logger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (message: string, fields: Record<string, unknown> = {}) => void logs.push({ level, message, fields })]),
) as unknown as Logger;

/** The upload handler over `imageStore` (default: the bucket on moto), as functions/upload-analyze.aws.ts composes it. */
function uploadHandler(imageStore: BlobStore = store): AwsUploadHandler {
  return createAwsUploadHandler({
    analysis: { imageStore, resultStore: store, imageStoreName: `s3://${BUCKET}`, clock: systemClock, logger, codeVersion: 'test', maxImagePixels: 1e8, compress: nodeDeflate() },
    bucket: BUCKET,
  });
}

const invoke = <R>(handler: AwsUploadHandler, event: unknown) => handler(event as SQSEvent, fakeLambdaContext({ remainingMs: 120_000 }), () => undefined) as Promise<R>;

/** Every object in the bucket with its ETag. */
async function snapshot(): Promise<Record<string, string | undefined>> {
  return Object.fromEntries((await listAll(store, '')).map((item) => [item.key, item.etag]));
}

/** Uploads `body` under `key` and returns the notification moto put in the queue for it. */
async function uploadAndReceive(key: string, body: Uint8Array): Promise<ReceivedMessage> {
  await moto.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const [message] = await sqs.receive(queue, 1);
  expect(message, `no notification arrived for ${key}`).toBeDefined();
  return message;
}

const recordLogs = (messageId: string) => logs.filter((line) => line.message.startsWith('upload event') && line.fields.messageId === messageId);

beforeAll(async () => {
  moto = await startMoto();
  sqs = motoSqs(moto.endpoint);
  sample = new Uint8Array(await readFile(SAMPLE));
  const s3 = moto.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  queue = await sqs.createQueue(`kelpie-uploads-${process.pid}`);
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Id: 'uploads-tif',
            QueueArn: queue.arn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }, { Name: 'suffix', Value: '.tif' }] } },
          },
        ],
      },
    }),
  );
  store = new S3BlobStore({ client: s3, bucket: BUCKET });
});

afterAll(async () => {
  await moto?.stop();
});

describe('uploads through S3 → SQS → the Lambda handler, on moto', () => {
  let delivered: SQSEvent;
  let analysisId: string;

  it('acknowledges the S3 test event that configuring the notification sends', async () => {
    const [message] = await sqs.receive(queue, 1);
    expect(JSON.parse(message.Body)).toMatchObject({ Event: 's3:TestEvent', Bucket: BUCKET });
    const response = await invoke<SQSBatchResponse>(uploadHandler(), toLambdaSqsEvent([message], queue.arn));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(recordLogs(message.MessageId)).toMatchObject([{ fields: { outcome: 'ignored' } }]);
  });

  it('analyses an upload whose key has a space, from the notification moto sent', async () => {
    const message = await uploadAndReceive(KEY, sample);
    // S3 encodes the key as a form field (moto encodes the "/" too; AWS leaves it): decoded at the edge.
    const encoded: string = JSON.parse(message.Body).Records[0].s3.object.key;
    expect(encoded).toMatch(/^uploads(\/|%2F)coastal\+sample\.tif$/);
    delivered = toLambdaSqsEvent([message], queue.arn);

    const response = await invoke<SQSBatchResponse>(uploadHandler(), delivered);

    expect(response).toEqual({ batchItemFailures: [] });
    const [line] = recordLogs(message.MessageId);
    expect(line.fields).toMatchObject({ outcome: 'analysed', key: KEY, bucket: BUCKET });
    analysisId = String(line.fields.id);
    const keys = Object.keys(await snapshot());
    for (const artifact of ['result.json', 'kelp-mask.tif', 'overlay.png', 'beds.geojson']) expect(keys).toContain(`results/${analysisId}/${artifact}`);
    const result = JSON.parse(new TextDecoder().decode(await store.get(`results/${analysisId}/result.json`)));
    expect(result).toMatchObject({ id: analysisId, source: { uri: KEY } });
    expect(result.kelp.areaM2).toBeGreaterThan(0);
  });

  it('does nothing twice when the same notification is delivered again', async () => {
    const before = await snapshot();
    const response = await invoke<SQSBatchResponse>(uploadHandler(), delivered);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await snapshot()).toEqual(before);
    expect(recordLogs(delivered.Records[0].messageId).map((line) => line.fields.outcome)).toEqual(['analysed', 'duplicate']);
  });

  it('names only the transiently failing record of a batch; an unusable image is recorded and acknowledged', async () => {
    const corrupt = await uploadAndReceive('uploads/corrupt.tif', new TextEncoder().encode('this is not a GeoTIFF'));
    const good = await uploadAndReceive('uploads/second scene.tif', sample);
    const flaky = await uploadAndReceive('uploads/flaky.tif', sample);
    // The flaky object's bytes are read through a store whose bucket does not exist: S3 answers
    // NoSuchBucket, which the store reports as a dependency being down, the same as an outage.
    const missingBucket = new S3BlobStore({ client: moto.s3(), bucket: `kelpie-missing-${process.pid}` });
    const storeFor = (key: string) => (key === 'uploads/flaky.tif' ? missingBucket : store);
    const routing: BlobStore = Object.create(store, {
      get: { value: (key: string, options?: object) => storeFor(key).get(key, options) },
      getRange: { value: (key: string, offset: number, length: number, options?: object) => storeFor(key).getRange(key, offset, length, options) },
    });

    const response = await invoke<SQSBatchResponse>(uploadHandler(routing), toLambdaSqsEvent([corrupt, good, flaky], queue.arn));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: flaky.MessageId }] });
    const [rejected] = recordLogs(corrupt.MessageId);
    expect(rejected).toMatchObject({ level: 'warn', fields: { outcome: 'rejected', disposition: 'drop' } });
    const error = JSON.parse(new TextDecoder().decode(await store.get(`results/${rejected.fields.id}/error.json`)));
    expect(error).toMatchObject({ key: 'uploads/corrupt.tif', bucket: BUCKET, code: 'NOT_A_TIFF' });
    expect(recordLogs(good.MessageId)).toMatchObject([{ fields: { outcome: 'analysed', key: 'uploads/second scene.tif' } }]);
    expect(recordLogs(flaky.MessageId)).toMatchObject([{ level: 'error', fields: { outcome: 'failed', disposition: 'retry', reason: expect.stringContaining('NoSuchBucket') } }]);
  });

  it('gives a direct S3 event and an EventBridge event for the same object the same analysis id', async () => {
    const etag = (await store.head(KEY))?.etag as string;
    const direct = loadEvent<S3Event>('aws/s3-put-space.json');
    Object.assign(direct.Records[0].s3.bucket, { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` });
    Object.assign(direct.Records[0].s3.object, { key: 'uploads/coastal+sample.tif', eTag: etag, size: sample.byteLength });
    const bridged = loadEvent<EventBridgeEvent<'Object Created', { bucket: { name: string }; object: Record<string, unknown> }>>('aws/eventbridge-object-created.json');
    bridged.detail.bucket.name = BUCKET;
    Object.assign(bridged.detail.object, { key: KEY, etag, size: sample.byteLength });

    const fromS3 = await invoke<UploadInvocationReport>(uploadHandler(), direct);
    const fromEventBridge = await invoke<UploadInvocationReport>(uploadHandler(), bridged);

    expect(fromS3.records).toMatchObject([{ outcome: 'duplicate', id: analysisId }]);
    expect(fromEventBridge.records).toMatchObject([{ outcome: 'duplicate', id: analysisId }]);
  });
});
