import { setMaxListeners } from 'node:events';

/**
 * How long before the platform's own limit every function stops its work: time to abort the
 * store and catalog reads in flight, record what happened (a 504, `error.json`, a job's
 * `status.json`) and answer, instead of being killed mid-write. One margin for every platform and
 * trigger (docs/design.md, "Deadlines").
 */
export const DEADLINE_MARGIN_MS = 5_000;

/**
 * Listeners one deadline signal may carry before Node warns of a leak: an analysis has a store
 * read per tile in flight at once, each listening to the signal until it finishes.
 */
const MAX_SIGNAL_LISTENERS = 100;

/** An invocation's deadline: a signal that aborts before the platform would stop the function. */
export interface Deadline {
  signal: AbortSignal;
  /** Aborts now (the client went away). */
  abort(reason?: unknown): void;
  /** Clears the timer; call when the work is done. */
  dispose(): void;
}

/**
 * The one deadline helper of every adapter: a signal that aborts `marginMs` before `timeoutMs`
 * runs out (never sooner than half of it, so a short timeout still leaves the work time to run).
 * Without a finite `timeoutMs` (a bare test context) the signal only aborts when asked.
 *
 * @example
 * ```ts
 * const deadline = startDeadline(context.getRemainingTimeInMillis()); // aborts 5 s before Lambda's end
 * try { return await api({ ...request, signal: deadline.signal }); } finally { deadline.dispose(); }
 * ```
 */
export function startDeadline(timeoutMs: number | undefined, marginMs: number = DEADLINE_MARGIN_MS): Deadline {
  const controller = new AbortController();
  setMaxListeners(MAX_SIGNAL_LISTENERS, controller.signal);
  const abort = (reason?: unknown) => controller.abort(reason);
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs)) return { signal: controller.signal, abort, dispose: () => undefined };
  const budgetMs = Math.max(timeoutMs - marginMs, timeoutMs / 2);
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${Math.round(budgetMs)} ms`, 'TimeoutError')), budgetMs);
  timer.unref?.();
  return { signal: controller.signal, abort, dispose: () => clearTimeout(timer) };
}
