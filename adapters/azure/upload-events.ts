import type { InvocationContext } from '@azure/functions';
import { UnrecognizedEventError } from '../shared/errors.js';
import type { UploadTriggerInput } from '../shared/upload-trigger.js';
import { blobLocationFromUrl } from './blob-url.js';

/** The Event Grid event type for a new or replaced blob (Put Blob, Put Block List, Copy Blob, Flush). */
const BLOB_CREATED = 'Microsoft.Storage.BlobCreated';

/** The `data` of a BlobCreated event, the fields we read. */
interface BlobCreatedData {
  /** The blob's URL; path segments are URL-encoded. */
  url?: unknown;
  /** The blob ETag, without quotes. */
  eTag?: unknown;
  contentLength?: unknown;
}

/** Where each field lives in the two schemas an Event Grid subscription can deliver. */
const SCHEMAS = [
  { name: 'Event Grid', detect: 'eventType', type: 'eventType', time: 'eventTime' },
  { name: 'CloudEvents 1.0', detect: 'specversion', type: 'type', time: 'time' },
] as const;

/**
 * The `ObjectCreated` command of an Event Grid `Microsoft.Storage.BlobCreated` event, in the
 * Event Grid schema (`eventType`, `eventTime`) or the CloudEvents 1.0 schema (`type`, `time`):
 * container and blob name from `data.url` (each path segment URL-decoded; Azurite's path-style
 * URLs too), `data.eTag`, `data.contentLength`. Other types are `{ ignored }`; a BlobCreated
 * event without a usable URL is `{ unreadable }`.
 *
 * @example
 * ```ts
 * fromEventGridEvent(event); // { command: { store: 'azure', bucket: 'imagery', key: 'uploads/a b.tif', etag: '0x8DC…', size: 1024 }, eventId }
 * ```
 */
export function fromEventGridEvent(event: unknown): UploadTriggerInput {
  const fields = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const eventId = typeof fields.id === 'string' ? fields.id : undefined;
  const schema = SCHEMAS.find((candidate) => typeof fields[candidate.detect] === 'string');
  if (!schema) return { unreadable: new UnrecognizedEventError('not an Event Grid or CloudEvents event'), eventId };
  const type = fields[schema.type];
  if (type !== BLOB_CREATED) return { ignored: `not a blob upload event (type ${JSON.stringify(type)})`, eventId };
  const data = (fields.data ?? {}) as BlobCreatedData;
  const location = typeof data.url === 'string' ? blobLocationFromUrl(data.url) : undefined;
  if (!location) return { unreadable: new UnrecognizedEventError(`the ${schema.name} event has no usable data.url`), eventId };
  const time = fields[schema.time];
  return {
    command: {
      store: 'azure',
      bucket: location.container,
      key: location.name,
      ...(typeof data.contentLength === 'number' && Number.isSafeInteger(data.contentLength) ? { size: data.contentLength } : {}),
      ...(typeof data.eTag === 'string' && data.eTag ? { etag: unquote(data.eTag) } : {}),
      ...(typeof time === 'string' ? { eventTime: time } : {}),
    },
    eventId,
  };
}

/** The blob properties in a blob trigger's metadata, camel-cased by the worker (`ETag` → `eTag`). */
interface BlobTriggerProperties {
  eTag?: unknown;
  contentLength?: unknown;
  /** The older storage extension's name for the size. */
  length?: unknown;
}

/**
 * The `ObjectCreated` command of a blob trigger invocation, from `context.triggerMetadata`:
 * `blobTrigger` (`<container>/<blob name>`, not encoded; else `uri`), `properties.eTag` (quotes
 * removed) and `properties.contentLength` (or `length`). Without a usable path it is `{ unreadable }`.
 *
 * @example
 * ```ts
 * fromBlobTrigger(context); // { command: { store: 'azure', bucket: 'imagery', key: 'uploads/a b.tif', etag: '0x8DC…' }, eventId }
 * ```
 */
export function fromBlobTrigger(context: Pick<InvocationContext, 'invocationId' | 'triggerMetadata'>): UploadTriggerInput {
  const metadata = context.triggerMetadata ?? {};
  const eventId = context.invocationId;
  const path = typeof metadata.blobTrigger === 'string' ? metadata.blobTrigger : '';
  const slash = path.indexOf('/');
  const location =
    slash > 0 && slash < path.length - 1
      ? { container: path.slice(0, slash), name: path.slice(slash + 1) }
      : typeof metadata.uri === 'string'
        ? blobLocationFromUrl(metadata.uri)
        : undefined;
  if (!location) return { unreadable: new UnrecognizedEventError('the blob trigger metadata has no blobTrigger path or uri'), eventId };
  const properties = (typeof metadata.properties === 'object' && metadata.properties !== null ? metadata.properties : {}) as BlobTriggerProperties;
  const size = properties.contentLength ?? properties.length;
  return {
    command: {
      store: 'azure',
      bucket: location.container,
      key: location.name,
      ...(typeof size === 'number' && Number.isSafeInteger(size) ? { size } : {}),
      ...(typeof properties.eTag === 'string' && properties.eTag ? { etag: unquote(properties.eTag) } : {}),
    },
    eventId,
  };
}

/** Blob ETags are compared without quotes (the store gives them so). */
function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}
