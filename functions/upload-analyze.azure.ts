/**
 * Upload-triggered analysis on Azure Functions (Node.js v4 model), two ways in:
 * - `analyzeUploadEventGrid`: an Event Grid subscription for `Microsoft.Storage.BlobCreated` on
 *   the storage account (Event Grid or CloudEvents schema). Recommended: no polling, no size limit.
 * - `analyzeUploadBlob`: a blob trigger on `%KELPIE_BUCKET%/uploads/{name}` (the container is the
 *   app setting `KELPIE_BUCKET`), watching the account `AZURE_STORAGE_CONNECTION_STRING` names.
 *   The host reads the whole blob into memory to call it; disable it
 *   (`AzureWebJobs.analyzeUploadBlob.Disabled=true`) when the Event Grid subscription is used.
 * Composition only, on the first event. An event to deliver again throws (Event Grid redelivers;
 * the blob trigger retries 5 times); any other resolves with one log line.
 */
import { type InvocationContext, app } from '@azure/functions';
import { azureFunctionTimeoutMs } from '../adapters/azure/function-timeout.js';
import { withInvocationLog } from '../adapters/azure/logger.js';
import { azurePlatform } from '../adapters/azure/platform.js';
import { AZURE_CONNECTION_SETTING } from '../adapters/azure/connection.js';
import { fromBlobTrigger, fromEventGridEvent } from '../adapters/azure/upload-events.js';
import { composeOnce } from '../adapters/shared/compose-once.js';
import { handleUploadEvent, uploadTriggerDepsFrom } from '../adapters/shared/upload-trigger.js';
import { loadConfig } from '../core/config.js';

const SERVICE = 'upload-analyze';

/** The blob trigger's path: `%…%` is an app setting, resolved by the Functions host. */
export const BLOB_TRIGGER_PATH = '%KELPIE_BUCKET%/uploads/{name}';

const deps = composeOnce(SERVICE, () => uploadTriggerDepsFrom(azurePlatform, loadConfig(process.env), SERVICE));

/** The Event Grid trigger's handler (exported for tests). */
export const analyzeUploadEventGrid = withInvocationLog(async (event: unknown, _context: InvocationContext): Promise<void> => {
  await handleUploadEvent(fromEventGridEvent(event), deps(), { timeoutMs: azureFunctionTimeoutMs(process.env), via: { via: 'eventgrid' } });
});

/** The blob trigger's handler (exported for tests); the blob's bytes are not used, the store reads ranges. */
export const analyzeUploadBlob = withInvocationLog(async (_blob: unknown, context: InvocationContext): Promise<void> => {
  await handleUploadEvent(fromBlobTrigger(context), deps(), { timeoutMs: azureFunctionTimeoutMs(process.env), via: { via: 'blob' } });
});

app.eventGrid('analyzeUploadEventGrid', { handler: analyzeUploadEventGrid });
app.storageBlob('analyzeUploadBlob', { path: BLOB_TRIGGER_PATH, connection: AZURE_CONNECTION_SETTING, handler: analyzeUploadBlob });
