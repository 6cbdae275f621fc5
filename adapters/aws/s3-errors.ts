import {
  DeadlineExceededError,
  DependencyUnavailableError,
  InvalidRequestError,
  KelpieError,
  NotFoundError,
} from '../../core/errors.js';

/** A `BlobStore` operation, named in error messages and details. */
export type S3Op = 'head' | 'get' | 'getRange' | 'put' | 'list' | 'copy' | 'delete';

/** What the SDK tells us about a failed call (S3ServiceException, or a network error). */
interface SdkFailure {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

type Outcome = 'not-found' | 'unavailable' | 'bad-cursor';

/**
 * S3 error names and what they mean for the caller. A missing bucket, refused access or bad
 * credentials are the operator's problem, not the client's: the store is unavailable (503), and
 * `/ready` shows it. Names not listed fall back to the status (see {@link outcomeOf}).
 */
const OUTCOME_BY_NAME: Record<string, Outcome> = {
  NoSuchKey: 'not-found',
  NotFound: 'not-found',
  NoSuchBucket: 'unavailable',
  AccessDenied: 'unavailable',
  Forbidden: 'unavailable',
  InvalidAccessKeyId: 'unavailable',
  SignatureDoesNotMatch: 'unavailable',
  ExpiredToken: 'unavailable',
  CredentialsProviderError: 'unavailable',
  SlowDown: 'unavailable',
  ThrottlingException: 'unavailable',
  RequestTimeout: 'unavailable',
  TimeoutError: 'unavailable',
};

function outcomeOf(failure: SdkFailure, op: S3Op, hasCursor: boolean): Outcome | undefined {
  const status = failure.$metadata?.httpStatusCode;
  // ListObjectsV2 answers 400 InvalidArgument for a continuation token it did not issue.
  if (op === 'list' && hasCursor && status === 400) return 'bad-cursor';
  if (failure.name === 'NoSuchBucket') return 'unavailable';
  const named = OUTCOME_BY_NAME[failure.name ?? ''];
  if (named) return named;
  if (status === undefined) return 'unavailable'; // no HTTP answer at all: refused, reset, DNS, timeout
  if (status === 404) return 'not-found';
  if (status >= 500 || status === 429 || status === 403) return 'unavailable';
  return undefined;
}

/**
 * Maps an S3 SDK failure into the core's error hierarchy. Messages name the operation, the key
 * and the S3 error name or network code, never the bucket, endpoint or SDK message. Anything
 * unexpected (a 400 we did not foresee) is returned as is: it is a bug, and the API answers 500.
 *
 * @example
 * ```ts
 * try { await client.send(command, { abortSignal }); } catch (error) { throw toStoreError(error, 'get', key, signal); }
 * ```
 */
export function toStoreError(error: unknown, op: S3Op, key: string, signal?: AbortSignal, hasCursor = false): unknown {
  if (error instanceof KelpieError) return error;
  const failure = (error ?? {}) as SdkFailure;
  const details = { op, key };
  if (signal?.aborted || failure.name === 'AbortError') {
    return new DeadlineExceededError(`${op} of ${JSON.stringify(key)} was aborted`, details, { cause: error });
  }
  switch (outcomeOf(failure, op, hasCursor)) {
    case 'not-found':
      return new NotFoundError(`no object at key ${JSON.stringify(key)}`, { key });
    case 'bad-cursor':
      return new InvalidRequestError('list cursor is not one this store returned; list again without a cursor');
    case 'unavailable': {
      const reason = failure.code ?? failure.name ?? 'no answer';
      return new DependencyUnavailableError(`S3 store could not ${op} ${JSON.stringify(key)} (${reason})`, { ...details, reason }, { cause: error });
    }
    default:
      return error;
  }
}

