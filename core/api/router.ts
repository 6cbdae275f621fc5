import { MethodNotAllowedError, RouteNotFoundError } from './http-errors.js';
import type { Route } from './types.js';

export type { Route, RouteContext } from './types.js';

/** A matcher over a routes table; `match` throws 404 or 405 with the allowed methods. */
export class Router {
  constructor(private readonly routes: readonly Route[]) {}

  match(method: string, path: string): { route: Route; params: Record<string, string> } {
    const segments = path.split('/').slice(1);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, segments);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length) throw new MethodNotAllowedError(`${method} is not allowed on ${path}; use ${allowed.join(' or ')}`, { allowed });
    throw new RouteNotFoundError(`no route for ${method} ${path}`);
  }

  /** The pattern of the route a path matches, for metrics labels (never the raw path). */
  label(method: string, path: string): string {
    try {
      return this.match(method, path).route.pattern;
    } catch {
      return 'unmatched';
    }
  }
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith('{') && part.endsWith('+}')) {
      if (i >= segments.length) return undefined;
      params[part.slice(1, -2)] = segments.slice(i).map(decode).join('/');
      return params;
    }
    if (i >= segments.length) return undefined;
    if (part.startsWith('{')) {
      if (!segments[i]) return undefined;
      params[part.slice(1, -1)] = decode(segments[i]);
    } else if (part !== segments[i]) {
      return undefined;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
