import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Config } from '../../core/config.js';

/**
 * Timeouts for every S3 request: a dead endpoint fails fast (and `/ready` says so) instead of
 * hanging until the Lambda is killed. `socketTimeout` is inactivity on the socket, so a long
 * GetObject that keeps streaming is not cut off (the SDK's `requestTimeout` only logs a warning).
 */
const DEFAULT_CLIENT_CONFIG: S3ClientConfig = {
  requestHandler: { connectionTimeout: 3_000, socketTimeout: 20_000 },
  maxAttempts: 3,
  // Since SDK 3.729 a presigned PutObject URL carries the CRC32 of an *empty* body unless checksums
  // are only computed when an operation requires them; real S3 then rejects every upload.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
};

/**
 * The S3 client, made once per cold start. Region and credentials come from the usual AWS
 * environment; the SDK reads `AWS_ENDPOINT_URL_S3` itself (moto, MinIO, LocalStack), and
 * `KELPIE_S3_FORCE_PATH_STYLE=true` selects `http://host/bucket/key` addressing, which local
 * S3 servers need. `overrides` is for tests (short timeouts, explicit endpoint and credentials).
 *
 * @example
 * ```ts
 * const client = createS3Client(loadConfig(process.env));
 * ```
 */
export function createS3Client(config: Pick<Config, 'KELPIE_S3_FORCE_PATH_STYLE'>, overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...DEFAULT_CLIENT_CONFIG, forcePathStyle: config.KELPIE_S3_FORCE_PATH_STYLE, ...overrides });
}
