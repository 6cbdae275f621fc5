import { isTransient } from './http-status.js';

/** How a request is retried. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First delay, doubled each retry, in milliseconds (default 250). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Waits `ms` or rejects when `signal` aborts; injected by tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1); injected by tests. */
  random?: () => number;
  /** Which errors to retry; default: `isTransient`. */
  isRetryable?: (error: unknown) => boolean;
}

/** Default retry settings: 3 retries, 250 ms doubling up to 4 s, "equal jitter". */
const RETRY_DEFAULTS = { retries: 3, baseDelayMs: 250, maxDelayMs: 4000 } as const;

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `task` until it succeeds, fails with an error that is not retryable, or has failed
 * `retries + 1` times; waits with exponential backoff and jitter between attempts. The
 * caller's `signal` stops the waiting and is checked before every attempt.
 *
 * @example
 * ```ts
 * const bytes = await withRetries(() => fetchRange(url, 0, 16_384, signal), { signal });
 * ```
 */
export async function withRetries<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal; onRetry?: (error: unknown, attempt: number) => void } = {},
): Promise<T> {
  const { retries, baseDelayMs, maxDelayMs } = { ...RETRY_DEFAULTS, ...stripUndefined(options) };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const retryable = options.isRetryable ?? isTransient;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw options.signal.reason;
    try {
      return await task(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (attempt >= retries || !retryable(error)) throw error;
      options.onRetry?.(error, attempt + 1);
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      await sleep(ceiling / 2 + (random() * ceiling) / 2, options.signal);
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
