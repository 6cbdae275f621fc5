import type { ApiRequest } from './types.js';

/**
 * Compares two strings in time that depends only on their lengths' maximum, not on where they
 * first differ, so a key cannot be guessed byte by byte from response times.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const length = Math.max(x.length, y.length);
  let difference = x.length ^ y.length;
  for (let i = 0; i < length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return difference === 0;
}

/** True when `presented` matches one of `keys` (every key is compared, whatever matches). */
export function isAuthorized(presented: string | undefined, keys: readonly string[]): boolean {
  if (presented === undefined) return false;
  let ok = false;
  for (const key of keys) ok = constantTimeEqual(presented, key) || ok;
  return ok;
}

/** Security headers on every response (docs/design.md): nosniff, frame deny, referrer policy, HSTS on https. */
export function securityHeaders(request: ApiRequest): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...(request.protocol === 'https' ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** CORS headers for a configured origin; nothing for any other. */
export function corsHeaders(request: ApiRequest, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': 'content-type, x-api-key, idempotency-key',
    'access-control-expose-headers': 'location, x-request-id',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}
