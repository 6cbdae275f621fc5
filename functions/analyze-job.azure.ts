/**
 * The worker of asynchronous analyses on Azure Functions (Node.js v4 model): a queue trigger on
 * `%KELPIE_JOB_QUEUE_NAME%` in the account `AZURE_STORAGE_CONNECTION_STRING` names (the store's
 * and the API's queue). Composition only, on the first message.
 *
 * - The host decodes the base64 message text and, the job being JSON, passes the parsed object:
 *   it goes to the worker as it is (a job is accepted as an object or as text).
 * - The delivery count is `triggerMetadata.dequeueCount`; the last one is host.json's
 *   `extensions.queues.maxDequeueCount` (5), which must equal `KELPIE_JOB_MAX_ATTEMPTS`.
 * - A transient failure throws: the host makes the message visible again after
 *   `visibilityTimeout` and, after `maxDequeueCount` deliveries, moves it to `<queue>-poison`.
 *   Done, failed for good, duplicate and dropped messages resolve (the host deletes them).
 */
import { type InvocationContext, app } from '@azure/functions';
import { AZURE_CONNECTION_SETTING } from '../adapters/azure/connection.js';
import { azureFunctionTimeoutMs } from '../adapters/azure/function-timeout.js';
import { withInvocationLog } from '../adapters/azure/logger.js';
import { azurePlatform } from '../adapters/azure/platform.js';
import { dequeueCountOf } from '../adapters/azure/queue-job-queue.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { jobWorkerFrom, runJobMessage } from '../adapters/shared/job-worker.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'analyze-job';

/** The queue trigger's queue: `%…%` is an app setting, resolved by the Functions host. */
export const JOB_QUEUE_NAME = '%KELPIE_JOB_QUEUE_NAME%';

const worker = composeOnce(SERVICE, () => jobWorkerFrom(azurePlatform, loadConfig(process.env), SERVICE, { timeoutMs: azureFunctionTimeoutMs(process.env) }));

/** The queue trigger's handler (exported for tests). */
export const analyzeJob = withInvocationLog(async (message: unknown, context: InvocationContext): Promise<void> => {
  const dequeueCount = dequeueCountOf(context);
  const outcome = await runJobMessage(message, worker(), { attempt: dequeueCount });
  worker().logger.info('job message handled', { invocationId: context.invocationId, dequeueCount, outcome });
});

app.storageQueue('analyzeJob', { queueName: JOB_QUEUE_NAME, connection: AZURE_CONNECTION_SETTING, handler: analyzeJob });
