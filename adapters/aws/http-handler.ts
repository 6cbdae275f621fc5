import middy from '@middy/core';
import type { Handler } from 'aws-lambda';
import type { ApiHandler } from '../../core/api/types.js';
import { DeadlineExceededError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import { DEADLINE_MARGIN_MS } from '../shared/deadline.js';
import { type AwsHttpEvent, type AwsHttpResult, toApiRequest, toAwsResult } from './http-event.js';
import { type DeadlineContext, deadlineSignal } from './middleware/deadline-signal.js';
import { errorResponse } from './middleware/error-response.js';
import { type JsonBodyContext, jsonBody } from './middleware/json-body.js';
import { lambdaLogContext } from './middleware/lambda-log-context.js';
import { type MetricsPublisher, publishMetrics } from './middleware/publish-metrics.js';

/** Options for {@link createAwsHttpHandler}. */
export interface AwsHttpHandlerOptions {
  logger: Logger;
  /** Buffered metrics to publish after each invocation (CloudWatch EMF); none when omitted. */
  metrics?: MetricsPublisher;
  /** How long before the Lambda deadline the core's signal fires (default `DEADLINE_MARGIN_MS`; tests shorten it). */
  deadlineMarginMs?: number;
}

const defaults = { deadlineMarginMs: DEADLINE_MARGIN_MS };

/** The Lambda handler for API Gateway REST (v1) and HTTP API (v2) events. */
export type AwsHttpHandler = Handler<AwsHttpEvent, AwsHttpResult>;

/**
 * Wraps the platform-neutral API as a Lambda handler for API Gateway events, with middy:
 * the JSON body parsed by `@middy/http-json-body-parser` (raw bytes kept too), an abort signal
 * `deadlineMarginMs` before the Lambda deadline (so the core answers 504 itself), the Lambda
 * context on every Powertools log line, metrics published after each invocation, and any stray
 * error turned into the core's JSON error shape. Middy's own early timeout, at a third of the
 * margin, is the safety net when the core does not stop in time.
 *
 * @example
 * ```ts
 * export const handler = createAwsHttpHandler(createApi(deps), { logger, metrics: emfMetrics });
 * ```
 */
export function createAwsHttpHandler(api: ApiHandler, opts: AwsHttpHandlerOptions): AwsHttpHandler {
  const options = { ...defaults, ...opts };
  const timeoutEarlyResponse = () => {
    throw new DeadlineExceededError('the request took too long and was stopped; try again, or analyse a smaller area');
  };
  const handler = middy<AwsHttpEvent, AwsHttpResult, Error, DeadlineContext & JsonBodyContext>({
    timeoutEarlyInMillis: Math.max(1, Math.floor(options.deadlineMarginMs / 3)),
    timeoutEarlyResponse,
  })
    .use(lambdaLogContext(options.logger))
    .use(errorResponse({ logger: options.logger }))
    .use(options.metrics ? [publishMetrics(options.metrics)] : [])
    .use(deadlineSignal({ marginMs: options.deadlineMarginMs }))
    .use(jsonBody())
    .handler(async (event, context) => {
      const request = toApiRequest(event, context.awsRequestId);
      const json = context.jsonBody ? { json: context.jsonBody.value } : {};
      const response = await api({ ...request, ...json, signal: context.deadlineSignal });
      return toAwsResult(event, response);
    });
  return handler as unknown as AwsHttpHandler;
}
