import type { Config } from '../../core/config.js';
import { createFolderJobQueue, fsStoreAdapter, memoryStoreAdapter } from '../shared/local-stores.js';
import type { Env, Platform, StoreAdapter } from '../shared/platform.js';
import { GcsBlobStore } from './gcs-blob-store.js';
import { GcsUploadSigner, createGcsBucket } from './gcs-client.js';
import { cloudLoggingLogger } from './logger.js';
import { PubSubJobQueue } from './pubsub-job-queue.js';

/**
 * A bucket handle honouring `KELPIE_GCS_ENDPOINT` (another JSON API endpoint: a test double or
 * emulator, requests unauthenticated). Without it the SDK uses Cloud Storage with Application
 * Default Credentials, or `STORAGE_EMULATOR_HOST` when that is set (the SDK reads it).
 */
function bucketFor(name: string, config: Pick<Config, 'KELPIE_GCS_ENDPOINT'>) {
  return createGcsBucket({ bucket: name, ...(config.KELPIE_GCS_ENDPOINT ? { apiEndpoint: config.KELPIE_GCS_ENDPOINT } : {}) });
}

/** `KELPIE_STORE=gcs`: one bucket (`KELPIE_BUCKET`) holds uploads and results; uploads are V4 signed URLs. Ids name it `gs://<bucket>`. */
const gcsStoreAdapter: StoreAdapter = {
  stores: (config) => {
    const name = config.KELPIE_BUCKET as string; // loadConfig requires it for gcs
    const bucket = bucketFor(name, config);
    const store = new GcsBlobStore({ bucket });
    return { imageStore: store, resultStore: store, imageStoreName: `gs://${name}`, bucket: name, uploadSigner: new GcsUploadSigner({ bucket }), extraRoutes: [] };
  },
  bucket: (name, config) => new GcsBlobStore({ bucket: bucketFor(name, config) }),
};

/** `KELPIE_JOB_QUEUE=pubsub`: the topic `KELPIE_JOB_TOPIC`, or the emulator `PUBSUB_EMULATOR_HOST` names. */
function pubSubJobQueue(config: Config, env: Env): PubSubJobQueue {
  return new PubSubJobQueue({ topic: config.KELPIE_JOB_TOPIC as string, emulatorHost: env.PUBSUB_EMULATOR_HOST?.trim() || undefined });
}

/**
 * What the Google Cloud functions are made of: Cloud Storage (and the filesystem and memory
 * stores, for `npm run start:gcp` and tests), Pub/Sub for jobs (a folder locally), and a logger
 * Cloud Logging reads. Nothing here reaches AWS's or Azure's code.
 *
 * @example
 * ```ts
 * const deps = uploadTriggerDepsFrom(gcpPlatform, loadConfig(process.env), 'upload-analyze');
 * ```
 */
export const gcpPlatform: Platform = {
  name: 'the Google Cloud functions',
  stores: { gcs: gcsStoreAdapter, fs: fsStoreAdapter, memory: memoryStoreAdapter },
  queues: { pubsub: pubSubJobQueue, local: createFolderJobQueue },
  logger: cloudLoggingLogger,
};
