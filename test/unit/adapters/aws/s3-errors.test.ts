import { describe, expect, it } from 'vitest';
import { toStoreError } from '../../../../adapters/aws/s3-errors.js';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError, NotFoundError } from '../../../../core/errors.js';

const sdkError = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(`${name}: internal detail from arn:aws:s3:::secret-bucket`), { name, ...(code ? { code } : {}), ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe('toStoreError', () => {
  it.each([
    ['NoSuchKey', 404, NotFoundError],
    ['NotFound', 404, NotFoundError],
    ['UnknownError', 404, NotFoundError],
    ['NoSuchBucket', 404, DependencyUnavailableError],
    ['AccessDenied', 403, DependencyUnavailableError],
    ['SlowDown', 503, DependencyUnavailableError],
    ['InternalError', 500, DependencyUnavailableError],
    ['TooManyRequests', 429, DependencyUnavailableError],
    ['TimeoutError', undefined, DependencyUnavailableError],
    ['Error', undefined, DependencyUnavailableError],
  ])('maps %s (%s) to %o', (name, status, expected) => {
    expect(toStoreError(sdkError(name, status), 'get', 'uploads/a.tif')).toBeInstanceOf(expected);
  });

  it('keeps bucket names and SDK messages out of the message', () => {
    const error = toStoreError(sdkError('Error', undefined, 'ECONNREFUSED'), 'head', 'uploads/a.tif') as Error;
    expect(error.message).toBe('S3 store could not head "uploads/a.tif" (ECONNREFUSED)');
  });

  it('maps a 400 on a list with a cursor to InvalidRequestError', () => {
    expect(toStoreError(sdkError('InvalidArgument', 400), 'list', 'index/', undefined, true)).toBeInstanceOf(InvalidRequestError);
  });

  it('returns an unexpected 400 unchanged, so the API treats it as a bug', () => {
    const error = sdkError('InvalidArgument', 400);
    expect(toStoreError(error, 'put', 'k')).toBe(error);
  });

  it('maps anything to DeadlineExceededError once the caller has aborted', () => {
    expect(toStoreError(sdkError('Error'), 'get', 'k', AbortSignal.abort())).toBeInstanceOf(DeadlineExceededError);
    expect(toStoreError(sdkError('AbortError'), 'get', 'k')).toBeInstanceOf(DeadlineExceededError);
  });
});
