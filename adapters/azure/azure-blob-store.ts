import type { BlobItem, ContainerClient } from '@azure/storage-blob';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError, KelpieError, NotFoundError } from '../../core/errors.js';
import type { BlobInfo, BlobStore, CallOptions, ListOptions, ListPage, PutOptions } from '../../core/ports/blob-store.js';
import { validateKey, validateListLimit, validatePrefix, validateRange } from '../../core/storage/keys.js';
import { callStore, preconditionFailed, throwIfAborted } from '../shared/store-call.js';
import { concatBytes } from '../../core/bytes.js';

/** Options for {@link AzureBlobStore}. */
export interface AzureBlobStoreOptions {
  /** A client made once per cold start (see `createAzureContainerClient`). */
  client: ContainerClient;
}

type Op = 'head' | 'get' | 'getRange' | 'put' | 'list' | 'copy' | 'delete';

/** Puts up to this size go in one request; larger ones as blocks committed at the end (still all-or-nothing). */
const SINGLE_SHOT_BYTES = 8 * 1024 * 1024;
/** How often a pending copy is polled. */
const COPY_POLL_MS = 500;
const encoder = new TextEncoder();

/**
 * A `BlobStore` over one Azure Blob container (or Azurite). Keys are validated before any request
 * and are the blob names as they are; every call passes the caller's signal to the SDK, so a
 * deadline aborts the HTTP request. List cursors are Azure continuation markers, passed through.
 *
 * @example
 * ```ts
 * const store = new AzureBlobStore({ client: createAzureContainerClient({ connectionString, container: 'imagery' }) });
 * const header = await store.getRange('uploads/scene.tif', 0, 16_384, { signal });
 * ```
 */
export class AzureBlobStore implements BlobStore {
  private readonly client: ContainerClient;

  constructor(options: AzureBlobStoreOptions) {
    this.client = options.client;
  }

  async head(key: string, options?: CallOptions): Promise<BlobInfo | undefined> {
    try {
      const props = await this.call('head', key, options, (abortSignal) => this.blob(key).getProperties({ abortSignal }));
      return describe(key, props.contentLength ?? 0, props);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async get(key: string, options?: CallOptions): Promise<Uint8Array> {
    return this.call('get', key, options, async (abortSignal) => {
      const response = await this.blob(key).download(0, undefined, { abortSignal, maxRetryRequests: 1 });
      return readAll(response.readableStreamBody);
    });
  }

  async getRange(key: string, offset: number, length: number, options?: CallOptions): Promise<Uint8Array> {
    validateRange(offset, length);
    if (length === 0) {
      // A count of 0 means "to the end" to the SDK; the object must still exist.
      if (!(await this.head(key, options))) throw new NotFoundError(`no object at key ${JSON.stringify(key)}`, { key });
      return new Uint8Array(0);
    }
    return this.call('getRange', key, options, async (abortSignal) => {
      try {
        const response = await this.blob(key).download(offset, length, { abortSignal, maxRetryRequests: 1 });
        return await readAll(response.readableStreamBody);
      } catch (error) {
        // Azure answers 416 to a range that starts at or after the end (Azurite: 206 with no bytes).
        if ((error as RestFailure).statusCode === 416) return new Uint8Array(0);
        throw error;
      }
    });
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<BlobInfo> {
    const bytes = typeof body === 'string' ? encoder.encode(body) : body;
    const contentType = options?.contentType;
    const conditions = options?.ifNoneMatch === '*' ? { ifNoneMatch: '*' } : options?.ifMatch !== undefined ? { ifMatch: `"${options.ifMatch}"` } : undefined;
    const out = await this.call('put', key, options, async (abortSignal) => {
      try {
        return await this.blob(key).uploadData(bytes, {
          abortSignal,
          blobHTTPHeaders: contentType ? { blobContentType: contentType } : undefined,
          maxSingleShotSize: SINGLE_SHOT_BYTES,
          blockSize: SINGLE_SHOT_BYTES,
          ...(conditions ? { conditions } : {}),
        });
      } catch (error) {
        // 409 BlobAlreadyExists (If-None-Match: *), 412 ConditionNotMet (If-Match), 404 (If-Match on a deleted blob).
        const status = (error as RestFailure).statusCode;
        if (conditions && (status === 409 || status === 412 || (status === 404 && options?.ifMatch !== undefined))) throw preconditionFailed(key, options, error);
        throw error;
      }
    });
    return describe(key, bytes.byteLength, { etag: out.etag, lastModified: out.lastModified, contentType });
  }

  async list(prefix: string, options?: ListOptions): Promise<ListPage> {
    validatePrefix(prefix);
    const limit = validateListLimit(options?.limit);
    const signal = options?.signal;
    throwIfAborted(signal, 'list', prefix);
    try {
      const pages = this.client.listBlobsFlat({ prefix: prefix || undefined, abortSignal: signal }).byPage({ continuationToken: options?.cursor, maxPageSize: limit });
      const { value: page } = await pages.next();
      const items = ((page?.segment.blobItems ?? []) as BlobItem[]).map((item) => describe(item.name, item.properties.contentLength ?? 0, item.properties));
      return { items, ...(page?.continuationToken ? { cursor: page.continuationToken } : {}) };
    } catch (error) {
      throw toStoreError(error, 'list', prefix, signal, options?.cursor !== undefined);
    }
  }

  async copy(fromKey: string, toKey: string, options?: CallOptions): Promise<void> {
    validateKey(toKey);
    await this.call('copy', fromKey, options, async (abortSignal) => {
      // Copy Blob (not Copy Blob From URL): inside one account the shared key authorises the source too.
      // Within one account it is usually done at once; otherwise poll (the SDK's pollUntilDone takes no signal).
      const poller = await this.blob(toKey).beginCopyFromURL(this.blob(fromKey).url, { abortSignal });
      while (!poller.isDone()) {
        await sleep(COPY_POLL_MS, undefined, { signal: abortSignal });
        await poller.poll({ abortSignal });
      }
      const status = poller.getResult()?.copyStatus;
      if (status !== 'success') throw Object.assign(new Error(`copy ended ${status}`), { code: `Copy${status ?? 'Unknown'}` });
    });
  }

  async delete(key: string, options?: CallOptions): Promise<void> {
    await this.call('delete', key, options, (abortSignal) => this.blob(key).deleteIfExists({ abortSignal }));
  }

  private blob(key: string) {
    return this.client.getBlockBlobClient(key);
  }

  /** Validates `key`, checks the deadline, runs the request with the caller's signal and maps any failure. */
  private call<T>(op: Op, key: string, options: CallOptions | undefined, run: (abortSignal?: AbortSignal) => Promise<T>): Promise<T> {
    return callStore(op, key, options, run, toStoreError);
  }
}

/** What the SDK tells us about a failed call: a `RestError`, an `AbortError` or a stream error. */
interface RestFailure {
  name?: string;
  /** The service's error code (`BlobNotFound`) or a network code (`ECONNREFUSED`). */
  code?: string;
  statusCode?: number;
  /** HEAD answers have no body: their error code comes from the `x-ms-error-code` header, here. */
  details?: { errorCode?: string };
}

type Outcome = 'not-found' | 'unavailable';

/** Azure error codes that decide the outcome whatever the status; others fall back to the status. */
const OUTCOME_BY_CODE: Record<string, Outcome> = {
  BlobNotFound: 'not-found',
  ContainerNotFound: 'unavailable', // the operator's problem, not the caller's: /ready shows it
  ContainerBeingDeleted: 'unavailable',
  AuthenticationFailed: 'unavailable',
  AuthorizationFailure: 'unavailable',
  AuthorizationPermissionMismatch: 'unavailable',
  AccountIsDisabled: 'unavailable',
  ServerBusy: 'unavailable',
  OperationTimedOut: 'unavailable',
  InternalError: 'unavailable',
};

function outcomeOf(failure: RestFailure): Outcome | undefined {
  const named = OUTCOME_BY_CODE[errorCodeOf(failure) ?? ''];
  if (named) return named;
  const status = failure.statusCode;
  if (status === undefined) return 'unavailable'; // no HTTP answer: refused, reset, DNS, client timeout
  if (status === 404) return 'not-found'; // e.g. CannotVerifyCopySource: the copy's source is missing
  if (status >= 500 || status === 429 || status === 403 || status === 401) return 'unavailable';
  return undefined;
}

function errorCodeOf(failure: RestFailure): string | undefined {
  return failure.details?.errorCode ?? failure.code;
}

/**
 * Maps an Azure SDK failure into the core's errors. Messages name the operation, the key and the
 * Azure error code or network code, never the account, endpoint or SDK message. An unexpected
 * 4xx is returned as is: it is a bug, and the API answers 500.
 */
function toStoreError(error: unknown, op: Op, key: string, signal?: AbortSignal, hasCursor = false): unknown {
  if (error instanceof KelpieError) return error;
  const failure = (error ?? {}) as RestFailure;
  if (signal?.aborted) return new DeadlineExceededError(`${op} of ${JSON.stringify(key)} was aborted`, { op, key }, { cause: error });
  // An AbortError the caller did not ask for is the per-try timeout of createAzureContainerClient.
  const timedOut = failure.name === 'AbortError';
  if (op === 'list' && hasCursor && failure.statusCode === 400) {
    return new InvalidRequestError('list cursor is not one this store returned; list again without a cursor');
  }
  switch (timedOut ? 'unavailable' : outcomeOf(failure)) {
    case 'not-found':
      return new NotFoundError(`no object at key ${JSON.stringify(key)}`, { key });
    case 'unavailable': {
      const reason = timedOut ? 'timeout' : (errorCodeOf(failure) ?? (failure.statusCode ? `HTTP ${failure.statusCode}` : 'no answer'));
      return new DependencyUnavailableError(`Azure Blob store could not ${op} ${JSON.stringify(key)} (${reason})`, { op, key, reason }, { cause: error });
    }
    default:
      return error;
  }
}


/** The whole body as a new array of its own (never a view into Node's shared buffer pool). */
async function readAll(body: NodeJS.ReadableStream | undefined): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  return concatBytes(chunks);
}

function describe(key: string, size: number, meta: { etag?: string; lastModified?: Date; contentType?: string }): BlobInfo {
  return {
    key,
    size,
    ...(meta.etag ? { etag: meta.etag.replace(/^"(.*)"$/, '$1') } : {}), // Azure quotes its ETags
    ...(meta.lastModified ? { lastModified: meta.lastModified } : {}),
    ...(meta.contentType ? { contentType: meta.contentType } : {}),
  };
}
