import { InvalidRequestError } from '../errors';

/** Longest key every supported store accepts (S3 and Cloud Storage: 1024 bytes of UTF-8). */
export const MAX_KEY_BYTES = 1024;

/** Where imagery is uploaded (docs/design.md, "Storage layout"): the only prefix uploads may write, and the only one analysed on arrival. */
export const UPLOAD_PREFIX = 'uploads/';

// C0 controls, DEL and C1 controls: invisible in logs and refused or mangled by some stores.
 
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

// A lone UTF-16 surrogate has no UTF-8 form, so the key could not round-trip through a store.
const LONE_SURROGATE = /\p{Surrogate}/u;

const encoder = new TextEncoder();

/** Shows a key in a message without flooding it: quoted, escaped, at most 80 characters. */
function quote(key: string): string {
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key);
}

function reject(what: 'key' | 'prefix', value: string, reason: string): never {
  throw new InvalidRequestError(`${what} ${quote(value)} ${reason}`, { [what]: value });
}

/** Checks everything except emptiness and the trailing separator, which differ for prefixes. */
function checkCommon(what: 'key' | 'prefix', value: string, segments: string[]): void {
  const bytes = encoder.encode(value).length;
  if (bytes > MAX_KEY_BYTES) {
    reject(what, value, `is ${bytes} bytes long; the limit is ${MAX_KEY_BYTES} bytes of UTF-8`);
  }
  if (value.startsWith('/')) reject(what, value, 'must not start with \'/\'; write it relative, e.g. "uploads/a.tif"');
  if (value.includes('\\')) reject(what, value, "must not contain '\\'; separate folders with '/'");
  if (CONTROL_CHARACTER.test(value)) reject(what, value, 'must not contain control characters or NUL');
  if (LONE_SURROGATE.test(value)) reject(what, value, 'must be valid Unicode (it has a lone surrogate)');
  for (const segment of segments) {
    if (segment === '') reject(what, value, "must not contain an empty segment ('//')");
    if (segment === '.' || segment === '..') reject(what, value, `must not contain a '${segment}' segment`);
  }
}

/**
 * Returns `key` when it is a key every store can hold and no store can misread as a path
 * outside its root; throws `InvalidRequestError` saying what to change otherwise.
 *
 * A key is 1–1024 bytes of UTF-8, `/`-separated, with no leading `/`, no `\`, no empty, `.` or
 * `..` segment and no control characters. Spaces, `+` and non-ASCII characters are fine.
 *
 * @example
 * ```ts
 * validateKey('uploads/Monterey 2024-08-01.tif'); // 'uploads/Monterey 2024-08-01.tif'
 * validateKey('../secrets'); // throws InvalidRequestError: key "../secrets" must not contain a '..' segment
 * ```
 */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidRequestError('key must not be empty; give the object\'s path, e.g. "uploads/scene.tif"', { key });
  }
  if (key.endsWith('/')) reject('key', key, "must not end with '/'; it names a folder, not an object");
  checkCommon('key', key, key.split('/'));
  return key;
}

/**
 * Returns `prefix` when it is a valid list prefix; throws `InvalidRequestError` otherwise.
 * Same rules as {@link validateKey}, except that `''` (everything) and a trailing `/` are allowed.
 *
 * @example
 * ```ts
 * validatePrefix('results/'); // 'results/'
 * validatePrefix('');         // ''
 * validatePrefix('/results'); // throws InvalidRequestError
 * ```
 */
export function validatePrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new InvalidRequestError('prefix must be a string', { prefix });
  if (prefix === '') return prefix;
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (body === '') reject('prefix', prefix, "must not start with '/'; use '' to list everything");
  checkCommon('prefix', prefix, body.split('/'));
  return prefix;
}

/**
 * Orders keys the way object stores list them: by Unicode code point, which is the same as
 * comparing their UTF-8 bytes (plain `<` compares UTF-16 units and differs above U+FFFF).
 *
 * @example
 * ```ts
 * ['b', 'a/x', 'a-x'].sort(compareKeys); // ['a-x', 'a/x', 'b']
 * ```
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // skip the low surrogate of a pair already compared
  }
  return a.length - b.length;
}

/** Most items in one list page when the caller does not say (S3's own maximum). */
export const DEFAULT_LIST_LIMIT = 1000;

/**
 * Returns the page size to use: `limit` when it is a whole number >= 1, 1000 when undefined;
 * throws `InvalidRequestError` otherwise.
 *
 * @example
 * ```ts
 * validateListLimit(undefined); // 1000
 * ```
 */
export function validateListLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new InvalidRequestError(`list limit must be a whole number >= 1; got ${limit}`, { limit });
  }
  return limit;
}

/**
 * Throws `InvalidRequestError` unless `offset` and `length` are whole numbers >= 0.
 *
 * @example
 * ```ts
 * validateRange(0, 16_384); // ok
 * ```
 */
export function validateRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new InvalidRequestError(`byte range needs whole numbers >= 0; got offset ${offset}, length ${length}`, {
      offset,
      length,
    });
  }
}

/**
 * A list cursor for stores that page by key: the last key returned, base64url-encoded so
 * callers treat it as opaque. {@link decodeKeyCursor} reverses it.
 *
 * @example
 * ```ts
 * decodeKeyCursor(encodeKeyCursor('results/a/result.json')); // 'results/a/result.json'
 * ```
 */
export function encodeKeyCursor(lastKey: string): string {
  const binary = String.fromCharCode(...encoder.encode(lastKey));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The last key inside a cursor from {@link encodeKeyCursor}; `InvalidRequestError` for anything else. */
export function decodeKeyCursor(cursor: string): string {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const key = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    if (encodeKeyCursor(validateKey(key)) === cursor) return key;
  } catch {
    // fall through to the one message below
  }
  throw new InvalidRequestError('list cursor is not one this store returned; list again without a cursor', {
    cursor,
  });
}
