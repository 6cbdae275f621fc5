import type { Config } from '../core/config.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import { S3BlobStore } from './aws/s3-blob-store.js';
import { createS3Client } from './aws/s3-client.js';
import { AzureBlobStore } from './azure/azure-blob-store.js';
import { azureContainerFor } from './azure/azure-stores.js';
import { GcsBlobStore } from './gcp/gcs-blob-store.js';
import { gcsBucketFor } from './gcp/gcs-stores.js';
import { FsBlobStore } from './local/fs-blob-store.js';
import { createStores } from './runtime.js';

/**
 * The store backups go to: `KELPIE_BACKUP_BUCKET` when set (a bucket for s3 and gcs, a container
 * in the same storage account for azure, a folder for fs), else the results store itself, where
 * backups live under the `backups/` prefix. `env` supplies the non-`KELPIE_` settings
 * (`AZURE_STORAGE_CONNECTION_STRING`, `KELPIE_GCS_ENDPOINT`).
 *
 * @example
 * ```ts
 * const backups = createBackupStore(config, stores.resultStore);
 * ```
 */
export function createBackupStore(config: Config, resultStore: BlobStore, env: Record<string, string | undefined> = process.env): BlobStore {
  const bucket = config.KELPIE_BACKUP_BUCKET;
  if (!bucket) return resultStore;
  switch (config.KELPIE_STORE) {
    case 'fs':
      return new FsBlobStore({ root: bucket });
    case 's3':
      return new S3BlobStore({ client: createS3Client(config), bucket });
    case 'gcs':
      return new GcsBlobStore({ bucket: gcsBucketFor(bucket, env) });
    case 'azure':
      return new AzureBlobStore({ client: azureContainerFor(bucket, env) });
    default:
      return createStores({ ...config, KELPIE_BUCKET: bucket }, env).resultStore;
  }
}
