import type { InvocationContext, Timer } from '@azure/functions';
import type { ScheduleTick } from '../shared/scheduled-jobs.js';

/**
 * The `ScheduleTick` of an Azure timer run: the invocation id, when the schedule last fired
 * (`scheduleStatus.last`, else now) and whether the run is late (`isPastDue`: a missed occurrence
 * run on start-up).
 *
 * @example
 * ```ts
 * fromTimer(timer, context); // { trigger: 'schedule', id: '…', firedAt: '2026-03-10T03:00:00Z', pastDue: false }
 * ```
 */
export function fromTimer(timer: Timer, context: Pick<InvocationContext, 'invocationId'>, now: () => number = Date.now): ScheduleTick {
  const last = timer.scheduleStatus?.last;
  return { trigger: 'schedule', id: context.invocationId, firedAt: last || new Date(now()).toISOString(), pastDue: timer.isPastDue };
}
