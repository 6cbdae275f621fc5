import type { Context, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type AwsUploadHandlerOptions, type UploadInvocationReport, createAwsUploadHandler } from '../../../../adapters/aws/upload-handler.js';
import { MemoryBlobStore } from '../../../../adapters/memory/memory-blob-store.js';
import { UploadRetryError } from '../../../../adapters/shared/errors.js';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError } from '../../../../core/errors.js';
import type { Logger } from '../../../../core/ports/logger.js';
import type { ObjectCreated, ObjectCreatedOutcome } from '../../../../core/usecases/object-created.js';
import { loadEvent } from '../../../helpers/events.js';
import { fakeLambdaContext } from '../../../helpers/lambda-context.js';

const BUCKET = 'kelpie-carbon-dev-imagery';

/** What the fake use case does for each key (default: analysed). */
type Behaviour = (event: ObjectCreated, signal?: AbortSignal) => Promise<ObjectCreatedOutcome>;

function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields: Record<string, unknown> = {}) => void lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

function setup(behaviours: Record<string, Behaviour> = {}, extra: Partial<AwsUploadHandlerOptions> = {}) {
  const { logger, lines } = recordingLogger();
  const seen: string[] = [];
  const store = new MemoryBlobStore();
  const handler = createAwsUploadHandler(
    {
      analysis: { imageStore: store, resultStore: store, imageStoreName: `s3://${BUCKET}`, clock: { now: Date.now }, logger, codeVersion: 'test', maxImagePixels: 1e8 },
      bucket: BUCKET,
      handle: async (event, deps) => {
        seen.push(event.key);
        return (behaviours[event.key] ?? (async () => ({ kind: 'analysed', id: `id-${event.key}` })))(event, deps.signal);
      },
    },
    extra,
  );
  const invoke = <R>(event: unknown, context: Context = fakeLambdaContext()) => handler(event as S3Event, context, () => undefined) as Promise<R>;
  return { invoke, lines, seen };
}

/** An SQS message whose body is an S3 notification for `key` (URL-encoded as S3 does). */
function message(id: string, key: string, bucket = BUCKET): SQSRecord {
  const notification = loadEvent<S3Event>('aws/s3-put-space.json');
  notification.Records[0].s3.object.key = encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
  notification.Records[0].s3.bucket.name = bucket;
  const template = loadEvent<SQSEvent>('aws/sqs-s3-batch.json').Records[1];
  return { ...template, messageId: id, body: JSON.stringify(notification) };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('createAwsUploadHandler, SQS batches', () => {
  it('lists only the messages a retry may fix; an unreadable one is dropped, not redelivered', async () => {
    const { invoke } = setup({
      'uploads/down.tif': async () => Promise.reject(new DependencyUnavailableError('S3 store could not head (ECONNREFUSED)')),
      'uploads/broken.tif': async () => ({ kind: 'rejected', id: 'id-broken', code: 'NOT_A_TIFF', message: 'not a TIFF' }),
      'uploads/bad key.tif': async () => Promise.reject(new InvalidRequestError('key has control characters')),
      'uploads/bug.tif': async () => Promise.reject(new TypeError('cannot read properties of undefined')),
    });
    const testEvent = loadEvent<SQSEvent>('aws/sqs-s3-batch.json').Records[0];

    const response = await invoke<SQSBatchResponse>(
      batch(
        message('m-good', 'uploads/good one.tif'),
        message('m-down', 'uploads/down.tif'),
        message('m-broken', 'uploads/broken.tif'),
        { ...message('m-junk', 'x'), body: 'not json' },
        { ...testEvent, messageId: 'm-test' },
        message('m-bad-key', 'uploads/bad key.tif'),
        message('m-bug', 'uploads/bug.tif'),
      ),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-down' }, { itemIdentifier: 'm-bug' }] });
  });

  it('processes the whole batch in order, one record at a time', async () => {
    let running = 0;
    let overlap = false;
    const slow: Behaviour = async (event) => {
      overlap ||= running++ > 0;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return { kind: 'analysed', id: event.key };
    };
    const { invoke, seen } = setup({ 'uploads/a.tif': slow, 'uploads/b.tif': slow, 'uploads/c.tif': slow });
    await invoke(batch(message('1', 'uploads/a.tif'), message('2', 'uploads/b.tif'), message('3', 'uploads/c.tif')));
    expect(seen).toEqual(['uploads/a.tif', 'uploads/b.tif', 'uploads/c.tif']);
    expect(overlap).toBe(false);
  });

  it('logs one line per record with its outcome, at error level only for retries', async () => {
    const { invoke, lines } = setup({ 'uploads/down.tif': async () => Promise.reject(new DependencyUnavailableError('down')), 'uploads/again.tif': async () => ({ kind: 'duplicate', id: 'x' }) });
    await invoke(batch(message('m-1', 'uploads/a b.tif'), message('m-2', 'uploads/down.tif'), message('m-3', 'uploads/again.tif')));
    const records = lines.filter((line) => line.message.startsWith('upload event'));
    expect(records.map((line) => [line.level, line.fields.messageId, line.fields.outcome, line.fields.key])).toEqual([
      ['info', 'm-1', 'analysed', 'uploads/a b.tif'],
      ['error', 'm-2', 'failed', 'uploads/down.tif'],
      ['info', 'm-3', 'duplicate', 'uploads/again.tif'],
    ]);
    expect(records[1]).toMatchObject({ message: 'upload event not done; the platform will deliver it again', fields: { via: 'sqs', disposition: 'retry', reason: 'DEPENDENCY_UNAVAILABLE: down' } });
  });

  it('fails records of another bucket without reading them, so the dead-letter queue keeps them', async () => {
    const { invoke, seen, lines } = setup();
    const response = await invoke<SQSBatchResponse>(batch(message('m-1', 'uploads/a.tif', 'someone-elses-bucket')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(seen).toEqual([]);
    expect(lines.find((line) => line.message.startsWith('upload event'))).toMatchObject({ level: 'error', fields: { outcome: 'failed', disposition: 'retry', reason: expect.stringContaining('KELPIE_BUCKET') } });
  });

  it('aborts the running analysis at the deadline and defers the rest, listing both', async () => {
    const waitForAbort: Behaviour = (_event, signal) =>
      new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DeadlineExceededError('aborted'))));
    const { invoke, seen, lines } = setup({ 'uploads/slow.tif': waitForAbort }, { deadlineMarginMs: 1_000 });

    const started = Date.now();
    const response = await invoke<SQSBatchResponse>(batch(message('m-slow', 'uploads/slow.tif'), message('m-next', 'uploads/next.tif')), fakeLambdaContext({ remainingMs: 1_200 }));

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-slow' }, { itemIdentifier: 'm-next' }]);
    expect(seen).toEqual(['uploads/slow.tif']);
    expect(lines.filter((line) => line.message.startsWith('upload event')).map((line) => line.fields.outcome)).toEqual(['failed', 'deferred']);
  });
});

describe('createAwsUploadHandler, direct S3 and EventBridge events', () => {
  it('analyses the decoded key and reports the outcome', async () => {
    const { invoke } = setup();
    const report = await invoke<UploadInvocationReport>(loadEvent('aws/s3-put-space.json'));
    expect(report.records).toEqual([{ outcome: 'analysed', disposition: 'acknowledge', id: 'id-uploads/kelp bed 2024.tif', bucket: BUCKET, key: 'uploads/kelp bed 2024.tif' }]);
  });

  it('reads an EventBridge Object Created event', async () => {
    const { invoke, seen } = setup();
    await invoke(loadEvent('aws/eventbridge-object-created.json'));
    expect(seen).toEqual(['uploads/B04+B08 stack.tif']);
  });

  it('throws when a record failed transiently, so Lambda retries the event', async () => {
    const { invoke } = setup({ 'uploads/kelp bed 2024.tif': async () => Promise.reject(new DependencyUnavailableError('down')) });
    await expect(invoke(loadEvent('aws/s3-put-space.json'))).rejects.toBeInstanceOf(UploadRetryError);
  });

  it('acknowledges an unusable image (the use case recorded it)', async () => {
    const { invoke } = setup({ 'uploads/kelp bed 2024.tif': async () => ({ kind: 'rejected', id: 'r', code: 'NOT_A_TIFF', message: 'not a TIFF' }) });
    const report = await invoke<UploadInvocationReport>(loadEvent('aws/s3-put-space.json'));
    expect(report.records[0]).toMatchObject({ outcome: 'rejected', disposition: 'drop', id: 'r' });
  });

  it('acknowledges the S3 test event without analysing anything', async () => {
    const { invoke, seen } = setup();
    const report = await invoke<UploadInvocationReport>(loadEvent('aws/s3-test-event.json'));
    expect(report.records).toEqual([{ outcome: 'ignored', disposition: 'acknowledge', reason: expect.stringContaining('s3:TestEvent') }]);
    expect(seen).toEqual([]);
  });

  it('drops an event it does not recognise, with a warning naming its shape', async () => {
    const { invoke, lines } = setup();
    const report = await invoke<UploadInvocationReport>(loadEvent('aws/eventbridge-scheduled.json'));
    expect(report.records).toEqual([{ outcome: 'dropped', disposition: 'drop', reason: expect.stringContaining('UNRECOGNIZED_EVENT') }]);
    expect(lines.find((line) => line.message.startsWith('upload event'))).toMatchObject({ level: 'warn', fields: { outcome: 'dropped', via: 'eventbridge' } });
  });
});
