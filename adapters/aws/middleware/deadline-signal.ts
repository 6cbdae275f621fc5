import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { setMaxListeners } from 'node:events';

/**
 * Listeners one deadline signal may carry before Node warns of a leak: an analysis has a store
 * read per tile in flight at once, each listening to the signal until it finishes.
 */
const MAX_SIGNAL_LISTENERS = 100;

/** The Lambda context, with the signal {@link deadlineSignal} adds. */
export interface DeadlineContext extends Context {
  /** Aborted `marginMs` before Lambda would stop the function. */
  deadlineSignal?: AbortSignal;
}

/** Options for {@link deadlineSignal}. */
export interface DeadlineSignalOptions {
  /** How long before the Lambda deadline the signal fires: time to stop the work and answer 504. */
  marginMs?: number;
}

const defaults: Required<DeadlineSignalOptions> = { marginMs: 1_500 };

/**
 * Middy middleware: puts an `AbortSignal` on `context.deadlineSignal` that fires `marginMs` before
 * `context.getRemainingTimeInMillis()` runs out, so the core can abort its I/O and answer 504
 * itself instead of being killed mid-request. Without a remaining time (a bare context) the signal
 * never fires. The timer is cleared when the invocation ends.
 *
 * @example
 * ```ts
 * middy(handler).use(deadlineSignal({ marginMs: 1_500 }));
 * ```
 */
export function deadlineSignal(opts: DeadlineSignalOptions = {}): MiddlewareObj<unknown, unknown, Error, DeadlineContext> {
  const options = { ...defaults, ...opts };
  const timers = new WeakMap<object, ReturnType<typeof setTimeout>>();

  const deadlineSignalBefore = (request: Request<unknown, unknown, Error, DeadlineContext>) => {
    const controller = new AbortController();
    setMaxListeners(MAX_SIGNAL_LISTENERS, controller.signal);
    request.context.deadlineSignal = controller.signal;
    const remainingMs = request.context.getRemainingTimeInMillis?.();
    if (typeof remainingMs !== 'number' || !Number.isFinite(remainingMs)) return;
    const timer = setTimeout(() => controller.abort(), Math.max(0, remainingMs - options.marginMs));
    timer.unref?.();
    timers.set(request, timer);
  };
  const deadlineSignalAfter = (request: Request<unknown, unknown, Error, DeadlineContext>) => {
    clearTimeout(timers.get(request));
    timers.delete(request);
  };

  return { before: deadlineSignalBefore, after: deadlineSignalAfter, onError: deadlineSignalAfter };
}
