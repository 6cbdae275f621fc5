import { DeadlineExceededError } from '../../core/errors.js';
import type { CallOptions } from '../../core/ports/blob-store.js';
import { validateKey } from '../../core/storage/keys.js';

/** Throws `DeadlineExceededError` when the caller's signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, op: string, key: string): void {
  if (signal?.aborted) throw new DeadlineExceededError(`${op} of ${JSON.stringify(key)} was aborted`, { op, key });
}

/**
 * What every cloud store does around one SDK call: validate the key, check the deadline, run the
 * request with the caller's signal, and map any failure with the store's own `toError`.
 *
 * @example
 * ```ts
 * await callStore('delete', key, options, (signal) => client.send(command, { abortSignal: signal }), toStoreError);
 * ```
 */
export async function callStore<T, Op extends string>(
  op: Op,
  key: string,
  options: CallOptions | undefined,
  run: (signal?: AbortSignal) => Promise<T>,
  toError: (error: unknown, op: Op, key: string, signal?: AbortSignal) => unknown,
): Promise<T> {
  validateKey(key);
  throwIfAborted(options?.signal, op, key);
  try {
    return await run(options?.signal);
  } catch (error) {
    throw toError(error, op, key, options?.signal);
  }
}
