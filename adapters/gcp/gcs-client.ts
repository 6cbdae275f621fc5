import { type Bucket, Storage, type StorageOptions } from '@google-cloud/storage';
import { DeadlineExceededError, DependencyUnavailableError, KelpieError } from '../../core/errors.js';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { PresignedUpload, UploadSigner } from '../../core/ports/upload-signer.js';
import { validateKey } from '../../core/storage/keys.js';

/** Options for {@link createGcsBucket}. */
export interface GcsBucketOptions {
  /** The bucket that holds the objects; it must exist. */
  bucket: string;
  /**
   * Another JSON API endpoint (a test double or emulator), e.g. `http://127.0.0.1:4443`. Requests
   * to it are not authenticated. The SDK also reads `STORAGE_EMULATOR_HOST` itself.
   */
  apiEndpoint?: string;
  /** Only needed by calls that name a project (none of the store's); credentials usually say it. */
  projectId?: string;
  /** Longest wait per request, in ms; a hung endpoint fails after this. */
  timeoutMs?: number;
  /** For tests: any other `Storage` option, merged last. */
  overrides?: StorageOptions;
}

/**
 * Few, short retries: a dead endpoint fails in seconds (and `/ready` says so) instead of after the
 * SDK's default of 3 retries within 600 s. Delays are in seconds, as the SDK takes them.
 */
const RETRY_OPTIONS = { maxRetries: 1, maxRetryDelay: 1, totalTimeout: 5 } satisfies StorageOptions['retryOptions'];
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The bucket handle, made once per cold start. Credentials come from Application Default
 * Credentials (the function's service account on Google Cloud).
 *
 * @example
 * ```ts
 * const bucket = createGcsBucket({ bucket: 'kelpie-carbon-dev-imagery' });
 * const store = new GcsBlobStore({ bucket });
 * ```
 */
export function createGcsBucket(options: GcsBucketOptions): Bucket {
  const storage = new Storage({
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.projectId ? { projectId: options.projectId } : {}),
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryOptions: RETRY_OPTIONS,
    ...options.overrides,
  });
  return storage.bucket(options.bucket);
}

/** Options for {@link GcsUploadSigner}. */
export interface GcsUploadSignerOptions {
  bucket: Bucket;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
}

/**
 * V4 signed URLs for `PUT`: the client uploads straight to the bucket. The content type is signed,
 * so the upload must send the same `Content-Type` header. Signing needs a service account: a key
 * file, or on Google Cloud the function's account with `iam.serviceAccounts.signBlob` on itself
 * (the SDK then signs through the IAM API, a network call that can fail: DependencyUnavailableError).
 *
 * @example
 * ```ts
 * const signer = new GcsUploadSigner({ bucket });
 * const { url, headers } = await signer.presignPut('uploads/a1-scene.tif', { contentType: 'image/tiff', expiresInS: 900 });
 * ```
 */
export class GcsUploadSigner implements UploadSigner {
  private readonly bucket: Bucket;
  private readonly now: () => number;

  constructor(options: GcsUploadSignerOptions) {
    this.bucket = options.bucket;
    this.now = options.now ?? Date.now;
  }

  async presignPut(key: string, options: CallOptions & { contentType: string; expiresInS: number }): Promise<PresignedUpload> {
    const file = this.bucket.file(validateKey(key));
    if (options.signal?.aborted) throw new DeadlineExceededError(`signing an upload of ${JSON.stringify(key)} was aborted`, { key });
    const expires = this.now() + options.expiresInS * 1000;
    try {
      // Generation 0 is signed: the upload succeeds only while no object has the name, so the URL
      // creates it once and can never overwrite it (a second PUT gets 412).
      const extensionHeaders = { 'x-goog-if-generation-match': '0' };
      const [url] = await file.getSignedUrl({ version: 'v4', action: 'write', contentType: options.contentType, expires, extensionHeaders });
      return { url, method: 'PUT', headers: { 'content-type': options.contentType, ...extensionHeaders }, expiresAt: new Date(expires).toISOString() };
    } catch (error) {
      if (error instanceof KelpieError) throw error;
      const reason = (error as { name?: string }).name ?? 'Error';
      throw new DependencyUnavailableError(`Cloud Storage could not sign an upload URL for ${JSON.stringify(key)} (${reason})`, { key, reason }, { cause: error });
    }
  }
}
