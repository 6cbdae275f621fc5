import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../core/api/http-errors.js';
import type { Route } from '../../core/api/router.js';
import { PreconditionFailedError } from '../../core/errors.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import { LOCAL_UPLOAD_CONTENT_TYPE, LOCAL_UPLOAD_PATH, type LocalUploadSigner } from './local-upload-signer.js';

/** Largest local upload by default: 2 GiB (serverless-offline itself stops at 10 MB). */
const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** Options for {@link localUploadRoute}. */
export interface LocalUploadRouteOptions {
  signer: LocalUploadSigner;
  /** The imagery store the upload is written to. */
  store: BlobStore;
  maxBytes?: number;
}

/**
 * `PUT /local-uploads/{key+}`: the receiving end of {@link LocalUploadSigner}'s URLs, so the local
 * server accepts uploads the way S3 accepts presigned PUTs. No API key (the signature is the
 * permission); 403 for a bad, expired or non-`uploads/` URL, 415 unless
 * `application/octet-stream`, 413 over `maxBytes`, 409 when the URL was used already; 200 with the key, size and etag once written.
 *
 * @example
 * ```ts
 * createApi({ ...deps, extraRoutes: [localUploadRoute({ signer, store: imageStore })] });
 * ```
 */
export function localUploadRoute(options: LocalUploadRouteOptions): Route {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  return {
    method: 'PUT',
    pattern: `${LOCAL_UPLOAD_PATH}{key+}`,
    auth: false,
    async handle({ request, params }) {
      options.signer.verify(params.key, request.query.expires, request.query.signature);
      const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (contentType !== LOCAL_UPLOAD_CONTENT_TYPE) {
        throw new UnsupportedMediaTypeError(`send the file as ${LOCAL_UPLOAD_CONTENT_TYPE}, as the upload's headers say (got ${contentType || 'no content type'})`);
      }
      const body = request.body ?? new Uint8Array(0);
      if (body.byteLength > maxBytes) throw new PayloadTooLargeError(`the upload is ${body.byteLength} bytes; the limit is ${maxBytes}`);
      // Created once, as the cloud URLs are: a second use of the URL finds the key taken (409).
      const info = await options.store.put(params.key, body, { contentType: 'image/tiff', ifNoneMatch: '*', signal: request.signal }).catch((error: unknown) => {
        if (error instanceof PreconditionFailedError) throw new PreconditionFailedError('this upload URL has been used already; ask POST /api/uploads for a new one', { key: params.key });
        throw error;
      });
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', ...(info.etag ? { etag: `"${info.etag}"` } : {}) },
        body: JSON.stringify({ key: info.key, size: info.size }),
      };
    },
  };
}
