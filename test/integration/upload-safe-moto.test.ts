/**
 * Sentinel-2 as users upload it, through S3 → SQS → the Lambda upload handler on moto: a zipped
 * .SAFE (read in place by range requests, never unpacked) and a folder of band files announced by
 * its manifest.json give the analysis of the same scene as a multi-band GeoTIFF.
 */
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { type AwsUploadHandler, createAwsUploadHandler } from '../../adapters/aws/upload-handler.js';
import { embeddedJpeg2000Decoder } from '../../adapters/jpeg2000/embedded-openjpeg.js';
import { nodeCodecs } from '../../adapters/shared/node-codecs.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { AnalysisResult } from '../../core/analysis/result.js';
import { fakeLambdaContext } from '../helpers/lambda-context.js';
import { type MotoQueue, type MotoSqs, motoSqs, toLambdaSqsEvent } from '../helpers/moto-sqs.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { PRODUCT_ID, type SafeFixture, buildSafeFixture } from '../helpers/safe-fixture.js';

const BUCKET = `kelpie-safe-${process.pid}`;

let moto: MotoServer;
let sqs: MotoSqs;
let queue: MotoQueue;
let store: S3BlobStore;
let fixture: SafeFixture;
const logs: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];

const logger: Logger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (message: string, fields: Record<string, unknown> = {}) => void logs.push({ level, message, fields })]),
) as unknown as Logger;

/** The upload handler as functions/upload-analyze.aws.ts composes it (analysisRuntime: Node's codecs and OpenJPEG; here in-process scans). */
function uploadHandler(): AwsUploadHandler {
  return createAwsUploadHandler({
    analysis: { imageStore: store, resultStore: store, imageStoreName: `s3://${BUCKET}`, clock: systemClock, logger, codeVersion: 'test', maxImagePixels: 1e8, ...nodeCodecs(), jpeg2000: embeddedJpeg2000Decoder() },
    bucket: BUCKET,
  });
}

const invoke = (event: SQSEvent) => uploadHandler()(event, fakeLambdaContext({ remainingMs: 300_000 }), () => undefined) as Promise<SQSBatchResponse>;

/** Puts `body` under `key` and runs the handler on the notification moto queued for it; returns the outcome logged. */
async function uploadAndAnalyse(key: string, body: Uint8Array): Promise<Record<string, unknown>> {
  await moto.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const [message] = await sqs.receive(queue, 1);
  expect(message, `no notification arrived for ${key}`).toBeDefined();
  expect(await invoke(toLambdaSqsEvent([message], queue.arn))).toEqual({ batchItemFailures: [] });
  const line = logs.find((entry) => entry.message.startsWith('upload event') && entry.fields.messageId === message.MessageId);
  return line?.fields ?? {};
}

async function resultOf(id: unknown): Promise<AnalysisResult> {
  return JSON.parse(new TextDecoder().decode(await store.get(`results/${String(id)}/result.json`)));
}

beforeAll(async () => {
  fixture = await buildSafeFixture(mkdtempSync(join(tmpdir(), 'kelpie-safe-moto-')));
  moto = await startMoto();
  sqs = motoSqs(moto.endpoint);
  const s3 = moto.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  queue = await sqs.createQueue(`kelpie-safe-${process.pid}`);
  const rule = (id: string, suffix: string) => ({
    Id: id,
    QueueArn: queue.arn,
    Events: ['s3:ObjectCreated:*' as const],
    Filter: { Key: { FilterRules: [{ Name: 'prefix' as const, Value: 'uploads/' }, { Name: 'suffix' as const, Value: suffix }] } },
  });
  // The rules serverless.yml gives the function (one suffix each).
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: BUCKET, NotificationConfiguration: { QueueConfigurations: [rule('tif', '.tif'), rule('zip', '.zip'), rule('manifest', '/manifest.json')] } }));
  await sqs.receive(queue, 1); // the s3:TestEvent
  store = new S3BlobStore({ client: s3, bucket: BUCKET });
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
});

describe('Sentinel-2 uploads on moto', () => {
  let reference: AnalysisResult;

  it('analyses the multi-band GeoTIFF of the scene (the reference)', async () => {
    const outcome = await uploadAndAnalyse('uploads/reference.tif', readFileSync(fixture.multiband));
    expect(outcome).toMatchObject({ outcome: 'analysed' });
    reference = await resultOf(outcome.id);
    expect(reference.kelp.areaM2).toBeGreaterThan(0);
  });

  it('analyses a zipped .SAFE put under uploads/ and writes the same result, with the product recorded', async () => {
    const key = `uploads/${PRODUCT_ID}.zip`;
    const outcome = await uploadAndAnalyse(key, readFileSync(fixture.zip));

    expect(outcome).toMatchObject({ outcome: 'analysed', key });
    const result = await resultOf(outcome.id);
    expect(result.kelp).toEqual(reference.kelp);
    expect(result.pixels).toEqual(reference.pixels);
    expect(result.source).toMatchObject({ uri: key, sceneId: PRODUCT_ID, processingBaseline: '05.11', layout: 'per-band', reflectance: { kind: 'boa-offset', boaAddOffset: -1000 } });
    expect(result.warnings.map((w) => w.code)).not.toContain('BOA_OFFSET_ASSUMED');
    const keys = (await store.list(`results/${String(outcome.id)}/`)).items.map((item) => item.key);
    expect(keys).toContain(`results/${String(outcome.id)}/kelp-mask.tif`);
  });

  it('analyses a folder of band files when its manifest arrives, not file by file', async () => {
    const bands = ['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL'];
    for (const band of bands) await moto.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: `uploads/monterey/${band}.tif`, Body: readFileSync(join(fixture.bandsDir, `${band}.tif`)) }));
    // Each band file's notification is acknowledged and ignored.
    const notices = await sqs.receive(queue, bands.length);
    expect(await invoke(toLambdaSqsEvent(notices, queue.arn))).toEqual({ batchItemFailures: [] });

    const outcome = await uploadAndAnalyse('uploads/monterey/manifest.json', new TextEncoder().encode(JSON.stringify({ files: bands.map((band) => `${band}.tif`) })));

    expect(outcome).toMatchObject({ outcome: 'analysed' });
    const result = await resultOf(outcome.id);
    expect(result.kelp).toEqual(reference.kelp);
    expect(result.source.files).toMatchObject({ B04: 'B04.tif', B08: 'B08.tif' });
  });

  it('records a zip that is not a .SAFE as rejected (error.json), with a message naming what it holds', async () => {
    const { makeZip } = await import('../helpers/zip.js');
    const outcome = await uploadAndAnalyse('uploads/holiday.zip', makeZip([{ path: 'photo.txt', data: new TextEncoder().encode('not a scene') }]));

    expect(outcome).toMatchObject({ outcome: 'rejected', disposition: 'drop' });
    const error = JSON.parse(new TextDecoder().decode(await store.get(`results/${String(outcome.id)}/error.json`)));
    expect(error.message).toMatch(/not a Sentinel-2 Level-2A product.*photo\.txt/);
    expect(error.message).not.toMatch(/--\w/);
  });
});
