import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/** Handles one SQS record; throwing marks the record failed, so only it returns to the queue. */
export type SqsRecordHandler = (record: SQSRecord) => Promise<void>;

/**
 * An SQS batch handled the way Powertools' `processPartialResponse` does: each record goes
 * through `handleRecord`, one after another (one analysis in memory at a time), and the records
 * whose handler threw are answered as `batchItemFailures`, so SQS deletes the others and delivers
 * only those again (the event source mapping needs `ReportBatchItemFailures`). Unlike Powertools'
 * default, a batch whose every record failed is answered the same way rather than thrown: SQS
 * treats both alike, and each record keeps its own retry backoff.
 *
 * @example
 * ```ts
 * return processPartialResponse(event.Records, async (record) => { await work(record.body); });
 * ```
 */
export async function processPartialResponse(records: readonly SQSRecord[], handleRecord: SqsRecordHandler): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of records) {
    try {
      await handleRecord(record);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
