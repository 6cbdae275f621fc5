import { describe, expect, it } from 'vitest';
import { definedOnly, forwardedProtocol, stripPathPrefix } from '../../../../adapters/shared/http-edge.js';

describe('stripPathPrefix', () => {
  it.each([
    { path: '/health', prefix: undefined, expected: '/health' },
    { path: '/health', prefix: '', expected: '/health' },
    { path: '/health', prefix: '/', expected: '/health' },
    { path: '/api/health', prefix: '/api', expected: '/health' },
    { path: '/api/health', prefix: 'api', expected: '/health' },
    { path: '/api', prefix: '/api/', expected: '/' },
    { path: '/apis/x', prefix: '/api', expected: '/apis/x' },
    { path: '', prefix: '', expected: '/' },
  ])('turns $path with prefix "$prefix" into $expected', ({ path, prefix, expected }) => {
    expect(stripPathPrefix(path, prefix)).toBe(expected);
  });
});

describe('forwardedProtocol', () => {
  it.each([
    { header: 'https', fallback: undefined, expected: 'https' },
    { header: 'HTTPS, http', fallback: 'http' as const, expected: 'https' },
    { header: 'http', fallback: 'https' as const, expected: 'http' },
    { header: 'gopher', fallback: 'http' as const, expected: 'http' },
    { header: undefined, fallback: undefined, expected: undefined },
  ])('reads "$header" (fallback $fallback) as $expected', ({ header, fallback, expected }) => {
    expect(forwardedProtocol(header, fallback)).toBe(expected);
  });
});

describe('definedOnly', () => {
  it('drops undefined fields so defaults survive a spread', () => {
    const defaults = { timeoutMs: 60_000, basePath: '' };
    expect({ ...defaults, ...definedOnly({ timeoutMs: undefined, basePath: '/k' }) }).toEqual({ timeoutMs: 60_000, basePath: '/k' });
  });
});
