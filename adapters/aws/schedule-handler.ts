import middy from '@middy/core';
import type { Handler } from 'aws-lambda';
import type { Logger } from '../../core/ports/logger.js';
import { type DeadlineContext, deadlineSignal } from './middleware/deadline-signal.js';
import { type MetricsPublisher, publishMetrics } from './middleware/publish-metrics.js';

/** A neutral "the schedule fired" command. */
export interface ScheduleTick {
  /** When the schedule fired (the event's `time`), or when a manual invocation started. */
  firedAt: string;
  /** The rule that fired, when the event names one. */
  rule?: string;
  /** `schedule` for an EventBridge scheduled event; `manual` for any other payload (`sls invoke`, a console test). */
  trigger: 'schedule' | 'manual';
}

/** A scheduled job: the tick, and a signal that fires before Lambda's deadline. Throwing fails the invocation. */
export type ScheduledJob<T> = (tick: ScheduleTick, signal: AbortSignal) => Promise<T>;

/** Options for {@link createAwsScheduledHandler}. */
export interface AwsScheduledHandlerOptions {
  logger: Logger;
  /** Buffered metrics to publish after each invocation (CloudWatch EMF). */
  metrics?: MetricsPublisher;
  /** How long before the Lambda deadline the job's signal fires (default 5 s). */
  deadlineMarginMs?: number;
  /** The clock for manual invocations' `firedAt`. */
  now?: () => number;
}

const defaults = { deadlineMarginMs: 5_000, now: Date.now };

/** Event sources (`source/detail-type`) that are schedules; anything else is a manual run. */
const SCHEDULE_SHAPES: Record<string, true> = {
  'aws.events/Scheduled Event': true,
  'aws.scheduler/Scheduled Event': true,
};

/**
 * The tick an invocation stands for: an EventBridge scheduled event (`source: aws.events`,
 * `detail-type: Scheduled Event`) gives its time and rule; any other payload is a manual run.
 *
 * @example
 * ```ts
 * toScheduleTick(loadEvent('aws/eventbridge-scheduled.json')); // { trigger: 'schedule', firedAt: '2026-03-10T03:00:00Z', rule: 'arn:…' }
 * ```
 */
export function toScheduleTick(event: unknown, now: () => number = Date.now): ScheduleTick {
  const payload = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const shape = `${String(payload.source)}/${String(payload['detail-type'])}`;
  if (!SCHEDULE_SHAPES[shape]) return { trigger: 'manual', firedAt: new Date(now()).toISOString() };
  const resources = Array.isArray(payload.resources) ? payload.resources : [];
  const rule = typeof resources[0] === 'string' ? resources[0] : undefined;
  const firedAt = typeof payload.time === 'string' ? payload.time : new Date(now()).toISOString();
  return { trigger: 'schedule', firedAt, ...(rule ? { rule } : {}) };
}

/**
 * Wraps a scheduled job (backup, health ping) as a Lambda handler for EventBridge `schedule`
 * events, with middy: the event becomes a {@link ScheduleTick}, the job gets a signal that fires
 * `deadlineMarginMs` before the deadline, metrics are published when it ends, and a failure is
 * logged as one line and rethrown, so the invocation fails and alarms on `Errors` see it.
 *
 * @example
 * ```ts
 * export const handler = createAwsScheduledHandler(backupJob(deps), { logger });
 * ```
 */
export function createAwsScheduledHandler<T>(job: ScheduledJob<T>, opts: AwsScheduledHandlerOptions): Handler<unknown, T> {
  const options = { ...defaults, ...opts };
  const handler = middy<unknown, T, Error, DeadlineContext>({ timeoutEarlyInMillis: Math.max(1, Math.floor(options.deadlineMarginMs / 3)) })
    .use(options.metrics ? [publishMetrics(options.metrics)] : [])
    .use(deadlineSignal({ marginMs: options.deadlineMarginMs }))
    .handler(async (event, context) => {
      const tick = toScheduleTick(event, options.now);
      try {
        return await job(tick, context.deadlineSignal ?? new AbortController().signal);
      } catch (error) {
        options.logger.error('scheduled job failed', { ...tick, error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    });
  return handler as unknown as Handler<unknown, T>;
}
