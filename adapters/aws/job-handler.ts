import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { JobBusyError } from '../../core/jobs/run-job.js';
import { type JobWorker, runJobMessage } from '../shared/job-worker.js';
import { addLambdaContext } from './logger.js';
import { processPartialResponse } from './sqs-batch.js';

/** Time left below which a message is not started but handed back to the queue. */
const MIN_START_MS = 30_000;

/** Wait before a message handed back is delivered again: 30 s, doubling per receive, at most 15 min. */
export function retryDelayS(receiveCount: number): number {
  return Math.min(900, 30 * 2 ** Math.max(0, receiveCount - 1));
}

/** Options of {@link createAwsJobHandler}. */
export interface AwsJobHandlerOptions {
  /**
   * Sets how long a message handed back stays hidden (SQS ChangeMessageVisibility). Without it
   * SQS redelivers only when the queue's visibility timeout (6 × the function timeout) ends.
   */
  retryLater?: (receiptHandle: string, delayS: number) => Promise<void>;
}

/**
 * The `analyzeJob` Lambda: SQS batches of job messages through `processPartialResponse`, one after
 * another, answering `{ batchItemFailures }` with the messages to deliver again — those whose
 * analysis failed in a way a retry may fix, those another worker is running, and those not
 * started because the invocation was running out of time. Each is hidden for a backoff
 * (`retryDelayS`; for a job another worker holds, until its lease runs out) rather than the
 * queue's long visibility timeout, so a brief outage delays a job by seconds, not 90 minutes. The delivery count is SQS's `ApproximateReceiveCount`, so the worker
 * knows its last attempt (`KELPIE_JOB_MAX_ATTEMPTS`, the redrive policy's `maxReceiveCount`) and
 * records `failed` before the message goes to the dead-letter queue.
 *
 * @example
 * ```ts
 * export const handler = createAwsJobHandler(composeOnce('analyze-job', () => jobWorkerFrom(awsPlatform, config, 'analyze-job', { timeoutMs })));
 * ```
 */
export function createAwsJobHandler(worker: () => JobWorker, options: AwsJobHandlerOptions = {}) {
  const handBack = async (record: SQSRecord, delayS: number) => {
    try {
      await options.retryLater?.(record.receiptHandle, delayS);
    } catch (error) {
      // The message still comes back, at the queue's visibility timeout instead.
      worker().logger.warn('could not shorten the wait before the job is delivered again', { messageId: record.messageId, error: (error as Error).message });
    }
  };
  const runRecord = async (record: SQSRecord, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const remainingMs = context.getRemainingTimeInMillis();
    const fields = { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount };
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount) || 1;
    if (remainingMs < MIN_START_MS) {
      worker().logger.warn('job message deferred: the invocation is out of time', fields);
      await handBack(record, retryDelayS(1));
      throw new Error('deferred');
    }
    try {
      const outcome = await runJobMessage(record.body, worker(), { attempt: receiveCount, remainingMs });
      worker().logger.info('job message handled', { ...fields, outcome });
    } catch (error) {
      // A job another worker holds comes back when that worker's lease runs out, not later.
      await handBack(record, error instanceof JobBusyError ? Math.ceil(error.retryAfterMs / 1000) + 1 : retryDelayS(receiveCount));
      throw error;
    }
  };
  return async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Context>): Promise<SQSBatchResponse> => {
    // The worker is composed here, on the first message: a configuration error fails the invocation.
    addLambdaContext(worker().logger, context);
    return processPartialResponse(event.Records ?? [], (record) => runRecord(record, context));
  };
}
