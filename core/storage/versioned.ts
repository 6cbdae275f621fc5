import { NotFoundError, PreconditionFailedError } from '../errors.js';
import type { BlobStore, CallOptions } from '../ports/blob-store.js';

/** A JSON document as read, with the etag a conditional write of it must match. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** The condition that replaces what was read: the version's etag, or "still absent" when nothing was. */
export type Expected = { etag: string } | 'absent';

/**
 * Reads a JSON document with its etag, or undefined when there is none. The head comes first, so
 * the etag is never newer than the bytes: a write conditioned on it can only fail spuriously
 * (and be decided again), never succeed over a version the caller has not seen.
 *
 * @example
 * ```ts
 * const current = await readVersioned<AnalysisStatus>(store, statusKey(id));
 * ```
 */
export async function readVersioned<T>(store: BlobStore, key: string, options: CallOptions = {}): Promise<Versioned<T> | undefined> {
  const info = await store.head(key, options);
  if (!info) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(await store.get(key, options))) as T;
    // A store without etags cannot take part in conditional writes; every store of this project has them.
    return { value, etag: info.etag ?? '' };
  } catch (error) {
    if (error instanceof NotFoundError) return undefined; // deleted between the two reads
    throw error;
  }
}

/**
 * Writes a JSON document only if it is still as read (`expected`): created where it was absent,
 * or replaced while it has the etag read. Answers the new version's etag, or undefined when
 * another writer got there first (the caller reads again and decides again).
 *
 * @example
 * ```ts
 * const etag = await writeVersioned(store, key, claim, current ? { etag: current.etag } : 'absent');
 * if (etag === undefined) return retry();
 * ```
 */
export async function writeVersioned(store: BlobStore, key: string, value: unknown, expected: Expected, options: CallOptions = {}): Promise<string | undefined> {
  const condition = expected === 'absent' ? { ifNoneMatch: '*' as const } : { ifMatch: expected.etag };
  try {
    const info = await store.put(key, JSON.stringify(value), { contentType: 'application/json', signal: options.signal, ...condition });
    return info.etag ?? '';
  } catch (error) {
    if (error instanceof PreconditionFailedError) return undefined;
    throw error;
  }
}
