import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError, RouteNotFoundError } from '../../../core/api/http-errors.js';
import { type Route, Router } from '../../../core/api/router.js';

const route = (method: Route['method'], pattern: string): Route => ({ method, pattern, auth: false, handle: async () => ({ status: 200, headers: {}, body: pattern }) });

const router = new Router([
  route('GET', '/health'),
  route('GET', '/api/analyses'),
  route('POST', '/api/analyses'),
  route('GET', '/api/analyses/{id}'),
  route('GET', '/api/analyses/{id}/{artifact+}'),
]);

describe('Router', () => {
  it.each([
    ['GET', '/health', '/health', {}],
    ['POST', '/api/analyses', '/api/analyses', {}],
    ['GET', '/api/analyses/abc', '/api/analyses/{id}', { id: 'abc' }],
    ['GET', '/api/analyses/abc/kelp-mask.tif', '/api/analyses/{id}/{artifact+}', { id: 'abc', artifact: 'kelp-mask.tif' }],
    ['GET', '/api/analyses/abc/layers/rgb.png', '/api/analyses/{id}/{artifact+}', { id: 'abc', artifact: 'layers/rgb.png' }],
    ['GET', '/api/analyses/a%20b', '/api/analyses/{id}', { id: 'a b' }],
  ])('%s %s matches %s', (method, path, pattern, params) => {
    const match = router.match(method, path);
    expect(match.route.pattern).toBe(pattern);
    expect(match.params).toEqual(params);
  });

  it('answers 404 for an unknown path', () => {
    expect(() => router.match('GET', '/nowhere')).toThrowError(RouteNotFoundError);
    expect(() => router.match('GET', '/api/analyses/')).toThrowError(RouteNotFoundError);
  });

  it('answers 405 naming the allowed methods for a known path', () => {
    expect(() => router.match('DELETE', '/api/analyses')).toThrowError(MethodNotAllowedError);
    expect(() => router.match('DELETE', '/api/analyses')).toThrowError(/use GET or POST/);
  });

  it('labels metrics by pattern, never by raw path', () => {
    expect(router.label('GET', '/api/analyses/0123456789abcdef0123')).toBe('/api/analyses/{id}');
    expect(router.label('GET', '/random/path')).toBe('unmatched');
  });
});
