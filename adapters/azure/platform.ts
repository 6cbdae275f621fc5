import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { createFolderJobQueue, fsStoreAdapter, memoryStoreAdapter } from '../shared/local-stores.js';
import type { Platform, StoreAdapter } from '../shared/platform.js';
import { AzureBlobStore } from './azure-blob-store.js';
import { AzureUploadSigner } from './azure-client.js';
import { azureContainerFor } from './connection.js';
import { invocationLogger } from './logger.js';
import { createAzureJobQueue } from './queue-job-queue.js';

/**
 * `KELPIE_STORE=azure`: one container (`KELPIE_BUCKET`) holds uploads and results. Upload URLs need
 * the account key (a blob SAS is signed with it); with a SAS connection string there is no signer
 * and `POST /api/uploads` answers 503. Ids name the store `azure://<account>/<container>`; a backup
 * bucket is another container in the same account.
 */
const azureStoreAdapter: StoreAdapter = {
  stores: (config, env) => {
    const container = config.KELPIE_BUCKET as string; // loadConfig requires it for azure
    const client = azureContainerFor(container, env);
    const store = new AzureBlobStore({ client });
    const uploadSigner = client.credential instanceof StorageSharedKeyCredential ? new AzureUploadSigner({ client }) : undefined;
    return { imageStore: store, resultStore: store, imageStoreName: `azure://${client.accountName}/${container}`, bucket: container, ...(uploadSigner ? { uploadSigner } : {}), extraRoutes: [] };
  },
  bucket: (name, _config, env) => new AzureBlobStore({ client: azureContainerFor(name, env) }),
};

/**
 * What the Azure functions are made of: Azure Blob storage (and the filesystem and memory stores,
 * for local runs and tests), storage queues for jobs (a folder locally), and a logger writing
 * through each invocation's context. Nothing here reaches AWS's or Google's code.
 *
 * @example
 * ```ts
 * const worker = jobWorkerFrom(azurePlatform, loadConfig(process.env), 'analyze-job', { timeoutMs });
 * ```
 */
export const azurePlatform: Platform = {
  name: 'the Azure functions',
  stores: { azure: azureStoreAdapter, fs: fsStoreAdapter, memory: memoryStoreAdapter },
  queues: { azure: (config, env) => createAzureJobQueue(config.KELPIE_JOB_QUEUE_NAME as string, env), local: createFolderJobQueue },
  logger: invocationLogger,
};
