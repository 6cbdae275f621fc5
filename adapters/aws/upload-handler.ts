import middy from '@middy/core';
import type { EventBridgeEvent, Handler, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type ErrorKind, isKelpieError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { AnalyzeObjectDeps } from '../../core/usecases/analyze-object.js';
import { type ObjectCreatedOutcome, handleObjectCreated } from '../../core/usecases/object-created.js';
import { UploadRetryError } from './errors.js';
import { type DeadlineContext, deadlineSignal } from './middleware/deadline-signal.js';
import { type MetricsPublisher, publishMetrics } from './middleware/publish-metrics.js';
import { type UploadNotice, isSqsBatch, parseNotification, parseSqsMessage } from './upload-events.js';

/** What the upload function is invoked with: S3 directly, EventBridge, or a batch of SQS messages. */
export type AwsUploadEvent = S3Event | SQSEvent | EventBridgeEvent<string, unknown>;

/** What happened to one record; `retry` records make the invocation (or the SQS message) fail. */
export interface RecordReport {
  outcome: 'analysed' | 'duplicate' | 'ignored' | 'rejected' | 'dropped' | 'failed' | 'deferred' | 'unrecognized';
  retry: boolean;
  bucket?: string;
  key?: string;
  id?: string;
  reason?: string;
}

/** The result of a direct (S3 or EventBridge) invocation; SQS batches answer `SQSBatchResponse`. */
export interface UploadInvocationReport {
  records: RecordReport[];
}

/** Options for {@link createAwsUploadHandler}. */
export interface AwsUploadHandlerOptions {
  /** Everything the analysis needs except the signal, which each invocation brings. */
  analyze: Omit<AnalyzeObjectDeps, 'signal'>;
  /**
   * The bucket `analyze.imageStore` reads. A record naming another bucket fails (retried, then
   * dead-lettered): the wiring or `KELPIE_BUCKET` is wrong, and acknowledging would lose the
   * upload. Unset: no check (the fs store).
   */
  bucket?: string;
  logger: Logger;
  /** Counts `kelpie_upload_records_total{via, outcome}`, published after each invocation (EMF). */
  metrics?: Metrics & MetricsPublisher;
  /** How long before the Lambda deadline the analysis is aborted and the rest deferred (default 10 s). */
  deadlineMarginMs?: number;
  /** The use case; tests may wrap it. */
  handle?: typeof handleObjectCreated;
}

/** The Lambda handler for uploads. */
export type AwsUploadHandler = Handler<AwsUploadEvent, SQSBatchResponse | UploadInvocationReport>;

const defaults = { deadlineMarginMs: 10_000, handle: handleObjectCreated };

/**
 * What a thrown error means for its record, by kind: a dependency down or a deadline may pass, so
 * the record is retried; anything else would fail the same way again, so it is dropped (logged).
 * Errors outside the hierarchy are bugs: retried, so the dead-letter queue keeps the record.
 */
const ON_ERROR: Record<ErrorKind, 'retry' | 'drop'> = {
  unavailable: 'retry',
  timeout: 'retry',
  invalid: 'drop',
  unusable: 'drop',
  'not-found': 'drop',
  'too-large': 'drop',
  conflict: 'drop',
};

/** Log level by outcome: only records that will be retried log at error level. */
const LOG_LEVEL: Record<RecordReport['outcome'], keyof Logger> = {
  analysed: 'info',
  duplicate: 'info',
  ignored: 'info',
  rejected: 'warn',
  dropped: 'warn',
  failed: 'error',
  deferred: 'error',
  unrecognized: 'error',
};

const OUT_OF_TIME = 'the invocation ran out of time before this record; it will be retried';

/**
 * One Lambda handler for every upload trigger (DESIGN.md, "Platforms"): S3 notifications sent
 * directly and EventBridge events (a failure a retry may fix throws, so Lambda retries the event),
 * and SQS batches, which answer `{ batchItemFailures }` naming only the messages a retry may fix
 * (a dependency down, the deadline, a bug, a bucket this function does not serve) or that could
 * not be parsed. An unusable image is recorded (`error.json`) and acknowledged.
 * Records run one after another (one analysis in memory at a time); each logs one line with its
 * outcome. The analysis gets a signal that fires `deadlineMarginMs` before Lambda's deadline;
 * records not started by then are deferred (retried), never silently acknowledged.
 *
 * @example
 * ```ts
 * export const handler = createAwsUploadHandler({ analyze: { ...stores, clock, logger, codeVersion, maxImagePixels }, bucket, logger });
 * ```
 */
export function createAwsUploadHandler(opts: AwsUploadHandlerOptions): AwsUploadHandler {
  const options = { ...defaults, ...opts };

  const runNotice = async (notice: UploadNotice, signal: AbortSignal): Promise<RecordReport> => {
    if (notice.kind === 'skipped') return { outcome: 'ignored', retry: false, bucket: notice.bucket, key: notice.key, reason: notice.reason };
    const { bucket, key } = notice.event;
    if (options.bucket && bucket !== options.bucket) {
      return { outcome: 'failed', retry: true, bucket, key, reason: `this function analyses bucket ${options.bucket} (KELPIE_BUCKET), not ${bucket}; check the notification wiring` };
    }
    if (signal.aborted) return { outcome: 'deferred', retry: true, bucket, key, reason: OUT_OF_TIME };
    try {
      return { ...fromOutcome(await options.handle(notice.event, { ...options.analyze, signal })), bucket, key };
    } catch (error) {
      const action = isKelpieError(error) ? ON_ERROR[error.kind] : 'retry';
      return { outcome: action === 'retry' ? 'failed' : 'dropped', retry: action === 'retry', bucket, key, reason: describe(error) };
    }
  };

  const report = (record: RecordReport, via: string, messageId?: string): RecordReport => {
    options.logger[LOG_LEVEL[record.outcome]]('upload record', { via, ...(messageId ? { messageId } : {}), ...record });
    options.metrics?.count('kelpie_upload_records_total', { via, outcome: record.outcome });
    return record;
  };

  const runMessage = async (message: SQSRecord, signal: AbortSignal): Promise<RecordReport[]> => {
    if (signal.aborted) return [report({ outcome: 'deferred', retry: true, reason: OUT_OF_TIME }, 'sqs', message.messageId)];
    let notices: UploadNotice[];
    try {
      notices = parseSqsMessage(message);
    } catch (error) {
      return [report({ outcome: 'unrecognized', retry: true, reason: describe(error) }, 'sqs', message.messageId)];
    }
    const reports: RecordReport[] = [];
    for (const notice of notices) reports.push(report(await runNotice(notice, signal), 'sqs', message.messageId));
    return reports;
  };

  const runBatch = async (records: SQSRecord[], signal: AbortSignal): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const message of records) {
      const reports = await runMessage(message, signal);
      if (reports.some((r) => r.retry)) batchItemFailures.push({ itemIdentifier: message.messageId });
    }
    return { batchItemFailures };
  };

  const runDirect = async (event: AwsUploadEvent, signal: AbortSignal): Promise<UploadInvocationReport> => {
    const via = 'Records' in event ? 's3' : 'eventbridge';
    let notices: UploadNotice[];
    try {
      notices = parseNotification(event);
    } catch (error) {
      report({ outcome: 'unrecognized', retry: true, reason: describe(error) }, via);
      throw error;
    }
    const records: RecordReport[] = [];
    for (const notice of notices) records.push(report(await runNotice(notice, signal), via));
    const failed = records.filter((r) => r.retry).map((r) => r.key ?? '?');
    if (failed.length) throw new UploadRetryError(`${failed.length} of ${records.length} upload(s) failed and will be retried: ${failed.join(', ')}`, { failed });
    return { records };
  };

  const handler = middy<AwsUploadEvent, SQSBatchResponse | UploadInvocationReport, Error, DeadlineContext>({
    // Our signal fires first and the handler answers; middy's early timeout is the safety net.
    timeoutEarlyInMillis: Math.max(1, Math.floor(options.deadlineMarginMs / 3)),
  })
    .use(options.metrics ? [publishMetrics(options.metrics)] : [])
    .use(deadlineSignal({ marginMs: options.deadlineMarginMs }))
    .handler(async (event, context) => {
      const signal = context.deadlineSignal ?? new AbortController().signal;
      return isSqsBatch(event) ? runBatch(event.Records, signal) : runDirect(event, signal);
    });
  return handler as unknown as AwsUploadHandler;
}

function fromOutcome(outcome: ObjectCreatedOutcome): RecordReport {
  switch (outcome.kind) {
    case 'analysed':
    case 'duplicate':
      return { outcome: outcome.kind, retry: false, id: outcome.id };
    case 'ignored':
      return { outcome: 'ignored', retry: false, reason: outcome.reason };
    case 'rejected':
      return { outcome: 'rejected', retry: false, id: outcome.id, reason: `${outcome.code}: ${outcome.message}` };
  }
}

function describe(error: unknown): string {
  if (isKelpieError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
