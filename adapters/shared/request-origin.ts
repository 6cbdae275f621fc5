import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApiHandler } from '../../core/api/types.js';

const origins = new AsyncLocalStorage<string>();

/**
 * The origin (`http://host:port`) the current request was sent to, as its `Host` header and
 * protocol say; undefined outside {@link withRequestOrigin}. The local upload signer uses it so a
 * presigned URL points back at whatever address the client used (another port, a LAN name).
 */
export function currentRequestOrigin(): string | undefined {
  return origins.getStore();
}

/**
 * Wraps an API so that code running for a request can read its origin with
 * {@link currentRequestOrigin}; requests without a `Host` header run unchanged.
 *
 * @example
 * ```ts
 * const api = withRequestOrigin(createApi(deps));
 * ```
 */
export function withRequestOrigin(api: ApiHandler): ApiHandler {
  return (request) => {
    const host = request.headers.host;
    if (!host || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return api(request);
    return origins.run(`${request.protocol ?? 'http'}://${host}`, () => api(request));
  };
}
