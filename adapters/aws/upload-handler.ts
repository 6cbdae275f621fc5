import middy from '@middy/core';
import type { EventBridgeEvent, Handler, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEADLINE_MARGIN_MS } from '../shared/deadline.js';
import { UploadRetryError } from '../shared/errors.js';
import { type UploadReport, type UploadTriggerDeps, type UploadTriggerInput, runUploadTrigger } from '../shared/upload-trigger.js';
import { type DeadlineContext, deadlineSignal } from './middleware/deadline-signal.js';
import { lambdaLogContext } from './middleware/lambda-log-context.js';
import { type MetricsPublisher, publishMetrics } from './middleware/publish-metrics.js';
import { processPartialResponse } from './sqs-batch.js';
import { isSqsBatch, parseNotification, parseSqsMessage } from './upload-events.js';

/** What the upload function is invoked with: S3 directly, EventBridge, or a batch of SQS messages. */
export type AwsUploadEvent = S3Event | SQSEvent | EventBridgeEvent<string, unknown>;

/** The result of a direct (S3 or EventBridge) invocation; SQS batches answer `SQSBatchResponse`. */
export interface UploadInvocationReport {
  records: UploadReport[];
}

/** Options for {@link createAwsUploadHandler}. */
export interface AwsUploadHandlerOptions {
  /** Publishes the metrics the trigger counted after each invocation (CloudWatch EMF). */
  metrics?: MetricsPublisher;
  /** How long before the Lambda deadline the analysis is aborted and the rest deferred (default `DEADLINE_MARGIN_MS`). */
  deadlineMarginMs?: number;
}

/** The Lambda handler for uploads. */
export type AwsUploadHandler = Handler<AwsUploadEvent, SQSBatchResponse | UploadInvocationReport>;

/**
 * One Lambda handler for every AWS upload trigger, feeding the shared upload trigger
 * (`runUploadTrigger`): S3 notifications sent directly and EventBridge events (when an event is
 * to be delivered again the invocation throws, so Lambda retries it and then sends it to the
 * on-failure destination), and SQS batches, answered as partial batch responses naming only the
 * messages to deliver again. Records run one after another (one analysis in memory at a time),
 * under one deadline signal for the invocation: those not started by then are deferred (retried),
 * never acknowledged unread.
 *
 * @example
 * ```ts
 * export const handler = createAwsUploadHandler(uploadTriggerDepsFrom(awsPlatform, config, 'upload-analyze', { metrics }), { metrics });
 * ```
 */
export function createAwsUploadHandler(deps: UploadTriggerDeps, options: AwsUploadHandlerOptions = {}): AwsUploadHandler {
  const marginMs = options.deadlineMarginMs ?? DEADLINE_MARGIN_MS;

  const runMessage = async (message: SQSRecord, signal: AbortSignal): Promise<void> => {
    const via = { via: 'sqs', messageId: message.messageId };
    const reports: UploadReport[] = [];
    for (const input of readEvent(() => parseSqsMessage(message))) reports.push(await runUploadTrigger(input, deps, signal, via));
    const again = reports.filter((report) => report.disposition === 'retry');
    if (again.length) throw retryError(again, reports.length);
  };

  const runDirect = async (event: AwsUploadEvent, signal: AbortSignal): Promise<UploadInvocationReport> => {
    const via = { via: 'Records' in event ? 's3' : 'eventbridge' };
    const records: UploadReport[] = [];
    for (const input of readEvent(() => parseNotification(event))) records.push(await runUploadTrigger(input, deps, signal, via));
    const again = records.filter((report) => report.disposition === 'retry');
    if (again.length) throw retryError(again, records.length);
    return { records };
  };

  const handler = middy<AwsUploadEvent, SQSBatchResponse | UploadInvocationReport, Error, DeadlineContext>({
    // Our signal fires first and the handler answers; middy's early timeout is the safety net.
    timeoutEarlyInMillis: Math.max(1, Math.floor(marginMs / 3)),
  })
    .use(lambdaLogContext(deps.analysis.logger))
    .use(options.metrics ? [publishMetrics(options.metrics)] : [])
    .use(deadlineSignal({ marginMs }))
    .handler(async (event, context) => {
      const signal = context.deadlineSignal ?? new AbortController().signal;
      return isSqsBatch(event) ? processPartialResponse(event.Records, (message) => runMessage(message, signal)) : runDirect(event, signal);
    });
  return handler as unknown as AwsUploadHandler;
}

/** The trigger's inputs of one event, or the one input saying why it cannot be read. */
function readEvent(parse: () => UploadTriggerInput[]): UploadTriggerInput[] {
  try {
    return parse();
  } catch (error) {
    return [{ unreadable: error }];
  }
}

function retryError(again: UploadReport[], total: number): UploadRetryError {
  const failed = again.map((report) => report.key ?? '?');
  return new UploadRetryError(`${again.length} of ${total} upload(s) will be delivered again: ${failed.join(', ')}`, { failed });
}
