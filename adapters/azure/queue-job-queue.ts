import { QueueClient } from '@azure/storage-queue';
import type { InvocationContext } from '@azure/functions';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError } from '../../core/errors.js';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';
import type { Env } from '../shared/platform.js';
import { AZURE_CONNECTION_SETTING } from './connection.js';

/** Azure Storage's largest message, as sent (after base64): 64 KiB. Azurite answers 413 above it. */
export const AZURE_MAX_MESSAGE_CHARS = 64 * 1024;

/** Options for {@link AzureQueueJobQueue}. */
export interface AzureQueueJobQueueOptions {
  /** The queue client (made with {@link createAzureJobQueue} from the connection string). */
  client: Pick<QueueClient, 'name' | 'sendMessage'>;
  /** Longest wait for the service to take the message, in ms (retries included). */
  timeoutMs?: number;
}

const defaults = { timeoutMs: 10_000 };

/**
 * Jobs on an Azure Storage queue, read by `functions/analyze-job.azure.ts`' queue trigger. The
 * text sent is the base64 of the job's JSON: the Functions host decodes queue messages as base64
 * by default (host.json `extensions.queues.messageEncoding`), and a message it cannot decode
 * goes straight to the poison queue. The 48 KiB job limit (`MAX_JOB_BYTES`) is exactly 64 KiB in
 * base64, Azure's message limit.
 *
 * @example
 * ```ts
 * const queue = createAzureJobQueue('kelpie-jobs', process.env);
 * await queue.send(serializeJob(job), { signal });
 * ```
 */
export class AzureQueueJobQueue implements JobQueue {
  readonly name: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: AzureQueueJobQueueOptions) {
    this.name = `azure-queue:${options.client.name}`;
    this.timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  }

  async send(body: string, options: CallOptions = {}): Promise<void> {
    const text = Buffer.from(body, 'utf8').toString('base64');
    if (text.length > AZURE_MAX_MESSAGE_CHARS) {
      throw new InvalidRequestError(`the job message is ${text.length} characters in base64, over Azure Storage's ${AZURE_MAX_MESSAGE_CHARS}-character message limit`, { queue: this.name });
    }
    if (options.signal?.aborted) throw new DeadlineExceededError(`sending the job message to ${this.name} was aborted`, { queue: this.name });
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      await this.options.client.sendMessage(text, { abortSignal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
    } catch (error) {
      if (options.signal?.aborted) throw new DeadlineExceededError(`sending the job message to ${this.name} was aborted`, { queue: this.name }, { cause: error });
      throw new DependencyUnavailableError(`Azure Storage refused the job message: ${describe(error, timeout, this.timeoutMs)}`, { queue: this.name }, { cause: error });
    }
  }
}

/**
 * The job queue `queueName` in the storage account `AZURE_STORAGE_CONNECTION_STRING` names (the
 * store's account; the queue must exist). Throws `InvalidRequestError` in the configuration's
 * wording when the setting is missing or is not a connection string, never quoting it.
 *
 * @example
 * ```ts
 * const queue = createAzureJobQueue(config.KELPIE_JOB_QUEUE_NAME, process.env);
 * ```
 */
export function createAzureJobQueue(queueName: string, env: Env, options: Omit<AzureQueueJobQueueOptions, 'client'> = {}): AzureQueueJobQueue {
  const connectionString = env[AZURE_CONNECTION_SETTING]?.trim();
  if (!connectionString) {
    throw new InvalidRequestError(`invalid configuration: ${AZURE_CONNECTION_SETTING}: KELPIE_JOB_QUEUE=azure needs the storage account's connection string`);
  }
  let client: QueueClient;
  try {
    // Few, short retries: a refused message is answered 503 and the client posts again.
    client = new QueueClient(connectionString, queueName, { retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 } });
  } catch {
    throw new InvalidRequestError(`invalid configuration: ${AZURE_CONNECTION_SETTING}: not a storage connection string (AccountName=…;AccountKey=… or a SAS)`);
  }
  return new AzureQueueJobQueue({ client, ...options });
}

/**
 * The delivery count of a queue trigger invocation: `triggerMetadata.dequeueCount` (1 on the
 * first delivery), a number or a numeric string; 1 when absent. Read nothing else from the
 * metadata: the Node.js worker merges a JSON message's own fields into it, so `id` there is the
 * job's analysis id, not the message id (azure-functions-nodejs-library issue 459).
 *
 * @example
 * ```ts
 * dequeueCountOf(context); // 3 on the third delivery
 * ```
 */
export function dequeueCountOf(context: Pick<InvocationContext, 'triggerMetadata'>): number {
  const count = Number(context.triggerMetadata?.dequeueCount);
  return Number.isSafeInteger(count) && count >= 1 ? count : 1;
}

/** The status and code of a storage error (the SDK's message is often only "Unexpected status code"). */
function describe(error: unknown, timeout: AbortSignal, timeoutMs: number): string {
  if (timeout.aborted) return `no answer within ${timeoutMs} ms`;
  const { statusCode, code, message } = error as { statusCode?: number; code?: string; message?: string };
  const firstLine = String(message ?? error).split('\n')[0].slice(0, 200);
  return [statusCode && `HTTP ${statusCode}`, code, firstLine].filter(Boolean).join(' ');
}
