import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { PresignedUpload, UploadSigner } from '../../core/ports/upload-signer.js';
import { UPLOAD_PREFIX, validateKey } from '../../core/storage/keys.js';
import { UploadForbiddenError } from './errors.js';

/** Where local uploads are received; the route is `PUT /local-uploads/{key+}`. */
export const LOCAL_UPLOAD_PATH = '/local-uploads/';

/**
 * The one content type local uploads use: serverless-offline passes only `application/octet-stream`
 * (and multipart) bodies through as bytes; any other type reaches the function re-decoded as UTF-8.
 */
export const LOCAL_UPLOAD_CONTENT_TYPE = 'application/octet-stream';

/** Options for {@link LocalUploadSigner}. */
export interface LocalUploadSignerOptions {
  /** HMAC key (`KELPIE_LOCAL_UPLOAD_SECRET`); random per process when omitted, so URLs die with it. */
  secret?: string;
  /** The base URL clients reach the local server at, e.g. `http://localhost:3000`, read per call. */
  baseUrl: () => string;
  now?: () => number;
}

/**
 * Signs upload URLs for the local server (`KELPIE_STORE=fs`), the way S3 presigns them:
 * `<base>/local-uploads/<key>?expires=<unix s>&signature=<hex HMAC-SHA256 of key and expiry>`.
 * The matching route (`localUploadRoute`) checks both before writing the body to the store.
 *
 * @example
 * ```ts
 * const signer = new LocalUploadSigner({ secret, baseUrl: () => 'http://localhost:3000' });
 * const { url } = await signer.presignPut('uploads/a1-scene.tif', { contentType: 'image/tiff', expiresInS: 900 });
 * ```
 */
export class LocalUploadSigner implements UploadSigner {
  private readonly secret: Buffer;
  private readonly now: () => number;

  constructor(private readonly options: LocalUploadSignerOptions) {
    this.secret = options.secret ? Buffer.from(options.secret, 'utf8') : randomBytes(32);
    this.now = options.now ?? Date.now;
  }

  async presignPut(key: string, options: CallOptions & { contentType: string; expiresInS: number }): Promise<PresignedUpload> {
    checkUploadKey(key);
    const expires = Math.floor(this.now() / 1000) + options.expiresInS;
    const path = key.split('/').map(encodeURIComponent).join('/');
    const query = new URLSearchParams({ expires: String(expires), signature: this.sign(key, expires) });
    return {
      url: `${this.options.baseUrl().replace(/\/+$/, '')}${LOCAL_UPLOAD_PATH}${path}?${query}`,
      method: 'PUT',
      headers: { 'content-type': LOCAL_UPLOAD_CONTENT_TYPE },
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** Throws `UploadForbiddenError` unless `signature` is ours for `key` and `expires` has not passed. */
  verify(key: string, expires: string | undefined, signature: string | undefined): void {
    checkUploadKey(key);
    if (!expires || !/^\d{1,12}$/.test(expires) || !signature) {
      throw new UploadForbiddenError('this upload URL is incomplete; ask POST /api/uploads for a new one');
    }
    const expected = Buffer.from(this.sign(key, Number(expires)), 'hex');
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UploadForbiddenError('the upload URL signature does not match; ask POST /api/uploads for a new one');
    }
    if (Number(expires) * 1000 < this.now()) throw new UploadForbiddenError('this upload URL has expired; ask POST /api/uploads for a new one');
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`PUT\n${key}\n${expires}`).digest('hex');
  }
}

function checkUploadKey(key: string): void {
  validateKey(key);
  if (!key.startsWith(UPLOAD_PREFIX)) throw new UploadForbiddenError(`uploads go under ${UPLOAD_PREFIX} only`);
}
