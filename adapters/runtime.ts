import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import path from 'node:path';
import type { Route } from '../core/api/router.js';
import type { Config } from '../core/config.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import type { Logger } from '../core/ports/logger.js';
import type { UploadSigner } from '../core/ports/upload-signer.js';
import { S3BlobStore } from './aws/s3-blob-store.js';
import { createS3Client } from './aws/s3-client.js';
import { S3UploadSigner } from './aws/s3-upload-signer.js';
import { createAzureStores } from './azure/azure-stores.js';
import { createGcsStores } from './gcp/gcs-stores.js';
import { FsBlobStore } from './local/fs-blob-store.js';
import { localUploadRoute } from './local/local-upload-route.js';
import { LocalUploadSigner } from './local/local-upload-signer.js';
import { currentRequestOrigin } from './local/request-origin.js';
import { MemoryBlobStore } from './memory/memory-blob-store.js';

/** The stores of one deployment, and what comes with them. Spread it into `createApi`'s deps. */
export interface Stores {
  imageStore: BlobStore;
  resultStore: BlobStore;
  /** Goes into analysis ids: `s3://bucket`, `file:///abs/dir`, `memory://`. */
  imageStoreName: string;
  uploadSigner?: UploadSigner;
  /** Routes the store needs on the API (the local upload receiver for `fs` and `memory`). */
  extraRoutes: Route[];
}

/** Where the local server is reached when a request does not say (no `Host` header). */
const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

/** Environment variables that are not `KELPIE_` settings (or not yet in core/config.ts). */
type Env = Record<string, string | undefined>;

type StoreFactory = (config: Config, env: Env) => Stores;

const STORE_FACTORIES: Record<Config['KELPIE_STORE'], StoreFactory> = {
  fs: (config) => withLocalUploads(new FsBlobStore({ root: config.KELPIE_DATA_DIR }), `file://${path.resolve(config.KELPIE_DATA_DIR)}`, config),
  memory: (config) => withLocalUploads(new MemoryBlobStore(), 'memory://', config),
  s3: (config) => {
    const client = createS3Client(config);
    const bucket = config.KELPIE_BUCKET as string; // loadConfig requires it for s3
    const store = new S3BlobStore({ client, bucket });
    return { imageStore: store, resultStore: store, imageStoreName: `s3://${bucket}`, uploadSigner: new S3UploadSigner({ client, bucket }), extraRoutes: [] };
  },
  gcs: createGcsStores,
  azure: createAzureStores,
};

/**
 * The image and result stores `KELPIE_STORE` names, made once per cold start: `fs` (a folder,
 * `KELPIE_DATA_DIR`, with local signed uploads), `s3` (`KELPIE_BUCKET`, presigned S3 uploads),
 * `gcs` (`KELPIE_BUCKET`, V4 signed uploads; `KELPIE_GCS_ENDPOINT` for a test double or emulator),
 * `azure` (container `KELPIE_BUCKET` in the account `AZURE_STORAGE_CONNECTION_STRING` names, SAS
 * uploads) or `memory`. Local uploads use `KELPIE_PUBLIC_URL` and `KELPIE_MAX_UPLOAD_BYTES`.
 * `env` supplies the settings that are not `KELPIE_` ones (default `process.env`).
 *
 * @example
 * ```ts
 * const stores = createStores(loadConfig(process.env));
 * const api = createApi({ ...stores, config: apiConfigFrom(config), clock, logger, metrics, renderMetrics, codeVersion });
 * ```
 */
export function createStores(config: Config, env: Env = process.env): Stores {
  return STORE_FACTORIES[config.KELPIE_STORE](config, env);
}

/**
 * A structured JSON logger (Powertools Logger) behind the core's `Logger` port, at
 * `KELPIE_LOG_LEVEL`, with `service` on every line.
 *
 * @example
 * ```ts
 * const logger = createLogger(config, 'http-api');
 * logger.info('analysis done', { id, areaHa });
 * ```
 */
export function createLogger(config: Pick<Config, 'KELPIE_LOG_LEVEL'>, service: string): Logger {
  const logger = new PowertoolsLogger({ serviceName: service, logLevel: config.KELPIE_LOG_LEVEL });
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

function withLocalUploads(store: BlobStore, imageStoreName: string, config: Config): Stores {
  const publicUrl = config.KELPIE_PUBLIC_URL;
  const signer = new LocalUploadSigner({
    secret: config.KELPIE_LOCAL_UPLOAD_SECRET,
    // An explicit public URL wins; else the address the client used; else the default.
    baseUrl: () => publicUrl ?? currentRequestOrigin() ?? DEFAULT_PUBLIC_URL,
  });
  const maxBytes = config.KELPIE_MAX_UPLOAD_BYTES;
  return { imageStore: store, resultStore: store, imageStoreName, uploadSigner: signer, extraRoutes: [localUploadRoute({ signer, store, maxBytes })] };
}
