import type { CloudEvent } from '@google-cloud/functions-framework';
import { UnrecognizedEventError } from '../shared/errors.js';
import type { UploadTriggerInput } from '../shared/upload-trigger.js';
import { eventData } from './event-data.js';

/** The Cloud Storage fields of a storage CloudEvent's `data` (`StorageObjectData`) that we read. */
interface StorageObjectData {
  bucket?: unknown;
  /** The object name as it is (not URL-encoded). */
  name?: unknown;
  /** Bytes, as a decimal string (int64 in JSON). */
  size?: unknown;
  /** The object's etag; the store's `head` gives the same value, so it identifies this version. */
  etag?: unknown;
}

/** The storage event type that means "an object was written". */
const GCS_OBJECT_FINALIZED = 'google.cloud.storage.object.v1.finalized';

/** Why each other Cloud Storage event type is not an upload (a trigger misconfigured to send them). */
const NOT_AN_UPLOAD: Record<string, string> = {
  'google.cloud.storage.object.v1.deleted': 'an object was deleted',
  'google.cloud.storage.object.v1.archived': 'an object version was archived',
  'google.cloud.storage.object.v1.metadataUpdated': 'only the metadata of an object changed',
};

/**
 * The `ObjectCreated` command of a Cloud Storage CloudEvent, as Eventarc delivers it to a
 * Functions Framework `cloudEvent` function (binary or structured mode give the same object):
 * `google.cloud.storage.object.v1.finalized` with `data.bucket`, `data.name` (not URL-encoded),
 * `data.size` (a string) and `data.etag`. Any other type is `{ ignored }` with the reason; data
 * without a bucket and name is `{ unreadable }`.
 *
 * @example
 * ```ts
 * fromStorageCloudEvent(event); // { command: { store: 'gcs', bucket: 'imagery', key: 'uploads/a b.tif', size: 1024, etag: 'CJ+…', eventTime }, eventId }
 * ```
 */
export function fromStorageCloudEvent(event: CloudEvent<unknown>): UploadTriggerInput {
  const eventId = event.id;
  if (event.type !== GCS_OBJECT_FINALIZED) {
    return { ignored: NOT_AN_UPLOAD[event.type] ?? `not a Cloud Storage upload event (type ${JSON.stringify(event.type)})`, eventId };
  }
  const data = eventData<StorageObjectData>(event.data);
  if (typeof data?.bucket !== 'string' || typeof data.name !== 'string' || !data.bucket || !data.name) {
    return { unreadable: new UnrecognizedEventError('the storage event has no data.bucket and data.name'), eventId };
  }
  const size = Number(data.size);
  return {
    command: {
      store: 'gcs',
      bucket: data.bucket,
      key: data.name,
      ...(data.size !== undefined && Number.isSafeInteger(size) ? { size } : {}),
      ...(typeof data.etag === 'string' && data.etag ? { etag: data.etag } : {}),
      ...(event.time ? { eventTime: event.time } : {}),
    },
    eventId,
  };
}
