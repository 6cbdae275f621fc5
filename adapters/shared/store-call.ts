import { DeadlineExceededError, PreconditionFailedError } from '../../core/errors.js';
import type { CallOptions, PutOptions } from '../../core/ports/blob-store.js';
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

/**
 * The one error of a refused conditional write, whichever store refused it: the key existed
 * (`ifNoneMatch: '*'`), or changed or went since it was read (`ifMatch`).
 *
 * @example
 * ```ts
 * if (exists) throw preconditionFailed(key, { ifNoneMatch: '*' });
 * ```
 */
export function preconditionFailed(key: string, options: Pick<PutOptions, 'ifNoneMatch' | 'ifMatch'> | undefined, cause?: unknown): PreconditionFailedError {
  const reason = options?.ifNoneMatch === '*' ? 'an object already exists there' : 'the object has changed or gone since it was read';
  return new PreconditionFailedError(`conditional write of ${JSON.stringify(key)} refused: ${reason}`, { key }, cause === undefined ? undefined : { cause });
}

/** Whether a put carries a condition. */
export function isConditional(options: Pick<PutOptions, 'ifNoneMatch' | 'ifMatch'> | undefined): boolean {
  return options?.ifNoneMatch === '*' || options?.ifMatch !== undefined;
}
