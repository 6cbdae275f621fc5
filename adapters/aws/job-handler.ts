import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { JobOutcome } from '../../core/jobs/run-job.js';
import { type JobWorker, runJobMessage } from '../job-worker.js';

/** Time left below which a message is not started but handed back to the queue. */
const MIN_START_MS = 30_000;

/**
 * The `analyzeJob` Lambda: SQS batches of job messages, one after another, answering
 * `{ batchItemFailures }` with the messages to deliver again — those whose analysis failed in a
 * way a retry may fix, and those not started because the invocation was running out of time.
 * The delivery count is SQS's `ApproximateReceiveCount`, so the worker knows its last attempt
 * (`KELPIE_JOB_MAX_ATTEMPTS`, the redrive policy's `maxReceiveCount`) and records `failed`
 * before the message goes to the dead-letter queue.
 *
 * @example
 * ```ts
 * export const handler = createAwsJobHandler(() => jobWorkerFrom(loadConfig(process.env), 'analyze-job', { timeoutMs: 900_000 }));
 * ```
 */
export function createAwsJobHandler(worker: () => JobWorker) {
  return async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records ?? []) {
      const remainingMs = context.getRemainingTimeInMillis();
      const fields = { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount };
      if (remainingMs < MIN_START_MS) {
        worker().logger.warn('job message deferred: the invocation is out of time', fields);
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        const outcome: JobOutcome = await runJobMessage(record.body, worker(), { attempt: Number(record.attributes?.ApproximateReceiveCount) || 1, remainingMs });
        worker().logger.info('job message handled', { ...fields, outcome });
      } catch {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
