import { isKelpieError } from '../errors.js';
import type { AnalysisOptionsInput } from '../analysis/options.js';
import { errorKey, indexKey } from './result-keys.js';
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

/**
 * The options an upload is analysed with: the defaults, plus the true-colour layer so a map can
 * show the image under the kelp. The web map asks for the same by default, so an image it
 * uploads (which the trigger analyses too) gets one analysis, not two.
 */
export const UPLOAD_ANALYSIS_OPTIONS: AnalysisOptionsInput = { layers: ['rgb'] };

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
    const { result, reused } = await analyzeObject({ key: event.key, options: UPLOAD_ANALYSIS_OPTIONS, ...(event.etag ? { expectedEtag: event.etag } : {}) }, deps);
    return reused ? { kind: 'duplicate', id: result.id } : { kind: 'analysed', id: result.id };
  } catch (error) {
    if (isKelpieError(error) && (error.kind === 'conflict' || (error.kind === 'not-found' && !error.details?.analysisId))) {
      deps.logger.info('object superseded; ignored', { key: event.key, reason: error.message });
      return { kind: 'ignored', reason: error.message };
    }
    if (!isKelpieError(error) || !PERMANENT_KINDS.has(error.kind) || !('analysisId' in (error.details ?? {}))) throw error;
    const id = String(error.details?.analysisId);
    const at = new Date(deps.clock.now()).toISOString();
    const record = { id, key: event.key, bucket: event.bucket, etag: event.etag, code: error.code, message: error.message, at };
    const recorded = await deps.resultStore.head(errorKey(id), { signal: deps.signal });
    await deps.resultStore.put(errorKey(id), JSON.stringify(record, null, 2), { contentType: 'application/json', signal: deps.signal });
    // Listed with the analyses (once: a re-delivery finds it recorded), so the user finds the upload and its reason.
    const entry = { id, createdAt: at, status: 'failed', kind: 'scene', source: { uri: event.key }, error: { code: error.code, message: error.message } };
    if (!recorded) await deps.resultStore.put(indexKey({ id, createdAt: at }), JSON.stringify(entry), { contentType: 'application/json', signal: deps.signal });
    deps.logger.warn('upload cannot be analysed; recorded, not retried', { id, key: event.key, code: error.code });
    return { kind: 'rejected', id, code: error.code, message: error.message };
  }
}
