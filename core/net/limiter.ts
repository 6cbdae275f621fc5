/** Runs async tasks with at most `concurrency` in flight. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now, and the most that ever ran at once. */
  readonly active: number;
  readonly peak: number;
}

/**
 * A counting semaphore for requests: one per analysis bounds the parallel range requests to
 * all of its band files together.
 *
 * @example
 * ```ts
 * const limiter = createLimiter(8);
 * const parts = await Promise.all(ranges.map((r) => limiter.run(() => fetchRange(r))));
 * ```
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const waiting: Array<() => void> = [];
  let active = 0;
  let peak = 0;
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return {
    get active() {
      return active;
    },
    get peak() {
      return peak;
    },
    async run(task) {
      if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      peak = Math.max(peak, active);
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
