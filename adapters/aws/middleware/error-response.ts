import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { errorResponse as coreErrorResponse, statusFor } from '../../../core/api/http-errors.js';
import { securityHeaders } from '../../../core/api/security.js';
import { DeadlineExceededError } from '../../../core/errors.js';
import type { Logger } from '../../../core/ports/logger.js';
import { type AwsHttpEvent, type AwsHttpResult, toApiRequest, toAwsResult } from '../http-event.js';

/** Options for {@link errorResponse}. */
export interface ErrorResponseOptions {
  logger: Logger;
}

/** Middy's own errors (its early timeout) carry `cause.package`; they mean a deadline here. */
function fromMiddy(error: unknown): unknown {
  const cause = (error as { cause?: { package?: string } } | null)?.cause;
  if (cause?.package === '@middy/core' && (error as Error).name === 'TimeoutError') {
    return new DeadlineExceededError('the request took too long and was stopped; try again, or analyse a smaller area');
  }
  return error;
}

/**
 * Middy middleware: the last line of defence. Any error that escaped the core (a bug in the
 * adapter, middy's early timeout) becomes the core's JSON error shape with the security
 * headers, in the event's result shape: 504 for a deadline, 500 with no internals otherwise.
 *
 * @example
 * ```ts
 * middy(handler).use(errorResponse({ logger }));
 * ```
 */
export function errorResponse(options: ErrorResponseOptions): MiddlewareObj<AwsHttpEvent, AwsHttpResult, Error, Context> {
  const errorResponseOnError = (request: Request<AwsHttpEvent, AwsHttpResult, Error, Context>) => {
    if (request.response !== undefined && request.response !== null) return;
    const error = fromMiddy(request.error);
    const requestId = safeRequestId(request);
    const status = statusFor(error);
    const fields = { requestId, status, error: (error as Error | null)?.message, stack: (error as Error | null)?.stack };
    if (status >= 500) options.logger.error('request failed in the AWS adapter', fields);
    const response = coreErrorResponse(error, requestId, securityHeaders({ method: '', path: '', query: {}, headers: {}, requestId }));
    request.response = toAwsResult(request.event ?? ({} as AwsHttpEvent), response);
  };
  return { onError: errorResponseOnError };
}

/** The request id, even when the event is too broken to translate. */
function safeRequestId(request: Request<AwsHttpEvent, AwsHttpResult, Error, Context>): string {
  try {
    return toApiRequest(request.event, request.context?.awsRequestId ?? 'unknown').requestId;
  } catch {
    return request.context?.awsRequestId ?? 'unknown';
  }
}
