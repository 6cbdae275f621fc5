import { type ErrorKind, KelpieError, isKelpieError } from '../errors.js';
import type { ApiResponse } from './types.js';

/** The request is not JSON, or has the wrong shape. */
export class MalformedRequestError extends KelpieError {
  readonly code = 'MALFORMED_REQUEST';
  readonly kind = 'invalid';
}

/** The body is not `application/json`. */
export class UnsupportedMediaTypeError extends KelpieError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly kind = 'invalid';
}

/** The body is larger than the API accepts. */
export class PayloadTooLargeError extends KelpieError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly kind = 'too-large';
}

/** No API key, or one that is not configured. */
export class UnauthorizedError extends KelpieError {
  readonly code = 'UNAUTHORIZED';
  readonly kind = 'invalid';
}

/** Understood and authenticated, but not allowed (e.g. a bad or expired signed URL). */
export class ForbiddenError extends KelpieError {
  readonly code = 'FORBIDDEN';
  readonly kind = 'invalid';
}

/** No route for this method and path. */
export class RouteNotFoundError extends KelpieError {
  readonly code = 'NOT_FOUND';
  readonly kind = 'not-found';
}

/** The path exists but not with this method. */
export class MethodNotAllowedError extends KelpieError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly kind = 'invalid';
}

/**
 * The one table from error to HTTP status (docs/design.md, "HTTP API"). Specific codes first, then
 * the error's kind; anything that is not ours is a bug: 500, and its message stays in the log.
 */
const STATUS_BY_CODE: Record<string, number> = {
  MALFORMED_REQUEST: 400,
  INVALID_REQUEST: 400,
  UNKNOWN_NAME: 400,
  UNKNOWN_BAND: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  IMAGE_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
};

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unusable: 422,
  'not-found': 404,
  'too-large': 413,
  conflict: 409,
  unavailable: 503,
  timeout: 504,
};

/** HTTP status for an error. */
export function statusFor(error: unknown): number {
  if (!isKelpieError(error)) return 500;
  return STATUS_BY_CODE[error.code] ?? STATUS_BY_KIND[error.kind];
}

/**
 * The JSON error body `{ error: { code, message, details?, requestId } }`. A bug (500) says only
 * that something went wrong: internals never reach a response.
 */
export function errorResponse(error: unknown, requestId: string, headers: Record<string, string> = {}): ApiResponse {
  const status = statusFor(error);
  const body = isKelpieError(error)
    ? { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}), requestId }
    : { code: 'INTERNAL', message: 'internal error; it has been logged with this request id', requestId };
  return { status, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: body }) };
}
