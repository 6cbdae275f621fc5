import type { Route } from '../../core/api/router.js';
import { type Config, jobQueueKind } from '../../core/config.js';
import { InvalidRequestError } from '../../core/errors.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import type { JobQueue } from '../../core/ports/job-queue.js';
import type { Logger } from '../../core/ports/logger.js';
import type { UploadSigner } from '../../core/ports/upload-signer.js';

/** Environment variables that are not `KELPIE_` settings (connection strings, emulator hosts). */
export type Env = Record<string, string | undefined>;

/** A `KELPIE_STORE` value. */
export type StoreKind = Config['KELPIE_STORE'];
/** A `KELPIE_JOB_QUEUE` value that names a queue. */
export type QueueKind = Exclude<NonNullable<Config['KELPIE_JOB_QUEUE']>, 'none'>;

/** The stores of one deployment, and what comes with them. Spread it into `createApi`'s deps. */
export interface Stores {
  imageStore: BlobStore;
  resultStore: BlobStore;
  /** Goes into analysis ids: `s3://bucket`, `file:///abs/dir`, `memory://`. */
  imageStoreName: string;
  /** The bucket (or container) the image store reads; upload events name it. None for fs and memory. */
  bucket?: string;
  uploadSigner?: UploadSigner;
  /** Routes the store needs on the API (the local upload receiver for `fs` and `memory`). */
  extraRoutes: Route[];
}

/** One kind of store: the deployment's stores, and a store of another bucket of the same kind. */
export interface StoreAdapter {
  /** The image and result stores `KELPIE_BUCKET` (or `KELPIE_DATA_DIR`) names. */
  stores(config: Config, env: Env): Stores;
  /** The store of bucket (or container, or folder) `name`: where `KELPIE_BACKUP_BUCKET` backups go. */
  bucket(name: string, config: Config, env: Env): BlobStore;
}

/**
 * What one platform brings to the shared composition: the stores and job queues its functions
 * can use (its own cloud's, plus the filesystem and memory ones for local runs and tests), and
 * the logger its log service reads. A function imports only its own platform's `Platform`, so its
 * bundle carries only that cloud's SDK.
 */
export interface Platform {
  /** Named in configuration errors, e.g. `the AWS functions`. */
  name: string;
  stores: Partial<Record<StoreKind, StoreAdapter>>;
  queues: Partial<Record<QueueKind, (config: Config, env: Env) => JobQueue>>;
  /** A structured logger at `KELPIE_LOG_LEVEL` with `service` on every line. */
  logger(config: Pick<Config, 'KELPIE_LOG_LEVEL'>, service: string): Logger;
}

/**
 * The image and result stores `KELPIE_STORE` names, made once per cold start. Throws
 * `InvalidRequestError` naming the stores this platform has when it has not that one.
 *
 * @example
 * ```ts
 * const stores = createStores(awsPlatform, loadConfig(process.env));
 * ```
 */
export function createStores(platform: Platform, config: Config, env: Env = process.env): Stores {
  return storeAdapter(platform, config).stores(config, env);
}

/**
 * The store backups go to: `KELPIE_BACKUP_BUCKET` when set (a bucket for s3 and gcs, a container
 * in the same storage account for azure, a folder for fs), else the results store itself, where
 * backups live under the `backups/` prefix.
 *
 * @example
 * ```ts
 * const backups = createBackupStore(gcpPlatform, config, stores.resultStore);
 * ```
 */
export function createBackupStore(platform: Platform, config: Config, resultStore: BlobStore, env: Env = process.env): BlobStore {
  const bucket = config.KELPIE_BACKUP_BUCKET;
  return bucket ? storeAdapter(platform, config).bucket(bucket, config, env) : resultStore;
}

/**
 * The job queue `KELPIE_JOB_QUEUE` names (default: a folder for the filesystem store, none
 * otherwise), or undefined for none: then every analysis runs within its request.
 *
 * @example
 * ```ts
 * const jobQueue = createJobQueue(azurePlatform, loadConfig(process.env));
 * ```
 */
export function createJobQueue(platform: Platform, config: Config, env: Env = process.env): JobQueue | undefined {
  const kind = jobQueueKind(config);
  if (kind === 'none') return undefined;
  const factory = platform.queues[kind];
  if (!factory) throw notHere('KELPIE_JOB_QUEUE', kind, platform, Object.keys(platform.queues));
  return factory(config, env);
}

function storeAdapter(platform: Platform, config: Config): StoreAdapter {
  const adapter = platform.stores[config.KELPIE_STORE];
  if (!adapter) throw notHere('KELPIE_STORE', config.KELPIE_STORE, platform, Object.keys(platform.stores));
  return adapter;
}

function notHere(setting: string, value: string, platform: Platform, known: string[]): InvalidRequestError {
  return new InvalidRequestError(`invalid configuration: ${setting}: ${value} is not available in ${platform.name}; use ${known.join(', ')}`);
}
