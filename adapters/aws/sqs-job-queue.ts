import { ChangeMessageVisibilityCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DependencyUnavailableError } from '../../core/errors.js';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';

/**
 * Jobs on an SQS queue (`KELPIE_JOB_QUEUE_URL`), read by serverless.yml's `analyzeJob`. The
 * client talks to the queue URL's own host when it is not AWS's (moto, LocalStack), else to the
 * region's endpoint (or `AWS_ENDPOINT_URL_SQS`, which the SDK reads itself).
 *
 * @example
 * ```ts
 * const queue = new SqsJobQueue({ queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/kelpie-jobs' });
 * await queue.send(serializeJob(job));
 * ```
 */
export class SqsJobQueue implements JobQueue {
  readonly name: string;
  private readonly client: SQSClient;

  constructor(private readonly options: { queueUrl: string; client?: SQSClient }) {
    const url = new URL(options.queueUrl);
    this.name = `sqs:${url.pathname.split('/').pop()}`;
    const local = !url.hostname.endsWith('.amazonaws.com');
    this.client =
      options.client ??
      new SQSClient({ requestHandler: { connectionTimeout: 3_000, socketTimeout: 10_000 }, maxAttempts: 3, ...(local ? { endpoint: url.origin } : {}) });
  }

  /** Hides a received message for `delayS` seconds (it comes back then): the retry backoff of `analyzeJob`. */
  async retryLater(receiptHandle: string, delayS: number): Promise<void> {
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: delayS }));
  }

  async send(body: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.client.send(new SendMessageCommand({ QueueUrl: this.options.queueUrl, MessageBody: body }), { abortSignal: options.signal });
    } catch (error) {
      throw new DependencyUnavailableError(`SQS refused the job message: ${(error as Error).message}`, { queue: this.name }, { cause: error });
    }
  }
}
