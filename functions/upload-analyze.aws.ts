/**
 * Upload-triggered analysis on AWS Lambda: serverless.yml's `functions.analyzeUpload` (S3
 * notifications sent directly, or EventBridge) and `functions.analyzeUploadQueue` (SQS batches
 * with partial batch failure). Composition only: configuration, stores, logger and metrics once
 * per cold start, then the upload handler. A configuration error fails every invocation, so the
 * events are retried and then dead-lettered instead of being acknowledged unanalysed.
 */
import { handlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { EmfMetrics } from '../adapters/aws/emf-metrics.js';
import { awsPlatform } from '../adapters/aws/platform.js';
import { createAwsUploadHandler } from '../adapters/aws/upload-handler.js';
import { uploadTriggerDepsFrom } from '../adapters/shared/upload-trigger.js';
import { loadConfig } from '../core/config.js';
import { noMetrics } from '../core/ports/metrics.js';

const SERVICE = 'upload-analyze';

export const handler = handlerOrConfigurationError(SERVICE, () => {
  const metrics = new EmfMetrics({ registry: noMetrics, service: SERVICE });
  return createAwsUploadHandler(uploadTriggerDepsFrom(awsPlatform, loadConfig(process.env), SERVICE, { metrics }), { metrics });
});
