import { readFileSync } from 'node:fs';

const EVENTS_DIR = new URL('../../events/', import.meta.url);

/**
 * A sample platform payload from `events/` (see events/README.md for where each shape comes
 * from), parsed fresh on every call so a test may change it freely.
 *
 * @example
 * ```ts
 * const event = loadEvent<APIGatewayProxyEventV2>('aws/http-v2-get-health.json');
 * ```
 */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, EVENTS_DIR), 'utf8')) as T;
}
