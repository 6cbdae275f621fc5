import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { PresignedUpload, UploadSigner } from '../../core/ports/upload-signer.js';
import { validateKey } from '../../core/storage/keys.js';

/**
 * Presigned S3 PUT URLs: the client uploads straight to the bucket, never through the API. The
 * upload creates its object once (`If-None-Match: *` is signed: a second PUT gets 412). The
 * content type is signed, so the upload must send the same `Content-Type` header. Make the client
 * with `createS3Client` (it turns off the default CRC32 that would break every presigned upload).
 *
 * @example
 * ```ts
 * const signer = new S3UploadSigner({ client, bucket: 'kelpie-carbon-dev-imagery' });
 * const { url, headers } = await signer.presignPut('uploads/a1-scene.tif', { contentType: 'image/tiff', expiresInS: 900 });
 * ```
 */
export class S3UploadSigner implements UploadSigner {
  constructor(private readonly options: { client: S3Client; bucket: string; now?: () => number }) {}

  async presignPut(key: string, options: CallOptions & { contentType: string; expiresInS: number }): Promise<PresignedUpload> {
    // If-None-Match: * is signed too: the URL creates the object once and can never overwrite it.
    const command = new PutObjectCommand({ Bucket: this.options.bucket, Key: validateKey(key), ContentType: options.contentType, IfNoneMatch: '*' });
    const signedAt = (this.options.now ?? Date.now)();
    // Loaded on the first upload, not at every cold start: most requests sign nothing.
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    // Sign content-type too (the presigner signs only `host` by default), so S3 refuses an upload
    // sent with another type and the stored object always carries the one asked for.
    const url = await getSignedUrl(this.options.client, command, {
      expiresIn: options.expiresInS,
      signingDate: new Date(signedAt),
      signableHeaders: new Set(['content-type', 'if-none-match']),
    });
    return {
      url,
      method: 'PUT',
      headers: { 'content-type': options.contentType, 'if-none-match': '*' },
      expiresAt: new Date(signedAt + options.expiresInS * 1000).toISOString(),
    };
  }
}
