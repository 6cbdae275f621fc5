import type { CloudEvent } from '@google-cloud/functions-framework';
import { loadEvent } from './events.js';

/** A binary-mode CloudEvent HTTP request as stored in events/gcp: `ce-*` headers and the data as the body. */
export interface BinaryCloudEventRequest {
  headers: Record<string, string>;
  body: unknown;
}

/**
 * The CloudEvent a Functions Framework `cloudEvent` function receives for a payload in events/:
 * a structured event as it is; a binary one (`{ headers, body }`) with its `ce-*` headers as
 * attributes and the body as `data`, as the framework's `getBinaryCloudEventContext` builds it.
 *
 * @example
 * ```ts
 * const event = loadCloudEvent('gcp/storage-finalized-binary.json');
 * ```
 */
export function loadCloudEvent(name: string): CloudEvent<unknown> {
  const payload = loadEvent<Record<string, unknown>>(name);
  if (!('headers' in payload)) return payload as unknown as CloudEvent<unknown>;
  const { headers, body } = payload as unknown as BinaryCloudEventRequest;
  const attributes = Object.fromEntries(
    Object.entries(headers)
      .filter(([header]) => header.startsWith('ce-'))
      .map(([header, value]) => [header.slice(3), value]),
  );
  return { ...attributes, data: body } as unknown as CloudEvent<unknown>;
}
