import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Deadline, startDeadline } from '../../shared/deadline.js';

/** The Lambda context, with the signal {@link deadlineSignal} adds. */
export interface DeadlineContext extends Context {
  /** Aborted `marginMs` before Lambda would stop the function (see `startDeadline`). */
  deadlineSignal?: AbortSignal;
}

/** Options for {@link deadlineSignal}. */
export interface DeadlineSignalOptions {
  /** How long before the Lambda deadline the signal fires (default `DEADLINE_MARGIN_MS`). */
  marginMs?: number;
}

/**
 * Middy middleware: puts the shared deadline's `AbortSignal` (`startDeadline` over
 * `context.getRemainingTimeInMillis()`) on `context.deadlineSignal`, so the core can abort its
 * I/O and answer or record the failure itself instead of being killed. Without a remaining time
 * (a bare context) the signal never fires. The timer is cleared when the invocation ends.
 *
 * @example
 * ```ts
 * middy(handler).use(deadlineSignal());
 * ```
 */
export function deadlineSignal(options: DeadlineSignalOptions = {}): MiddlewareObj<unknown, unknown, Error, DeadlineContext> {
  const deadlines = new WeakMap<object, Deadline>();
  const deadlineSignalBefore = (request: Request<unknown, unknown, Error, DeadlineContext>) => {
    const deadline = startDeadline(request.context.getRemainingTimeInMillis?.(), options.marginMs);
    deadlines.set(request, deadline);
    request.context.deadlineSignal = deadline.signal;
  };
  const deadlineSignalAfter = (request: Request<unknown, unknown, Error, DeadlineContext>) => {
    deadlines.get(request)?.dispose();
    deadlines.delete(request);
  };
  return { before: deadlineSignalBefore, after: deadlineSignalAfter, onError: deadlineSignalAfter };
}
