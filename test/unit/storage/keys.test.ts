import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../core/errors';
import {
  compareKeys,
  decodeKeyCursor,
  encodeKeyCursor,
  validateKey,
  validateListLimit,
  validatePrefix,
  validateRange,
} from '../../../core/storage/keys';

const GOOD_KEYS = [
  'uploads/scene.tif',
  'results/0f3a/layers/ndvi.png',
  'uploads/Monterey Bay 2024-08-01.tif',
  'uploads/a+b.tif',
  'uploads/海藻 é.tif',
  'uploads/😀.tif',
  '.hidden',
  'a/..b/c..',
  'é'.repeat(512), // 1024 bytes of UTF-8
];

/** Bad keys and a phrase the message must contain, so a user knows what to change. */
const BAD_KEYS: Array<[key: string, says: string]> = [
  ['', 'must not be empty'],
  ['x'.repeat(1025), '1025 bytes long; the limit is 1024'],
  ['é'.repeat(513), '1026 bytes long'],
  ['/uploads/a.tif', "must not start with '/'"],
  ['uploads\\a.tif', "must not contain '\\'"],
  ['../secrets', "'..' segment"],
  ['uploads/../../etc/passwd', "'..' segment"],
  ['uploads/./a.tif', "'.' segment"],
  ['.', "'.' segment"],
  ['uploads//a.tif', 'empty segment'],
  ['uploads/', "must not end with '/'"],
  ['uploads/a\u0000.tif', 'control characters or NUL'],
  ['uploads/a\n.tif', 'control characters'],
  ['uploads/a\u007f.tif', 'control characters'],
  ['uploads/\ud800.tif', 'lone surrogate'],
];

describe('validateKey', () => {
  it.each(GOOD_KEYS)('accepts %j', (key) => {
    expect(validateKey(key)).toBe(key);
  });

  it.each(BAD_KEYS)('rejects %j, saying %j', (key, says) => {
    expect(() => validateKey(key)).toThrow(InvalidRequestError);
    expect(() => validateKey(key)).toThrow(says);
  });

  it('shortens a long key in the message', () => {
    expect(() => validateKey(`/${'x'.repeat(2000)}`)).toThrow(/^key "\/x{76}\.\.\." is 2001 bytes long/);
  });
});

describe('validatePrefix', () => {
  it.each(['', 'results/', 'results', 'uploads/sc', 'backups/2024-08-01/'])('accepts %j', (prefix) => {
    expect(validatePrefix(prefix)).toBe(prefix);
  });

  it.each([
    ['/', "must not start with '/'"],
    ['/results/', "must not start with '/'"],
    ['results//', 'empty segment'],
    ['../', "'..' segment"],
    ['a\\b', "must not contain '\\'"],
    ['a\u0000', 'control characters'],
    ['x'.repeat(1025), 'limit is 1024'],
  ])('rejects %j, saying %j', (prefix, says) => {
    expect(() => validatePrefix(prefix)).toThrow(InvalidRequestError);
    expect(() => validatePrefix(prefix)).toThrow(says);
  });
});

describe('compareKeys', () => {
  it.each([
    ['a-b', 'a/a', -1], // '-' (0x2d) sorts before '/' (0x2f)
    ['a', 'a/b', -1],
    ['b', 'a/z', 1],
    ['same', 'same', 0],
    ['\uffff', '😀', -1], // code point order; UTF-16 units would put the emoji first
  ])('orders %j against %j as %i', (a, b, sign) => {
    expect(Math.sign(compareKeys(a, b))).toBe(sign);
  });
});

describe('key cursors', () => {
  it.each(['a', 'results/x y+z/é 海藻 😀.json'])('round-trips %j', (key) => {
    const cursor = encodeKeyCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeyCursor(cursor)).toBe(key);
  });

  it.each(['', 'not a cursor!', '////', encodeKeyCursor('a') + '='])('rejects the cursor %j', (cursor) => {
    expect(() => decodeKeyCursor(cursor)).toThrow(InvalidRequestError);
  });
});

describe('validateListLimit', () => {
  it('defaults to 1000', () => {
    expect(validateListLimit(undefined)).toBe(1000);
  });

  it.each([0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (limit) => {
    expect(() => validateListLimit(limit)).toThrow(InvalidRequestError);
  });
});

describe('validateRange', () => {
  it.each([
    [0, 0],
    [10, 16_384],
  ])('accepts offset %i, length %i', (offset, length) => {
    expect(() => validateRange(offset, length)).not.toThrow();
  });

  it.each([
    [-1, 10],
    [0, -1],
    [0.5, 1],
    [0, Number.NaN],
  ])('rejects offset %s, length %s', (offset, length) => {
    expect(() => validateRange(offset, length)).toThrow(InvalidRequestError);
  });
});
