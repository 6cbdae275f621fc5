/** Small pieces every HTTP adapter (Cloud Functions, Azure Functions) shares at the platform edge. */
import { setMaxListeners } from 'node:events';

/**
 * Listeners one deadline signal may carry before Node warns of a leak: an analysis has a store
 * read per tile in flight at once, each listening to the signal until it finishes.
 */
const MAX_SIGNAL_LISTENERS = 100;

/** A request's deadline: a signal that aborts before the platform would kill the function. */
export interface RequestDeadline {
  signal: AbortSignal;
  /** Aborts now (the client went away). */
  abort(reason?: unknown): void;
  /** Clears the timer; call when the response has been produced. */
  dispose(): void;
}

/**
 * Starts a deadline that aborts `marginMs` before `timeoutMs` (never sooner than half the
 * timeout), so the API answers 504 itself instead of the platform cutting the connection.
 *
 * @example
 * ```ts
 * const deadline = startDeadline(60_000, 2_000); // aborts after 58 s
 * try { return await api({ ...request, signal: deadline.signal }); } finally { deadline.dispose(); }
 * ```
 */
export function startDeadline(timeoutMs: number, marginMs: number): RequestDeadline {
  const controller = new AbortController();
  setMaxListeners(MAX_SIGNAL_LISTENERS, controller.signal);
  const budgetMs = Math.max(timeoutMs - marginMs, timeoutMs / 2);
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${budgetMs} ms`, 'TimeoutError')), budgetMs);
  timer.unref?.();
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => clearTimeout(timer),
  };
}

/** `http` or `https` from an `x-forwarded-proto` value (first hop), else `fallback`. */
export function forwardedProtocol(header: string | undefined, fallback?: 'http' | 'https'): 'http' | 'https' | undefined {
  const first = header?.split(',')[0].trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : fallback;
}

/** `path` without `prefix` (e.g. `/kelpie`), always starting with `/`; unchanged when it does not start with it. */
export function stripPathPrefix(path: string, prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  if (!trimmed || trimmed === '/') return path || '/';
  const normalized = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (path === normalized) return '/';
  return path.startsWith(`${normalized}/`) ? path.slice(normalized.length) : path;
}

/** `options` without its undefined fields, so spreading it over defaults keeps the defaults. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
