import type { ContainerClient } from '@azure/storage-blob';
import { InvalidRequestError } from '../../core/errors.js';
import type { Env } from '../shared/platform.js';
import { createAzureContainerClient } from './azure-client.js';

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
