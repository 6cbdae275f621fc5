import type { Config } from '../core/config.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import { S3BlobStore } from './aws/s3-blob-store.js';
import { createS3Client } from './aws/s3-client.js';
import { FsBlobStore } from './local/fs-blob-store.js';
import { createStores } from './runtime.js';

/**
 * The store backups go to: `KELPIE_BACKUP_BUCKET` when set (a bucket for s3, a folder for fs),
 * else the results store itself, where backups live under the `backups/` prefix.
 *
 * @example
 * ```ts
 * const backups = createBackupStore(config, stores.resultStore);
 * ```
 */
export function createBackupStore(config: Config, resultStore: BlobStore): BlobStore {
  const bucket = config.KELPIE_BACKUP_BUCKET;
  if (!bucket) return resultStore;
  switch (config.KELPIE_STORE) {
    case 'fs':
      return new FsBlobStore({ root: bucket });
    case 's3':
      return new S3BlobStore({ client: createS3Client(config), bucket });
    default:
      return createStores({ ...config, KELPIE_BUCKET: bucket }).resultStore;
  }
}
