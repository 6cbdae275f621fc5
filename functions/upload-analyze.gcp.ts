/**
 * Upload-triggered analysis on Google Cloud Functions (2nd gen): an Eventarc trigger for
 * `google.cloud.storage.object.v1.finalized` on the imagery bucket, entry point `analyzeUpload`.
 * Composition only, on the first event: configuration, stores, logger. A transient failure throws
 * (500: Eventarc retries when the function is deployed with `--retry`); an analysed, duplicate,
 * ignored or rejected upload returns normally (204) with one log line.
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { composeOnce } from '../adapters/compose-once.js';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { fromStorageCloudEvent } from '../adapters/gcp/upload-event.js';
import { runUploadTrigger, uploadTriggerDepsFrom } from '../adapters/upload-trigger.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'upload-analyze';

const deps = composeOnce(SERVICE, () => uploadTriggerDepsFrom(loadConfig(process.env), SERVICE, { timeoutMs: gcpFunctionTimeoutMs(process.env) }));

/** The registered CloudEvent function (exported for tests). */
export async function analyzeUpload(event: CloudEvent<unknown>): Promise<void> {
  await runUploadTrigger(fromStorageCloudEvent(event), deps());
}

cloudEvent('analyzeUpload', analyzeUpload);
