import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { NotFoundError } from '../../core/errors.js';
import type { BlobInfo, BlobStore, CallOptions, ListOptions, ListPage, PutOptions } from '../../core/ports/blob-store.js';
import { validateKey, validateListLimit, validatePrefix, validateRange } from '../../core/storage/keys.js';
import { callStore, preconditionFailed, throwIfAborted } from '../shared/store-call.js';
import { type S3Op, toStoreError } from './s3-errors.js';

/** Options for {@link S3BlobStore}. */
export interface S3BlobStoreOptions {
  /** A client made once per cold start (see `createS3Client`). */
  client: S3Client;
  bucket: string;
}

/** S3's own answer to a range that starts at or after the end of the object. */
const RANGE_NOT_SATISFIABLE = 416;

const encoder = new TextEncoder();

/**
 * A `BlobStore` over one S3 bucket (or an S3-compatible server such as moto or MinIO). Keys are
 * validated before any request; every call passes the caller's signal to the SDK, so a deadline
 * aborts the HTTP request itself. List cursors are S3 continuation tokens, passed through as is.
 *
 * @example
 * ```ts
 * const store = new S3BlobStore({ client: createS3Client(config), bucket: 'kelpie-carbon-dev-imagery' });
 * const header = await store.getRange('uploads/scene.tif', 0, 16_384, { signal });
 * ```
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
  }

  async head(key: string, options?: CallOptions): Promise<BlobInfo | undefined> {
    try {
      const out = await this.call('head', key, options, (abortSignal) => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal }));
      return describe(key, out.ContentLength ?? 0, out);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async get(key: string, options?: CallOptions): Promise<Uint8Array> {
    return this.call('get', key, options, async (abortSignal) => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal });
      return readBody(out.Body);
    });
  }

  async getRange(key: string, offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
    validateRange(offset, length);
    if (length === 0) {
      // S3 has no empty range; the object must still exist.
      if (!(await this.head(key, options))) throw new NotFoundError(`no object at key ${JSON.stringify(key)}`, { key });
      return new Uint8Array(0);
    }
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${offset}-${offset + length - 1}` });
    return this.call('getRange', key, options, async (abortSignal) => {
      try {
        return await readBody((await this.client.send(command, { abortSignal })).Body);
      } catch (error) {
        if ((error as SdkError).$metadata?.httpStatusCode === RANGE_NOT_SATISFIABLE) return new Uint8Array(0);
        throw error;
      }
    });
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<BlobInfo> {
    const bytes = typeof body === 'string' ? encoder.encode(body) : body;
    const conditions = { IfNoneMatch: options?.ifNoneMatch, IfMatch: options?.ifMatch === undefined ? undefined : `"${options.ifMatch}"` };
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: options?.contentType, ...conditions });
    const out = await this.call('put', key, options, async (abortSignal) => {
      try {
        return await this.client.send(command, { abortSignal });
      } catch (error) {
        if (options?.ifNoneMatch || options?.ifMatch !== undefined) {
          // 412: the condition did not hold; 409 ConditionalRequestConflict: a concurrent conditional
          // write of the key won; 404 on If-Match: the object is gone. Each means another writer won.
          const status = (error as SdkError).$metadata?.httpStatusCode;
          if (status === 412 || status === 409 || (status === 404 && options.ifMatch !== undefined)) throw preconditionFailed(key, options, error);
        }
        throw error;
      }
    });
    return describe(key, bytes.byteLength, { ETag: out.ETag, ContentType: options?.contentType });
  }

  async list(prefix: string, options?: ListOptions): Promise<ListPage> {
    validatePrefix(prefix);
    const limit = validateListLimit(options?.limit);
    throwIfAborted(options?.signal, 'list', prefix);
    const command = new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, ContinuationToken: options?.cursor, MaxKeys: limit });
    try {
      const out = await this.client.send(command, { abortSignal: options?.signal });
      const items = (out.Contents ?? []).map((item) => describe(item.Key ?? '', item.Size ?? 0, item));
      return { items, ...(out.IsTruncated && out.NextContinuationToken ? { cursor: out.NextContinuationToken } : {}) };
    } catch (error) {
      throw toStoreError(error, 'list', prefix, options?.signal, options?.cursor !== undefined);
    }
  }

  async copy(fromKey: string, toKey: string, options?: CallOptions): Promise<void> {
    validateKey(toKey);
    // CopySource is "bucket/key" URL-encoded per segment: spaces, '+' and non-ASCII survive.
    const source = `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
    const command = new CopyObjectCommand({ Bucket: this.bucket, Key: toKey, CopySource: source });
    await this.call('copy', fromKey, options, (abortSignal) => this.client.send(command, { abortSignal }));
  }

  async delete(key: string, options?: CallOptions): Promise<void> {
    const command = new DeleteObjectCommand({ Bucket: this.bucket, Key: key });
    await this.call('delete', key, options, (abortSignal) => this.client.send(command, { abortSignal }));
  }

  /** Validates `key`, checks the deadline, runs the request with the caller's signal and maps any failure. */
  private call<T>(op: S3Op, key: string, options: CallOptions | undefined, run: (abortSignal?: AbortSignal) => Promise<T>): Promise<T> {
    return callStore(op, key, options, run, toStoreError);
  }
}

interface SdkError {
  $metadata?: { httpStatusCode?: number };
}

/** The whole body stream as bytes (a reset or abort mid-stream rejects, and is mapped like a failed call). */
async function readBody(body: { transformToByteArray(): Promise<Uint8Array> } | undefined): Promise<Uint8Array> {
  return body ? body.transformToByteArray() : new Uint8Array(0);
}

function describe(key: string, size: number, meta: { ETag?: string; LastModified?: Date; ContentType?: string }): BlobInfo {
  return {
    key,
    size,
    ...(meta.ETag ? { etag: unquote(meta.ETag) } : {}),
    ...(meta.LastModified ? { lastModified: meta.LastModified } : {}),
    ...(meta.ContentType ? { contentType: meta.ContentType } : {}),
  };
}

/** S3 quotes its ETags (`"9b2c…"`); the port's etag is the bare value. */
function unquote(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}
