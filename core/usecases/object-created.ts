import { parseAnalysisOptions } from '../analysis/options.js';
import { dispositionOf } from '../delivery.js';
import { PreconditionFailedError, isKelpieError } from '../errors.js';
import type { AnalysisOptionsInput } from '../analysis/options.js';
import { UPLOAD_PREFIX } from '../storage/keys.js';
import { errorKey, indexKey } from './result-keys.js';
import { type AnalyzeObjectDeps, analyzeObject } from './analyze-object.js';
import { MANIFEST_NAME, objectForm } from './object-scene.js';

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

/** Uploads directly under `UPLOAD_PREFIX` with these suffixes are analysed (a GeoTIFF, a zipped .SAFE). */
const SCENE_SUFFIX = /\.(tiff?|zip)$/i;

/**
 * The options an upload is analysed with: the defaults, plus the true-colour layer so a map can
 * show the image under the kelp. The web map asks for the same by default, so an image it
 * uploads (which the trigger analyses too) gets one analysis, not two.
 */
export const UPLOAD_ANALYSIS_OPTIONS: AnalysisOptionsInput = { layers: ['rgb'] };

/**
 * Why `key` is not an upload to analyse, or undefined when it is one: `uploads/<name>.tif`,
 * `.tiff` or `.zip` (a zipped .SAFE), or `uploads/<folder>/manifest.json` (a folder of band
 * files, complete). The band files of a folder are not analysed one by one: their manifest is.
 */
export function notAnUpload(key: string): string | undefined {
  if (!key.startsWith(UPLOAD_PREFIX)) return `not an upload: only objects under ${UPLOAD_PREFIX} are analysed`;
  const inFolder = key.slice(UPLOAD_PREFIX.length).includes('/');
  if (inFolder && objectForm(key) === 'manifest') return undefined;
  if (!inFolder && SCENE_SUFFIX.test(key)) return undefined;
  return inFolder
    ? `part of a folder upload: the folder is analysed when its ${MANIFEST_NAME} arrives`
    : `not an upload: only ${UPLOAD_PREFIX}*.tif, *.tiff and *.zip (a zipped .SAFE) are analysed, and folders by their ${MANIFEST_NAME}`;
}

/**
 * Analyses a newly uploaded image once, whatever the delivery semantics. The analysis id
 * derives from the store, key, etag and options, so a re-delivered event finds the finished
 * result and does nothing. A failure the table of `core/delivery.ts` drops (not a TIFF, a band
 * missing, too large) writes `results/<id>/error.json` and is rejected: retrying cannot help.
 * An object changed or deleted since the event is ignored. Anything else (store down, deadline,
 * a bug) is thrown, for the caller to hand back to the platform.
 *
 * @example
 * ```ts
 * const outcome = await handleObjectCreated({ store: 's3', bucket: 'imagery', key: 'uploads/a.tif', etag: '"9b2c"' }, deps);
 * ```
 */
export async function handleObjectCreated(event: ObjectCreated, deps: AnalyzeObjectDeps): Promise<ObjectCreatedOutcome> {
  const ignored = notAnUpload(event.key);
  if (ignored) return { kind: 'ignored', reason: ignored };
  try {
    // Uploads are analysed with UPLOAD_ANALYSIS_OPTIONS. analyzeObject logs a reused analysis;
    // the trigger logs every outcome once.
    const command = { key: event.key, options: parseAnalysisOptions(UPLOAD_ANALYSIS_OPTIONS), ...(event.etag ? { expectedEtag: event.etag } : {}) };
    const { result, reused } = await analyzeObject(command, deps);
    return reused ? { kind: 'duplicate', id: result.id } : { kind: 'analysed', id: result.id };
  } catch (error) {
    // The object changed, or is gone, since the event: the newer event (or none) is the one to act on.
    const gone = isKelpieError(error) && error.kind === 'not-found' && !error.details?.analysisId;
    if (dispositionOf(error) === 'acknowledge' || gone) return { kind: 'ignored', reason: (error as Error).message };
    if (!isKelpieError(error) || dispositionOf(error) !== 'drop' || !('analysisId' in (error.details ?? {}))) throw error;
    const id = String(error.details?.analysisId);
    const at = new Date(deps.clock.now()).toISOString();
    const record = { id, key: event.key, bucket: event.bucket, etag: event.etag, code: error.code, message: error.message, at };
    // Recorded once (create-if-absent): a re-delivery, even a concurrent one, finds it recorded.
    const recorded = await deps.resultStore
      .put(errorKey(id), JSON.stringify(record, null, 2), { contentType: 'application/json', signal: deps.signal, ifNoneMatch: '*' })
      .then(() => false, (putError: unknown) => {
        if (putError instanceof PreconditionFailedError) return true;
        throw putError;
      });
    // Listed with the analyses (once), so the user finds the upload and its reason.
    const entry = { id, createdAt: at, status: 'failed', kind: 'scene', source: { uri: event.key }, error: { code: error.code, message: error.message } };
    if (!recorded) await deps.resultStore.put(indexKey({ id, createdAt: at }), JSON.stringify(entry), { contentType: 'application/json', signal: deps.signal });
    return { kind: 'rejected', id, code: error.code, message: error.message };
  }
}
