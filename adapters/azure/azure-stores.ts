import { type ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { Config } from '../../core/config.js';
import { InvalidRequestError } from '../../core/errors.js';
import type { Stores } from '../runtime.js';
import { AzureBlobStore } from './azure-blob-store.js';
import { AzureUploadSigner, createAzureContainerClient } from './azure-client.js';

/** Environment read beside the validated `Config`: the connection string is not a `KELPIE_` setting. */
export type Env = Record<string, string | undefined>;

/** The app setting holding the storage account's connection string (also the blob trigger's `connection`). */
export const AZURE_CONNECTION_SETTING = 'AZURE_STORAGE_CONNECTION_STRING';

/**
 * A container client for `container` in the account `AZURE_STORAGE_CONNECTION_STRING` names
 * (account key or SAS; Azurite's development account works). Throws `InvalidRequestError` in the
 * configuration's wording when the setting is missing or is not a connection string.
 *
 * @example
 * ```ts
 * const client = azureContainerFor('imagery', process.env);
 * ```
 */
export function azureContainerFor(container: string, env: Env): ContainerClient {
  const connectionString = env[AZURE_CONNECTION_SETTING]?.trim();
  if (!connectionString) {
    throw new InvalidRequestError(`invalid configuration: ${AZURE_CONNECTION_SETTING}: KELPIE_STORE=azure needs the storage account's connection string`);
  }
  try {
    return createAzureContainerClient({ connectionString, container });
  } catch {
    // The SDK's message may quote the string, key included: say only which setting is wrong.
    throw new InvalidRequestError(`invalid configuration: ${AZURE_CONNECTION_SETTING}: not a storage connection string (AccountName=…;AccountKey=… or a SAS)`);
  }
}

/**
 * The stores for `KELPIE_STORE=azure`: one container (`KELPIE_BUCKET`) holds uploads and results.
 * Upload URLs need the account key (a blob SAS is signed with it); with a SAS connection string
 * there is no signer and `POST /api/uploads` answers 503. Ids name the store
 * `azure://<account>/<container>`.
 *
 * @example
 * ```ts
 * const stores = createAzureStores(loadConfig(process.env), process.env);
 * ```
 */
export function createAzureStores(config: Config, env: Env): Stores {
  const container = config.KELPIE_BUCKET as string; // loadConfig requires it for azure
  const client = azureContainerFor(container, env);
  const store = new AzureBlobStore({ client });
  const uploadSigner = client.credential instanceof StorageSharedKeyCredential ? new AzureUploadSigner({ client }) : undefined;
  return { imageStore: store, resultStore: store, imageStoreName: `azure://${client.accountName}/${container}`, ...(uploadSigner ? { uploadSigner } : {}), extraRoutes: [] };
}
