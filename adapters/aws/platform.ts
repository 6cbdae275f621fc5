import { SqsJobQueue } from './sqs-job-queue.js';
import { createFolderJobQueue, fsStoreAdapter, memoryStoreAdapter } from '../shared/local-stores.js';
import type { Platform, StoreAdapter } from '../shared/platform.js';
import { powertoolsLogger } from './logger.js';
import { S3BlobStore } from './s3-blob-store.js';
import { createS3Client } from './s3-client.js';
import { S3UploadSigner } from './s3-upload-signer.js';

/** `KELPIE_STORE=s3`: one bucket (`KELPIE_BUCKET`) holds uploads and results; uploads are presigned S3 PUTs. */
const s3StoreAdapter: StoreAdapter = {
  stores: (config) => {
    const client = createS3Client(config);
    const bucket = config.KELPIE_BUCKET as string; // loadConfig requires it for s3
    const store = new S3BlobStore({ client, bucket });
    return { imageStore: store, resultStore: store, imageStoreName: `s3://${bucket}`, bucket, uploadSigner: new S3UploadSigner({ client, bucket }), extraRoutes: [] };
  },
  bucket: (name, config) => new S3BlobStore({ client: createS3Client(config), bucket: name }),
};

/**
 * What the AWS functions are made of: S3 (and the filesystem and memory stores, for
 * `serverless offline` and tests), SQS for jobs (a folder locally), Powertools Logger. Nothing
 * here reaches Google's or Azure's code, so the Lambda bundles carry only the AWS SDK, which the
 * runtime provides.
 *
 * @example
 * ```ts
 * const { api, logger } = composeApi(awsPlatform, 'http-api');
 * ```
 */
export const awsPlatform: Platform = {
  name: 'the AWS functions',
  stores: { s3: s3StoreAdapter, fs: fsStoreAdapter, memory: memoryStoreAdapter },
  queues: {
    sqs: (config) => new SqsJobQueue({ queueUrl: config.KELPIE_JOB_QUEUE_URL as string }),
    local: createFolderJobQueue,
  },
  logger: powertoolsLogger,
};
