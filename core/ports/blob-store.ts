/** What a store knows about one object. */
export interface BlobInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  /** Entity tag or version, when the store has one. */
  etag?: string;
  lastModified?: Date;
  contentType?: string;
}

/** Every async port method takes a signal so deadlines reach the I/O. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface PutOptions extends CallOptions {
  contentType?: string;
  /**
   * `'*'`: create-if-absent. The put fails with `PreconditionFailedError` when the key exists,
   * so of many writers racing for one key exactly one succeeds (a claim).
   */
  ifNoneMatch?: '*';
  /**
   * Replace-if-unchanged: the etag the caller last read (from `head` or a `put`). The put fails
   * with `PreconditionFailedError` when the object has changed since, or no longer exists.
   */
  ifMatch?: string;
}

export interface ListOptions extends CallOptions {
  /** Opaque continuation token from a previous page. */
  cursor?: string;
  /** Most items in one page. */
  limit?: number;
}

export interface ListPage {
  items: BlobInfo[];
  /** Present when there are more items. */
  cursor?: string;
}

/**
 * How the core reaches object storage (S3, Cloud Storage, Azure Blob, a folder, memory).
 * Keys are `/`-separated and never start with `/`. A `put` is all-or-nothing: a reader sees
 * the old object or the whole new one, never part of it. A conditional `put` (`ifNoneMatch`,
 * `ifMatch`) is decided by the store atomically against every other conditional write of the key:
 * claims, leases and written-once records rest on it.
 *
 * @example
 * ```ts
 * const head = await store.getRange('uploads/scene.tif', 0, 16_384, { signal });
 * ```
 */
export interface BlobStore {
  head(key: string, options?: CallOptions): Promise<BlobInfo | undefined>;
  /** Whole object; throws `NotFoundError` when it does not exist. */
  get(key: string, options?: CallOptions): Promise<Uint8Array>;
  /** Bytes `[offset, offset + length)`; shorter at the end of the object. */
  getRange(key: string, offset: number, length: number, options?: CallOptions): Promise<Uint8Array>;
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<BlobInfo>;
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  copy(fromKey: string, toKey: string, options?: CallOptions): Promise<void>;
  delete(key: string, options?: CallOptions): Promise<void>;
}
