import type { Bucket, FileMetadata } from '@google-cloud/storage';
import type { Readable } from 'node:stream';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError, KelpieError, NotFoundError } from '../../core/errors.js';
import type { BlobInfo, BlobStore, CallOptions, ListOptions, ListPage, PutOptions } from '../../core/ports/blob-store.js';
import { validateKey, validateListLimit, validatePrefix, validateRange } from '../../core/storage/keys.js';
import { callStore, preconditionFailed, throwIfAborted } from '../shared/store-call.js';
import { concatBytes } from '../../core/bytes.js';

/** Options for {@link GcsBlobStore}. */
export interface GcsBlobStoreOptions {
  /** A bucket handle made once per cold start (see `createGcsBucket`). */
  bucket: Bucket;
}

type Op = 'head' | 'get' | 'getRange' | 'put' | 'list' | 'copy' | 'delete';

const encoder = new TextEncoder();

/**
 * A `BlobStore` over one Cloud Storage bucket. Keys are validated before any request and are the
 * object names as they are. List cursors are Cloud Storage page tokens, passed through.
 *
 * Deadlines: the SDK takes no `AbortSignal` for JSON API calls, so when the signal fires the store
 * stops waiting and throws `DeadlineExceededError` (the request may still finish). Reads are
 * streams, and those are destroyed, which ends the download itself.
 *
 * `etag` is the object's etag (the one storage events carry); `generation` changes with the bytes.
 *
 * @example
 * ```ts
 * const store = new GcsBlobStore({ bucket: createGcsBucket({ bucket: 'kelpie-carbon-dev-imagery' }) });
 * const header = await store.getRange('uploads/scene.tif', 0, 16_384, { signal });
 * ```
 */
export class GcsBlobStore implements BlobStore {
  private readonly bucket: Bucket;

  constructor(options: GcsBlobStoreOptions) {
    this.bucket = options.bucket;
  }

  async head(key: string, options?: CallOptions): Promise<BlobInfo | undefined> {
    try {
      const [metadata] = await this.call('head', key, options, () => this.bucket.file(key).getMetadata());
      return describe(key, metadata);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async get(key: string, options?: CallOptions): Promise<Uint8Array> {
    // Whole objects are checked against the CRC32C the service sends (`x-goog-hash`).
    return this.call('get', key, options, (signal) => readAll(this.bucket.file(key).createReadStream(), signal));
  }

  async getRange(key: string, offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
    validateRange(offset, length);
    if (length === 0) {
      // There is no empty HTTP range; the object must still exist.
      if (!(await this.head(key, options))) throw new NotFoundError(`no object at key ${JSON.stringify(key)}`, { key });
      return new Uint8Array(0);
    }
    return this.call('getRange', key, options, async (signal) => {
      try {
        // `end` is inclusive.
        return await readAll(this.bucket.file(key).createReadStream({ start: offset, end: offset + length - 1 }), signal);
      } catch (error) {
        // 416: the range starts at or after the end of the object.
        if ((error as GcsFailure).code === 416) return new Uint8Array(0);
        throw error;
      }
    });
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<BlobInfo> {
    const bytes = typeof body === 'string' ? encoder.encode(body) : body;
    const file = this.bucket.file(validateKey(key));
    // One multipart request (not a resumable session): all-or-nothing, and checked by CRC32C.
    const generation = await this.expectedGeneration(key, options);
    const save = {
      resumable: false,
      ...(options?.contentType ? { contentType: options.contentType } : {}),
      ...(generation === undefined ? {} : { preconditionOpts: { ifGenerationMatch: generation } }),
    };
    await this.call('put', key, options, async () => {
      try {
        return await file.save(Buffer.from(bytes), save);
      } catch (error) {
        // 412 conditionNotMet: another writer created or replaced the object first.
        if (generation !== undefined && (error as GcsFailure).code === 412) throw preconditionFailed(key, options, error);
        throw error;
      }
    });
    return describe(key, { ...file.metadata, size: bytes.byteLength });
  }

  /**
   * The generation a conditional put must find (Cloud Storage's preconditions are on generations,
   * not etags): 0 for create-if-absent; for replace-if-unchanged, the generation of the version
   * whose etag the caller read (the service then refuses the write if that version was replaced
   * since, so the check and the write are one atomic decision). Undefined for a plain put.
   */
  private async expectedGeneration(key: string, options: PutOptions | undefined): Promise<number | string | undefined> {
    if (options?.ifNoneMatch === '*') return 0;
    if (options?.ifMatch === undefined) return undefined;
    const [metadata] = await this.call('put', key, options, () => this.bucket.file(key).getMetadata()).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw preconditionFailed(key, options, error);
      throw error;
    });
    if (metadata.etag !== options.ifMatch || metadata.generation === undefined) throw preconditionFailed(key, options);
    return metadata.generation;
  }

  async list(prefix: string, options?: ListOptions): Promise<ListPage> {
    validatePrefix(prefix);
    const limit = validateListLimit(options?.limit);
    const signal = options?.signal;
    throwIfAborted(signal, 'list', prefix);
    const query = { prefix: prefix || undefined, maxResults: limit, pageToken: options?.cursor, autoPaginate: false };
    try {
      const [files, next] = await untilAborted(this.bucket.getFiles(query), signal);
      const cursor = (next as { pageToken?: string } | null | undefined)?.pageToken;
      return { items: files.map((file) => describe(file.name, file.metadata)), ...(cursor ? { cursor } : {}) };
    } catch (error) {
      throw toStoreError(error, 'list', prefix, signal, options?.cursor !== undefined);
    }
  }

  async copy(fromKey: string, toKey: string, options?: CallOptions): Promise<void> {
    const target = this.bucket.file(validateKey(toKey));
    await this.call('copy', fromKey, options, () => this.bucket.file(fromKey).copy(target));
  }

  async delete(key: string, options?: CallOptions): Promise<void> {
    try {
      // Not the SDK's `ignoreNotFound`: it would also hide a missing bucket.
      await this.call('delete', key, options, () => this.bucket.file(key).delete());
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /** Validates `key`, checks the deadline, runs the request until done or aborted, and maps any failure. */
  private call<T>(op: Op, key: string, options: CallOptions | undefined, run: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    return callStore(op, key, options, (signal) => untilAborted(run(signal), signal), toStoreError);
  }
}

/** What the SDK tells us about a failed call: an `ApiError` (HTTP), or a network error from node-fetch. */
interface GcsFailure {
  name?: string;
  /** The HTTP status for an `ApiError`; a network code (`ECONNREFUSED`) otherwise. */
  code?: number | string;
  /** node-fetch's kind of failure: `system` (a socket error) or `request-timeout`. */
  type?: string;
  message?: string;
  errors?: Array<{ reason?: string }>;
}

/**
 * Maps a Cloud Storage failure into the core's errors. 404 is a missing object, except a missing
 * bucket, which is the operator's problem (unavailable: `/ready` shows it). Messages name the
 * operation, the key and the reason or network code, never the bucket, endpoint or SDK message.
 * An unexpected 4xx is returned as is: it is a bug, and the API answers 500.
 */
function toStoreError(error: unknown, op: Op, key: string, signal?: AbortSignal, hasCursor = false): unknown {
  if (error instanceof KelpieError) return error;
  const failure = (error ?? {}) as GcsFailure;
  if (signal?.aborted) return new DeadlineExceededError(`${op} of ${JSON.stringify(key)} was aborted`, { op, key }, { cause: error });
  const status = typeof failure.code === 'number' ? failure.code : undefined;
  if (op === 'list' && hasCursor && status === 400) {
    return new InvalidRequestError('list cursor is not one this store returned; list again without a cursor');
  }
  const missingBucket = status === 404 && /bucket does not exist/i.test(failure.message ?? '');
  if (status === 404 && !missingBucket) return new NotFoundError(`no object at key ${JSON.stringify(key)}`, { key });
  if (status === undefined || missingBucket || status >= 500 || [401, 403, 408, 429].includes(status)) {
    const reason = missingBucket ? 'NoSuchBucket' : typeof failure.code === 'string' ? failure.code : failure.type === 'request-timeout' ? 'timeout' : (failure.errors?.[0]?.reason ?? (status ? `HTTP ${status}` : 'no answer'));
    return new DependencyUnavailableError(`Cloud Storage store could not ${op} ${JSON.stringify(key)} (${reason})`, { op, key, reason }, { cause: error });
  }
  return error;
}


/** `work`, or a rejection as soon as `signal` fires (then `work` is left to finish on its own). */
async function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  work.catch(() => undefined); // a late failure after the abort is not an unhandled rejection
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The whole stream as a new array of its own; destroying the stream when `signal` fires ends the download. */
async function readAll(stream: Readable, signal?: AbortSignal): Promise<Uint8Array> {
  const onAbort = () => stream.destroy(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return concatBytes(chunks);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function describe(key: string, metadata: FileMetadata): BlobInfo {
  const lastModified = metadata.updated ? new Date(metadata.updated) : undefined;
  const etag = metadata.etag ?? (metadata.generation !== undefined ? String(metadata.generation) : undefined);
  return {
    key,
    size: Number(metadata.size ?? 0),
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
    ...(metadata.contentType ? { contentType: metadata.contentType } : {}),
  };
}
