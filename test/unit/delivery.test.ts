import { describe, expect, it } from 'vitest';
import { dispositionOf } from '../../core/delivery.js';
import { ConflictError, DeadlineExceededError, DependencyUnavailableError, ImageTooLargeError, InvalidRequestError, NotATiffError, NotFoundError } from '../../core/errors.js';

describe('the one table from a failure to what happens to its message', () => {
  // One error of every kind: retry what may pass, acknowledge a state that moved on, drop what would fail again.
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
