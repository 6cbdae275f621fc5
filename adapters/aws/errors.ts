import { KelpieError } from '../../core/errors.js';

/**
 * A Lambda event (or an SQS message body) that is none of the upload shapes the handler reads:
 * an S3 notification, the S3 test event, an EventBridge S3 event, or a Lambda destination record.
 * `details.shape` names what was seen.
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

/**
 * Some records of a direct (S3 or EventBridge) invocation failed in a way a retry may fix: the
 * invocation fails so Lambda's asynchronous retries (and then the on-failure destination) take
 * over. `details.failed` lists the keys; the records that succeeded are not redone (the analysis
 * id finds their results).
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
