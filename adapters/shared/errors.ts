import { ForbiddenError } from '../../core/api/http-errors.js';
import { KelpieError } from '../../core/errors.js';

/** A local upload URL was refused: wrong signature, expired, or not for `uploads/` (403). */
export class UploadForbiddenError extends ForbiddenError {}

/** A trigger function cannot run because a setting is missing or wrong; the message says which. */
export class ConfigurationError extends KelpieError {
  readonly code = 'CONFIGURATION';
  readonly kind = 'invalid';
}

/**
 * Upload events a retry may fix were not done (a dependency down, the deadline, a bug, a bucket
 * this deployment does not serve): the invocation fails so the platform delivers them again.
 * `details.failed` lists the keys; events that succeeded are not redone (the analysis id finds
 * their results).
 *
 * @example
 * ```ts
 * throw new UploadRetryError('1 of 2 uploads failed and will be retried: uploads/a.tif', { failed: ['uploads/a.tif'] });
 * ```
 */
export class UploadRetryError extends KelpieError {
  readonly code = 'UPLOAD_RETRY';
  readonly kind = 'unavailable';
}

/**
 * A platform event that is none of the upload shapes its parser reads (an S3 notification whose
 * record is malformed, a storage event without a bucket or name). `details.shape` names what was
 * seen. Retrying cannot make it readable: it is dropped, and logged.
 *
 * @example
 * ```ts
 * throw new UnrecognizedEventError('not an S3 notification or EventBridge event', { shape: 'aws.ec2/EC2 Instance State-change Notification' });
 * ```
 */
export class UnrecognizedEventError extends KelpieError {
  readonly code = 'UNRECOGNIZED_EVENT';
  readonly kind = 'invalid';
}
