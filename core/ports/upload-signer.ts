import type { CallOptions } from './blob-store.js';

/** A URL a client can upload one object to directly, without the API in the path. */
export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the upload (e.g. Content-Type). */
  headers: Record<string, string>;
  /** When the URL stops working, ISO 8601. */
  expiresAt: string;
}

/**
 * Signs upload URLs for the imagery store (S3 presigned PUT, GCS signed URL, Azure SAS, or the
 * local server's own signed route).
 */
export interface UploadSigner {
  presignPut(key: string, options: CallOptions & { contentType: string; expiresInS: number }): Promise<PresignedUpload>;
}
