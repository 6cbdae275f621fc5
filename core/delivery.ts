import { type ErrorKind, isKelpieError } from './errors.js';

/**
 * What the platform that delivered a message (an upload event, a job message, one record of a
 * batch) should do with it once the work has run:
 * - `acknowledge`: done, or nothing is left to do (a duplicate, a superseded upload);
 * - `retry`: hand it back; a later delivery may succeed (the platform redelivers, then dead-letters);
 * - `drop`: it can never succeed as it is; the reason is recorded (`error.json`, the job's
 *   `status.json`) or logged, and the message is acknowledged so it is not redelivered for nothing.
 */
export type Disposition = 'acknowledge' | 'retry' | 'drop';

/**
 * The one table from a failure's kind to what happens to its message, used by the upload trigger,
 * the job worker and every batch handler. A dependency down or a deadline may pass: retry. A
 * conflict means the state moved on (the object changed since the event): acknowledge. Anything
 * else would fail the same way on every delivery: drop.
 */
const DISPOSITION_BY_KIND: Readonly<Record<ErrorKind, Disposition>> = {
  unavailable: 'retry',
  timeout: 'retry',
  conflict: 'acknowledge',
  invalid: 'drop',
  unusable: 'drop',
  'not-found': 'drop',
  'too-large': 'drop',
};

/**
 * The disposition of a failure: by {@link DISPOSITION_BY_KIND} for our errors; `retry` for
 * anything else, which is a bug, so the dead-letter queue keeps the message for a fixed release.
 *
 * @example
 * ```ts
 * dispositionOf(new DependencyUnavailableError('S3 is down')); // 'retry'
 * ```
 */
export function dispositionOf(error: unknown): Disposition {
  return isKelpieError(error) ? DISPOSITION_BY_KIND[error.kind] : 'retry';
}
