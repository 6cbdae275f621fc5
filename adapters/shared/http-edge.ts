/** Small pieces every HTTP adapter (Cloud Functions, Azure Functions, Lambda) shares at the platform edge. */
/** `http` or `https` from an `x-forwarded-proto` value (first hop), else `fallback`. */
export function forwardedProtocol(header: string | undefined, fallback?: 'http' | 'https'): 'http' | 'https' | undefined {
  const first = header?.split(',')[0].trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : fallback;
}

/** `path` without `prefix` (e.g. `/kelpie`), always starting with `/`; unchanged when it does not start with it. */
export function stripPathPrefix(path: string, prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  if (!trimmed || trimmed === '/') return path || '/';
  const normalized = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (path === normalized) return '/';
  return path.startsWith(`${normalized}/`) ? path.slice(normalized.length) : path;
}

/** `options` without its undefined fields, so spreading it over defaults keeps the defaults. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
