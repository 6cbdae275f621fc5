/** Largest JSON body the API reads (docs/design.md, "HTTP API": 413 above 1 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A JSON response.
 *
 * @example
 * ```ts
 * return json(200, { status: 'ok' }, { 'cache-control': 'no-store' });
 * ```
 */
export function json(status: number, value: unknown, headers: Record<string, string> = {}) {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}
