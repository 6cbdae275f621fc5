import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeOnce } from '../../../../adapters/shared/compose-once.js';
import { ConfigurationError } from '../../../../adapters/shared/errors.js';

describe('composeOnce', () => {
  afterEach(() => vi.restoreAllMocks());

  it('composes on first use only', () => {
    const compose = vi.fn(() => ({ ready: true }));
    const deps = composeOnce('test', compose);
    expect(compose).not.toHaveBeenCalled();
    expect(deps()).toBe(deps());
    expect(compose).toHaveBeenCalledTimes(1);
  });

  it('logs a failed composition once, at error level for every platform, and throws a ConfigurationError on every use', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const deps = composeOnce('test', () => {
      throw new Error('invalid configuration: KELPIE_BUCKET: missing');
    });
    expect(() => deps()).toThrow(ConfigurationError);
    expect(() => deps()).toThrow(/test is not configured correctly: invalid configuration: KELPIE_BUCKET/);
    expect(error).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(error.mock.calls[0][0]))).toMatchObject({ level: 'ERROR', severity: 'ERROR', service: 'test', message: expect.stringMatching(/^cannot start: /) });
  });
});
