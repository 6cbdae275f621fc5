/**
 * A CloudEvent's `data` as an object. The Functions Framework parses a JSON body itself; a body in
 * another content type arrives as a string or bytes (JSON text), and anything else is undefined.
 *
 * @example
 * ```ts
 * eventData<{ bucket?: unknown }>(cloudEvent.data)?.bucket;
 * ```
 */
export function eventData<T extends object>(data: unknown): T | undefined {
  if (data instanceof Uint8Array) return eventData(new TextDecoder().decode(data));
  if (typeof data === 'string') {
    try {
      return eventData(JSON.parse(data));
    } catch {
      return undefined;
    }
  }
  return typeof data === 'object' && data !== null ? (data as T) : undefined;
}
