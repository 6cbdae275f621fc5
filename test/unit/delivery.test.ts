import { describe, expect, it } from 'vitest';
import { DISPOSITION_BY_KIND, dispositionOf } from '../../core/delivery.js';
import { ConflictError, DeadlineExceededError, DependencyUnavailableError, ImageTooLargeError, InvalidRequestError, NotATiffError, NotFoundError } from '../../core/errors.js';

describe('the one table from a failure to what happens to its message', () => {
  it('retries what may pass, acknowledges a state that moved on, drops what would fail again', () => {
    expect(DISPOSITION_BY_KIND).toEqual({
      unavailable: 'retry',
      timeout: 'retry',
      conflict: 'acknowledge',
      invalid: 'drop',
      unusable: 'drop',
      'not-found': 'drop',
      'too-large': 'drop',
    });
  });

  it.each([
    [new DependencyUnavailableError('S3 is down'), 'retry'],
    [new DeadlineExceededError('out of time'), 'retry'],
    [new ConflictError('the object changed since the event'), 'acknowledge'],
    [new NotATiffError('not a TIFF'), 'drop'],
    [new InvalidRequestError('bad key'), 'drop'],
    [new NotFoundError('gone'), 'drop'],
    [new ImageTooLargeError('too big'), 'drop'],
  ])('gives %s the disposition %s', (error, disposition) => {
    expect(dispositionOf(error)).toBe(disposition);
  });

  it('retries an error outside the hierarchy (a bug), so the dead-letter queue keeps the message', () => {
    expect(dispositionOf(new TypeError('x is undefined'))).toBe('retry');
    expect(dispositionOf('a string thrown')).toBe('retry');
  });
});
