/**
 * Upload-triggered analysis on Google Cloud Functions (2nd gen): an Eventarc trigger for
 * `google.cloud.storage.object.v1.finalized` on the imagery bucket, entry point `analyzeUpload`.
 * Composition only, on the first event: configuration, stores, logger. An event to deliver again
 * throws (500: Eventarc retries when the function is deployed with `--retry`); any other returns
 * normally (204) with one log line.
 */
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { gcpFunctionTimeoutMs } from '../adapters/gcp/function-timeout.js';
import { gcpPlatform } from '../adapters/gcp/platform.js';
import { fromStorageCloudEvent } from '../adapters/gcp/upload-event.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { handleUploadEvent, uploadTriggerDepsFrom } from '../adapters/shared/upload-trigger.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'upload-analyze';

const deps = composeOnce(SERVICE, () => uploadTriggerDepsFrom(gcpPlatform, loadConfig(process.env), SERVICE));

/** The registered CloudEvent function (exported for tests). */
export async function analyzeUpload(event: CloudEvent<unknown>): Promise<void> {
  await handleUploadEvent(fromStorageCloudEvent(event), deps(), { timeoutMs: gcpFunctionTimeoutMs(process.env), via: { via: 'storage' } });
}

cloudEvent('analyzeUpload', analyzeUpload);
