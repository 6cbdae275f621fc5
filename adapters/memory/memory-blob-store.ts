import { createHash } from 'node:crypto';
import { DeadlineExceededError, NotFoundError } from '../../core/errors';
import type {
  BlobInfo,
  BlobStore,
  CallOptions,
  ListOptions,
  ListPage,
  PutOptions,
} from '../../core/ports/blob-store';
import {
  compareKeys,
  decodeKeyCursor,
  encodeKeyCursor,
  validateKey,
  validateListLimit,
  validatePrefix,
  validateRange,
} from '../../core/storage/keys';
import { preconditionFailed } from '../shared/store-call.js';

/** The operations a test can make fail. */
export type MemoryBlobStoreOp = 'head' | 'get' | 'getRange' | 'put' | 'list' | 'copy' | 'delete';

/** Options for {@link MemoryBlobStore}. */
export interface MemoryBlobStoreOptions {
  /** Milliseconds since the epoch, used for `lastModified`; defaults to `Date.now`. */
  now?: () => number;
  faults?: {
    /**
     * Called before each operation (after the key is validated) with the key, the prefix for
     * `list`, or the source key for `copy`; an error returned here is thrown instead.
     */
    failOn?: (op: MemoryBlobStoreOp, key: string) => Error | undefined;
  };
}

interface StoredBlob {
  bytes: Uint8Array;
  etag: string;
  lastModified: Date;
  contentType?: string;
}

const encoder = new TextEncoder();

/**
 * A `BlobStore` held in a `Map`, for tests and the `memory` store setting. Bytes are copied on
 * the way in and out, so callers can never change what is stored. The etag is the MD5 of the
 * content, as S3 gives for single-part uploads.
 *
 * @example
 * ```ts
 * const store = new MemoryBlobStore({
 *   now: () => Date.parse('2024-08-01T00:00:00Z'),
 *   faults: { failOn: (op) => (op === 'put' ? new DependencyUnavailableError('down') : undefined) },
 * });
 * ```
 */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();
  private readonly now: () => number;
  private readonly failOn: NonNullable<MemoryBlobStoreOptions['faults']>['failOn'];

  constructor(options: MemoryBlobStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.failOn = options.faults?.failOn;
  }

  async head(key: string, options?: CallOptions): Promise<BlobInfo | undefined> {
    this.begin('head', validateKey(key), options);
    const blob = this.blobs.get(key);
    return blob && describe(key, blob);
  }

  async get(key: string, options?: CallOptions): Promise<Uint8Array> {
    this.begin('get', validateKey(key), options);
    return this.require(key).bytes.slice();
  }

  async getRange(key: string, offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
    this.begin('getRange', validateKey(key), options);
    validateRange(offset, length);
    return this.require(key).bytes.slice(offset, offset + length);
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<BlobInfo> {
    this.begin('put', validateKey(key), options);
    checkPrecondition(key, this.blobs.get(key), options);
    const bytes = typeof body === 'string' ? encoder.encode(body) : body.slice();
    const blob: StoredBlob = {
      bytes,
      etag: createHash('md5').update(bytes).digest('hex'),
      lastModified: new Date(this.now()),
    };
    if (options?.contentType !== undefined) blob.contentType = options.contentType;
    this.blobs.set(key, blob);
    return describe(key, blob);
  }

  async list(prefix: string, options?: ListOptions): Promise<ListPage> {
    this.begin('list', validatePrefix(prefix), options);
    const limit = validateListLimit(options?.limit);
    const after = options?.cursor === undefined ? undefined : decodeKeyCursor(options.cursor);
    const keys = [...this.blobs.keys()]
      .filter((key) => key.startsWith(prefix) && (after === undefined || compareKeys(key, after) > 0))
      .sort(compareKeys);
    const page = keys.slice(0, limit);
    const items = page.map((key) => describe(key, this.blobs.get(key) as StoredBlob));
    return keys.length > limit ? { items, cursor: encodeKeyCursor(page[page.length - 1]) } : { items };
  }

  async copy(fromKey: string, toKey: string, options?: CallOptions): Promise<void> {
    validateKey(toKey);
    this.begin('copy', validateKey(fromKey), options);
    const source = this.require(fromKey);
    // Stored bytes are never mutated, so the copy can share them.
    this.blobs.set(toKey, { ...source, lastModified: new Date(this.now()) });
  }

  async delete(key: string, options?: CallOptions): Promise<void> {
    this.begin('delete', validateKey(key), options);
    this.blobs.delete(key);
  }

  /** Abort check, then the injected fault, in the order a real store would fail. */
  private begin(op: MemoryBlobStoreOp, key: string, options: CallOptions | undefined): void {
    if (options?.signal?.aborted) {
      throw new DeadlineExceededError(`${op} of ${JSON.stringify(key)} was aborted before it started`, { op, key });
    }
    const fault = this.failOn?.(op, key);
    if (fault) throw fault;
  }

  private require(key: string): StoredBlob {
    const blob = this.blobs.get(key);
    if (!blob) throw new NotFoundError(`no object at key ${JSON.stringify(key)}`, { key });
    return blob;
  }
}

/** Create-if-absent and replace-if-unchanged, decided at once: this store is one synchronous map. */
function checkPrecondition(key: string, current: StoredBlob | undefined, options: PutOptions | undefined): void {
  const refused = options?.ifNoneMatch === '*' ? current !== undefined : options?.ifMatch !== undefined && current?.etag !== options.ifMatch;
  if (refused) throw preconditionFailed(key, options);
}

function describe(key: string, blob: StoredBlob): BlobInfo {
  const info: BlobInfo = { key, size: blob.bytes.length, etag: blob.etag, lastModified: new Date(blob.lastModified) };
  if (blob.contentType !== undefined) info.contentType = blob.contentType;
  return info;
}
