import { redactUrl } from './outbound-policy.js';

/**
 * A response with an unexpected status, before it becomes one of the core's errors. Kept
 * internal to the HTTP code: retries look at `status`, callers map it to a `KelpieError`.
 */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`${redactUrl(url)} answered HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** Statuses worth retrying: server errors and rate limiting. */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * True for failures that may pass on retry: a retryable status, a network error (fetch throws
 * `TypeError` for resets and refused connections), or a per-request timeout. A caller's own
 * abort is not transient.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return isRetryableStatus(error.status);
  if (error instanceof TypeError) return true;
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'TimeoutError';
}

/** A short phrase for what went wrong with a request, for messages. */
export function describeFailure(error: unknown): string {
  if (error instanceof HttpStatusError) return `HTTP ${error.status}`;
  if ((error as { name?: string } | undefined)?.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return `connection failed (${cause.code})`;
  if (error instanceof TypeError) return 'connection failed';
  return (error as Error)?.message ?? String(error);
}
