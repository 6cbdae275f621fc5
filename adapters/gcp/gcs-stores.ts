import type { Bucket } from '@google-cloud/storage';
import type { Config } from '../../core/config.js';
import type { Stores } from '../runtime.js';
import { GcsBlobStore } from './gcs-blob-store.js';
import { GcsUploadSigner, createGcsBucket } from './gcs-client.js';

/** Environment read beside the validated `Config` (until `KELPIE_GCS_ENDPOINT` moves into core/config.ts). */
export type Env = Record<string, string | undefined>;

/**
 * A bucket handle for `bucket`, honouring `KELPIE_GCS_ENDPOINT` (another JSON API endpoint: a test
 * double or emulator, requests unauthenticated). Without it the SDK uses Cloud Storage with
 * Application Default Credentials, or `STORAGE_EMULATOR_HOST` when that is set (the SDK reads it).
 *
 * @example
 * ```ts
 * const bucket = gcsBucketFor('kelpie-imagery', process.env);
 * ```
 */
export function gcsBucketFor(bucket: string, env: Env): Bucket {
  const apiEndpoint = env.KELPIE_GCS_ENDPOINT?.trim();
  return createGcsBucket({ bucket, ...(apiEndpoint ? { apiEndpoint } : {}) });
}

/**
 * The stores for `KELPIE_STORE=gcs`: one bucket (`KELPIE_BUCKET`) holds uploads and results;
 * uploads are signed V4 URLs. Ids name the store `gs://<bucket>`.
 *
 * @example
 * ```ts
 * const stores = createGcsStores(loadConfig(process.env), process.env);
 * ```
 */
export function createGcsStores(config: Config, env: Env): Stores {
  const name = config.KELPIE_BUCKET as string; // loadConfig requires it for gcs
  const bucket = gcsBucketFor(name, env);
  const store = new GcsBlobStore({ bucket });
  return { imageStore: store, resultStore: store, imageStoreName: `gs://${name}`, uploadSigner: new GcsUploadSigner({ bucket }), extraRoutes: [] };
}
