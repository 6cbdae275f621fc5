/**
 * The worker of asynchronous analyses on AWS Lambda: serverless.yml's `functions.analyzeJob`,
 * fed by the job queue (SQS, partial batch responses, a dead-letter queue after
 * `KELPIE_JOB_MAX_ATTEMPTS` receives). Composition only: configuration, stores and logger on
 * the first message. A configuration error fails every message, so jobs wait in the queue (and
 * then the dead-letter queue) for a fixed deployment instead of being acknowledged unrun.
 */
import { createAwsJobHandler } from '../adapters/aws/job-handler.js';
import { awsPlatform } from '../adapters/aws/platform.js';
import { SqsJobQueue } from '../adapters/aws/sqs-job-queue.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { jobWorkerFrom } from '../adapters/shared/job-worker.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'analyze-job';

// Lambda's timeout for this function (serverless.yml `custom.jobTimeoutS`) comes as KELPIE_JOB_TIMEOUT_S.
const worker = composeOnce(SERVICE, () => {
  const config = loadConfig(process.env);
  return jobWorkerFrom(awsPlatform, config, SERVICE, { timeoutMs: config.KELPIE_JOB_TIMEOUT_S * 1000 });
});

const queue = composeOnce(SERVICE, () => {
  const { KELPIE_JOB_QUEUE_URL: url } = loadConfig(process.env);
  return url ? new SqsJobQueue({ queueUrl: url }) : undefined;
});

export const handler = createAwsJobHandler(worker, { retryLater: (receiptHandle, delayS) => queue()?.retryLater(receiptHandle, delayS) ?? Promise.resolve() });
