import { describe, expect, it } from 'vitest';
import { receiveError, sendError } from '../../../../adapters/workers/error-transfer.js';
import { CorruptImageError, MissingBandError, isKelpieError } from '../../../../core/errors.js';

/** Through structured clone, as a message between threads carries it. */
const acrossThreads = (error: unknown) => receiveError(structuredClone(sendError(error)));

describe('errors between threads', () => {
  it('keep the class, code, kind, message and details of a core error', () => {
    const error = acrossThreads(new CorruptImageError('B04.tif could not be decoded at rows 512–1024: the file is damaged', { rows: [512, 1024] }));
    expect(error).toBeInstanceOf(CorruptImageError);
    expect(isKelpieError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CORRUPT_IMAGE', kind: 'unusable', name: 'CorruptImageError', details: { rows: [512, 1024] } });
    expect(error.message).toBe('B04.tif could not be decoded at rows 512–1024: the file is damaged');
  });

  it('keep the own fields of errors built from arguments', () => {
    const error = acrossThreads(new MissingBandError(['B06'], ['B02', 'B04']));
    expect(error).toBeInstanceOf(MissingBandError);
    expect(error).toMatchObject({ missing: ['B06'], available: ['B02', 'B04'], code: 'MISSING_BAND' });
  });

  it('turn anything else into a plain Error with its name and message (a bug stays a bug)', () => {
    const error = acrossThreads(new TypeError('x is not a function'));
    expect(isKelpieError(error)).toBe(false);
    expect(error).toMatchObject({ name: 'TypeError', message: 'x is not a function' });
    expect(acrossThreads('thrown string').message).toBe('thrown string');
  });
});
