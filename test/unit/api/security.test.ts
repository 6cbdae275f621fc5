import { describe, expect, it } from 'vitest';
import { constantTimeEqual, corsHeaders, isAuthorized, securityHeaders } from '../../../core/api/security.js';
import type { ApiRequest } from '../../../core/api/types.js';

const request = (headers: Record<string, string> = {}, protocol?: 'http' | 'https'): ApiRequest => ({
  method: 'GET',
  path: '/health',
  query: {},
  headers,
  requestId: 'r',
  protocol,
});

describe('API keys', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
    ['kelp-ü', 'kelp-ü', true],
  ])('constantTimeEqual(%j, %j) is %s', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });

  it('accepts any configured key and refuses a missing one', () => {
    const keys = ['first-key-0123456789', 'second-key-0123456789'];
    expect(isAuthorized('second-key-0123456789', keys)).toBe(true);
    expect(isAuthorized('third-key-0123456789', keys)).toBe(false);
    expect(isAuthorized(undefined, keys)).toBe(false);
  });
});

describe('response headers', () => {
  it('sends nosniff, frame deny and a referrer policy, and HSTS only over https', () => {
    expect(securityHeaders(request())).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    expect(securityHeaders(request())).not.toHaveProperty('strict-transport-security');
    expect(securityHeaders(request({}, 'https'))).toHaveProperty('strict-transport-security');
  });

  it('allows CORS for a configured origin only', () => {
    const allowed = ['https://maps.example.org'];
    expect(corsHeaders(request({ origin: 'https://maps.example.org' }), allowed)).toMatchObject({
      'access-control-allow-origin': 'https://maps.example.org',
      vary: 'Origin',
    });
    expect(corsHeaders(request({ origin: 'https://evil.example.com' }), allowed)).toEqual({});
    expect(corsHeaders(request({}), allowed)).toEqual({});
  });
});
