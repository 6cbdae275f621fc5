import middy from '@middy/core';
import type { Context, Handler } from 'aws-lambda';
import type { Logger } from '../../core/ports/logger.js';
import { type ScheduleTick, type ScheduledJob, runScheduledJob } from '../shared/scheduled-jobs.js';
import { lambdaLogContext } from './middleware/lambda-log-context.js';
import { type MetricsPublisher, publishMetrics } from './middleware/publish-metrics.js';

/** Options for {@link createAwsScheduledHandler}. */
export interface AwsScheduledHandlerOptions {
  /** The job's name in the failure line, e.g. `backup`. */
  name: string;
  logger: Logger;
  /** Buffered metrics to publish after each invocation (CloudWatch EMF). */
  metrics?: MetricsPublisher;
  /** The clock for manual invocations' `firedAt`. */
  now?: () => number;
}

/** Event sources (`source/detail-type`) that are schedules; anything else is a manual run. */
const SCHEDULE_SHAPES: Record<string, true> = {
  'aws.events/Scheduled Event': true,
  'aws.scheduler/Scheduled Event': true,
};

/**
 * The tick an invocation stands for: an EventBridge scheduled event (`source: aws.events`,
 * `detail-type: Scheduled Event`) gives its id, time and rule; any other payload is a manual run.
 *
 * @example
 * ```ts
 * toScheduleTick(loadEvent('aws/eventbridge-scheduled.json')); // { trigger: 'schedule', firedAt: '2026-03-10T03:00:00Z', rule: 'arn:…', id: '…' }
 * ```
 */
export function toScheduleTick(event: unknown, now: () => number = Date.now): ScheduleTick {
  const payload = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const shape = `${String(payload.source)}/${String(payload['detail-type'])}`;
  if (!SCHEDULE_SHAPES[shape]) return { trigger: 'manual', firedAt: new Date(now()).toISOString() };
  const resources = Array.isArray(payload.resources) ? payload.resources : [];
  const rule = typeof resources[0] === 'string' ? resources[0] : undefined;
  const firedAt = typeof payload.time === 'string' ? payload.time : new Date(now()).toISOString();
  return { trigger: 'schedule', firedAt, ...(typeof payload.id === 'string' ? { id: payload.id } : {}), ...(rule ? { rule } : {}) };
}

/**
 * Wraps a scheduled job (backup, health ping) as a Lambda handler for EventBridge `schedule`
 * events: the event becomes a {@link ScheduleTick} and the shared `runScheduledJob` runs the job
 * under Lambda's remaining time; metrics are published when it ends, and a failure fails the
 * invocation, so alarms on `Errors` see it.
 *
 * @example
 * ```ts
 * export const handler = createAwsScheduledHandler(backupJob(deps), { name: 'backup', logger });
 * ```
 */
export function createAwsScheduledHandler<T>(job: ScheduledJob<T>, options: AwsScheduledHandlerOptions): Handler<unknown, T> {
  const handler = middy<unknown, T, Error, Context>()
    .use(lambdaLogContext(options.logger))
    .use(options.metrics ? [publishMetrics(options.metrics)] : [])
    .handler((event, context) =>
      runScheduledJob(options.name, job, toScheduleTick(event, options.now), { logger: options.logger, timeoutMs: context.getRemainingTimeInMillis?.() }),
    );
  return handler as unknown as Handler<unknown, T>;
}
