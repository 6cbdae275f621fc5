import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from '../../../core/ports/logger.js';
import { addLambdaContext } from '../logger.js';

/**
 * Middy middleware: puts the invocation's Lambda context on every line of a Powertools logger
 * (`function_request_id`, `cold_start`, the function's name), see `addLambdaContext`.
 *
 * @example
 * ```ts
 * middy(handler).use(lambdaLogContext(logger));
 * ```
 */
export function lambdaLogContext(logger: Logger): MiddlewareObj<unknown, unknown, Error, Context> {
  const lambdaLogContextBefore = (request: { context: Context }) => addLambdaContext(logger, request.context);
  return { before: lambdaLogContextBefore };
}
