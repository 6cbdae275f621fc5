/** How the filesystem store maps fs errors into the core's error hierarchy. */
import * as errors from '../../core/errors';

/** A store operation, named in error messages and details. */
export type Op = 'head' | 'get' | 'getRange' | 'put' | 'list' | 'copy' | 'delete';

/** No object there: the key names a folder, or a parent is missing or is an object. */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
/** A write would turn an object into a folder or the reverse (`a` and `a/b` cannot both exist). */
const CLASH = new Set(['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY']);

export function quote(key: string): string {
  return JSON.stringify(key);
}

export function codeOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

export function throwIfAborted(signal: AbortSignal | undefined, op: Op, key: string): void {
  if (signal?.aborted) throw new errors.DeadlineExceededError(`${op} of ${quote(key)} was aborted`, { op, key });
}

/** A `.catch` handler that maps the error. */
export function rethrow(op: Op, key: string): (error: unknown) => never {
  return (error) => {
    throw toStoreError(error, op, key);
  };
}

/** A `.catch` handler that answers `fallback` when there is no object, and maps anything else. */
export function orMissing<T>(op: Op, key: string, fallback: T): (error: unknown) => T {
  return (error) => {
    if (MISSING.has(codeOf(error))) return fallback;
    throw toStoreError(error, op, key);
  };
}

/** Maps an fs error into the hierarchy. Messages name the key and errno code, never a path. */
export function toStoreError(error: unknown, op: Op, key: string): Error {
  const code = codeOf(error);
  const details = { op, key };
  if (error instanceof errors.KelpieError) return error;
  if (code === 'ABORT_ERR' || (error as Error | null)?.name === 'AbortError') {
    return new errors.DeadlineExceededError(`${op} of ${quote(key)} was aborted`, details);
  }
  if (CLASH.has(code) && (op === 'put' || op === 'copy')) {
    const message = `key ${quote(key)} clashes with an existing object or folder: the file store cannot hold "a" and "a/b"`;
    return new errors.InvalidRequestError(message, details);
  }
  if (MISSING.has(code) && (op === 'get' || op === 'getRange' || op === 'copy')) {
    return new errors.NotFoundError(`no object at key ${quote(key)}`, { key });
  }
  if (code === 'ENAMETOOLONG') {
    return new errors.InvalidRequestError(`key ${quote(key)} has a segment longer than the file system allows`, details);
  }
  const reason = code ? ` (${code})` : '';
  return new errors.DependencyUnavailableError(`file store could not ${op} ${quote(key)}${reason}`, { ...details, code }, {
    cause: error,
  });
}
