/**
 * Upload-triggered analysis on AWS Lambda: serverless.yml's `functions.analyzeUpload` (S3
 * notifications sent directly, or EventBridge) and `functions.analyzeUploadQueue` (SQS batches
 * with partial batch failure). Composition only: configuration, stores, logger and metrics once
 * per cold start, then the upload handler. A configuration error fails every invocation, so the
 * events are retried and then dead-lettered instead of being acknowledged unanalysed.
 */
import { EmfMetrics } from '../adapters/aws/emf-metrics.js';
import { handlerOrConfigurationError } from '../adapters/aws/configuration-error.js';
import { createAwsUploadHandler } from '../adapters/aws/upload-handler.js';
import { analysisRuntime } from '../adapters/analysis-runtime.js';
import { CODE_VERSION } from '../adapters/local/version.js';
import { createLogger, createStores } from '../adapters/runtime.js';
import { loadConfig } from '../core/config.js';
import { systemClock } from '../core/ports/clock.js';
import { noMetrics } from '../core/ports/metrics.js';

const SERVICE = 'upload-analyze';

export const handler = handlerOrConfigurationError(SERVICE, () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config, SERVICE);
  const { imageStore, imageStoreName, resultStore } = createStores(config);
  return createAwsUploadHandler({
    analyze: { imageStore, imageStoreName, resultStore, clock: systemClock, logger, codeVersion: CODE_VERSION, maxImagePixels: config.KELPIE_MAX_IMAGE_PIXELS, ...analysisRuntime(config, logger) },
    // Events name their bucket; only the configured one is read (the fs store has none to check).
    bucket: config.KELPIE_STORE === 's3' ? config.KELPIE_BUCKET : undefined,
    logger,
    metrics: new EmfMetrics({ registry: noMetrics, service: SERVICE }),
  });
});
