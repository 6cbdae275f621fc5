import { isKelpieError } from '../errors.js';
import { resultPrefix } from './result-keys.js';
import { type AnalyzeObjectDeps, analyzeObject } from './analyze-object.js';

/** A neutral "an object was created" command, whatever platform event carried it. */
export interface ObjectCreated {
  /** `s3`, `gcs`, `azure` or `fs`. */
  store: string;
  bucket: string;
  /** The object key, already URL-decoded by the adapter. */
  key: string;
  size?: number;
  /** ETag or version (S3 versionId, GCS generation, Azure ETag). */
  etag?: string;
  eventTime?: string;
}

/** What happened to one event; adapters map it to ack, retry or drop. */
export type ObjectCreatedOutcome =
  | { kind: 'analysed'; id: string }
  | { kind: 'duplicate'; id: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; id: string; code: string; message: string };

/** Uploads under this prefix with these suffixes are analysed; everything else is ignored. */
export const UPLOAD_PREFIX = 'uploads/';
const TIFF_SUFFIX = /\.tiff?$/i;

/** Error kinds that will fail the same way on every retry: record them and acknowledge. */
const PERMANENT_KINDS = new Set(['unusable', 'invalid', 'too-large', 'not-found']);

/**
 * Analyses a newly uploaded image once, whatever the delivery semantics. The analysis id
 * derives from the store, key, etag and options, so a re-delivered event finds the finished
 * result and does nothing. An unusable image (not a TIFF, a band missing, too large) writes
 * `results/<id>/error.json` and is acknowledged: retrying cannot help. A transient failure
 * (store down, deadline) is thrown so the platform retries it.
 *
 * @example
 * ```ts
 * const outcome = await handleObjectCreated({ store: 's3', bucket: 'imagery', key: 'uploads/a.tif', etag: '"9b2c"' }, deps);
 * ```
 */
export async function handleObjectCreated(event: ObjectCreated, deps: AnalyzeObjectDeps): Promise<ObjectCreatedOutcome> {
  if (!event.key.startsWith(UPLOAD_PREFIX) || !TIFF_SUFFIX.test(event.key)) {
    const reason = `not an upload: only ${UPLOAD_PREFIX}*.tif and *.tiff are analysed`;
    deps.logger.info('object ignored', { key: event.key, bucket: event.bucket, reason });
    return { kind: 'ignored', reason };
  }
  try {
    // analyzeObject logs a reused analysis; the trigger adapters log every outcome once.
    const { result, reused } = await analyzeObject({ key: event.key, ...(event.etag ? { expectedEtag: event.etag } : {}) }, deps);
    return reused ? { kind: 'duplicate', id: result.id } : { kind: 'analysed', id: result.id };
  } catch (error) {
    if (isKelpieError(error) && (error.kind === 'conflict' || (error.kind === 'not-found' && !error.details?.analysisId))) {
      deps.logger.info('object superseded; ignored', { key: event.key, reason: error.message });
      return { kind: 'ignored', reason: error.message };
    }
    if (!isKelpieError(error) || !PERMANENT_KINDS.has(error.kind) || !('analysisId' in (error.details ?? {}))) throw error;
    const id = String(error.details?.analysisId);
    const record = { id, key: event.key, bucket: event.bucket, etag: event.etag, code: error.code, message: error.message, at: new Date(deps.clock.now()).toISOString() };
    await deps.resultStore.put(`${resultPrefix(id)}error.json`, JSON.stringify(record, null, 2), { contentType: 'application/json', signal: deps.signal });
    deps.logger.warn('upload cannot be analysed; recorded, not retried', { id, key: event.key, code: error.code });
    return { kind: 'rejected', id, code: error.code, message: error.message };
  }
}
