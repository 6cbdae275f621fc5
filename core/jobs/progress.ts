import type { Logger } from '../ports/logger.js';
import type { JobProgress } from './status.js';

/** Default least time between two progress writes of one job. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 2000;

/** Reports progress to a writer at a bounded rate; `flush` waits for the writes in flight. */
export interface ProgressReporter {
  report(progress: JobProgress): void;
  flush(): Promise<void>;
  /** Writes that were made (for logs and tests). */
  readonly writes: number;
}

/**
 * A progress reporter that writes at most once per `minIntervalMs` (and never two writes at
 * once), so a slow store cannot hold up the analysis and status writes stay a rounding error
 * of the work: a 10980² scene reports 43 strips but writes a handful of times. A report made
 * while a write is in flight, within the interval, or with nothing new is skipped (progress
 * only grows, so the next report carries it). A failed write is logged, not thrown: the
 * analysis goes on and the final status write tells the truth.
 *
 * @example
 * ```ts
 * const reporter = boundedProgress((p) => writeStatus(store, { ...status, progress: p }, clock.now()), { clock, minIntervalMs: 2000, logger });
 * reporter.report({ step: 'scanning rows', done: 256, total: 1024, unit: 'rows', percent: 25 });
 * await reporter.flush();
 * ```
 */
export function boundedProgress(
  write: (progress: JobProgress) => Promise<unknown>,
  deps: { clock: { now(): number }; minIntervalMs: number; logger?: Logger },
): ProgressReporter {
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let last = '';
  let inFlight: Promise<void> | undefined;
  let writes = 0;
  return {
    report(progress) {
      const now = deps.clock.now();
      const key = `${progress.percent} ${progress.step}`;
      if (inFlight || key === last || now - lastWriteAt < deps.minIntervalMs) return;
      lastWriteAt = now;
      last = key;
      writes++;
      inFlight = write(progress)
        .then(() => undefined)
        .catch((error: Error) => deps.logger?.warn('progress write failed; the analysis goes on', { error: error.message }))
        .finally(() => {
          inFlight = undefined;
        });
    },
    async flush() {
      await inFlight;
    },
    get writes() {
      return writes;
    },
  };
}

/** Percent over a whole job of `units` equal parts, `part` done plus `fraction` of the next. */
export function percentOf(part: number, units: number, fraction = 0): number {
  if (units <= 0) return 0;
  return Math.min(100, Math.round(((part + Math.min(1, Math.max(0, fraction))) / units) * 1000) / 10);
}
