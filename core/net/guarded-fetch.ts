import { OutboundBlockedError, ResponseTooLargeError } from '../errors.js';
import type { Fetch } from '../ports/fetch.js';
import type { OutboundPolicy } from './outbound-policy.js';
import { redactUrl } from './outbound-policy.js';
import { concatBytes } from '../bytes.js';

/** Default time for one request, headers and body together. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Redirects followed (each checked against the policy) before giving up. */
const MAX_REDIRECTS = 5;

/** `fetch` with the outbound policy applied to every URL it touches, redirects included. */
export type GuardedFetch = (url: string, init?: RequestInit & { timeoutMs?: number }) => Promise<Response>;

/**
 * Wraps `fetch` so that every request, and every redirect it answers with, passes `policy`,
 * and each request (body included) ends after `timeoutMs` (a `TimeoutError`) or when the
 * caller's signal aborts. Redirects are followed by hand so their targets are checked too.
 *
 * @example
 * ```ts
 * const get = guardFetch(fetch, new OutboundPolicy(['127.0.0.1']).trust(catalogUrl));
 * const response = await get(`${catalogUrl}/search`, { method: 'POST', body, signal });
 * ```
 */
export function guardFetch(fetch: Fetch, policy: OutboundPolicy, defaults: { timeoutMs?: number } = {}): GuardedFetch {
  return async (url, init = {}) => {
    const { timeoutMs = defaults.timeoutMs ?? REQUEST_TIMEOUT_MS, ...request } = init;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let current = policy.check(url).toString();
    let method = request.method ?? 'GET';
    let body = request.body;
    for (let hop = 0; ; hop++) {
      const response = await fetch(current, { ...request, method, body, signal, redirect: 'manual' });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (!location) return response;
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new OutboundBlockedError(`${redactUrl(url)} redirected more than ${MAX_REDIRECTS} times`);
      current = policy.check(new URL(location, current).toString()).toString();
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
    }
  };
}

/**
 * The body of `response`, refusing (and cancelling) one longer than `maxBytes`, whether or not
 * the server declared its length.
 */
export async function readBodyCapped(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const tooLarge = () => new ResponseTooLargeError(`${what} is larger than ${maxBytes} bytes; refusing to read it`, { maxBytes });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : concatBytes(chunks);
}
