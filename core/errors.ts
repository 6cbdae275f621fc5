/**
 * One error hierarchy for the whole core. Core knows nothing of HTTP, exit codes or retries:
 * each error has a `kind`, and one table per outcome maps the kind: `core/api/http-errors.ts`
 * (the HTTP status), `core/delivery.ts` (acknowledge, retry or drop a message), the CLI's exit code.
 *
 * @example
 * ```ts
 * throw new MissingBandError(['B06'], ['B02', 'B04']);
 * ```
 */
export abstract class KelpieError extends Error {
  /** Stable machine-readable code, e.g. `MISSING_BAND`. */
  abstract readonly code: string;
  /** What kind of failure this is; adapters map it to a status, exit code or retry. */
  abstract readonly kind: ErrorKind;
  /** Extra facts a user can act on (band names, limits); safe to show. */
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    if (details) this.details = details;
  }
}

/**
 * - `invalid`: the request itself is malformed (bad option, bad band list).
 * - `unusable`: well-formed but the input cannot be analysed (not a TIFF, band missing).
 * - `not-found`: the object or analysis does not exist.
 * - `too-large`: over a configured limit.
 * - `conflict`: the state does not allow it.
 * - `unavailable`: a dependency is down; retrying later may work.
 * - `timeout`: a deadline passed; retrying may work.
 */
export type ErrorKind = 'invalid' | 'unusable' | 'not-found' | 'too-large' | 'conflict' | 'unavailable' | 'timeout';

/** A request option or argument is malformed. */
export class InvalidRequestError extends KelpieError {
  readonly code = 'INVALID_REQUEST';
  readonly kind = 'invalid';
}

/** The file is not a TIFF at all, is empty, or is truncated. */
export class NotATiffError extends KelpieError {
  readonly code = 'NOT_A_TIFF';
  readonly kind = 'unusable';
}

/** The TIFF is damaged: a tile or strip points past the end of the file, or fails to decode. */
export class CorruptImageError extends KelpieError {
  readonly code = 'CORRUPT_IMAGE';
  readonly kind = 'unusable';
}

/** The TIFF has no georeference (no geotransform or no CRS). */
export class MissingGeoreferenceError extends KelpieError {
  readonly code = 'MISSING_GEOREFERENCE';
  readonly kind = 'unusable';
}

/** The CRS is not one the analysis can measure area in. */
export class UnsupportedCrsError extends KelpieError {
  readonly code = 'UNSUPPORTED_CRS';
  readonly kind = 'unusable';
}

/** The image uses a compression, sample format or layout we do not read. */
export class UnsupportedFormatError extends KelpieError {
  readonly code = 'UNSUPPORTED_FORMAT';
  readonly kind = 'unusable';
}

/** Reference labels that cannot be scored against a scene: not GeoJSON or a label raster, no overlap, wrong size. */
export class UnusableLabelsError extends KelpieError {
  readonly code = 'UNUSABLE_LABELS';
  readonly kind = 'unusable';
}

/** A band the method needs is not in the image. */
export class MissingBandError extends KelpieError {
  readonly code = 'MISSING_BAND';
  readonly kind = 'unusable';
  constructor(
    readonly missing: string[],
    readonly available: string[],
    hint = '',
  ) {
    // Without names nothing can be said missing: the hint says what to do.
    const unnamed = missing.length === 0 && hint !== '';
    super(
      unnamed
        ? hint
        : `missing required band${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the image has ${available.length ? available.join(', ') : 'no named bands'}${hint ? `. ${hint}` : ''}`,
      { missing, available },
    );
  }
}

/** A band name is not a Sentinel-2 band we know. */
export class UnknownBandError extends KelpieError {
  readonly code = 'UNKNOWN_BAND';
  readonly kind = 'invalid';
}

/** An index, method or species name is not registered. */
export class UnknownNameError extends KelpieError {
  readonly code = 'UNKNOWN_NAME';
  readonly kind = 'invalid';
  constructor(what: string, name: string, known: readonly string[]) {
    super(`unknown ${what} "${name}"; known: ${known.join(', ')}`, { what, name, known: [...known] });
  }
}

/** The image is larger than the configured pixel limit. Raised from the header, before allocation. */
export class ImageTooLargeError extends KelpieError {
  readonly code = 'IMAGE_TOO_LARGE';
  readonly kind = 'too-large';
}

/** The image has no valid (unmasked, finite, non-nodata) pixel at all. */
export class NoValidDataError extends KelpieError {
  readonly code = 'NO_VALID_DATA';
  readonly kind = 'unusable';
}

/** A key, object or analysis does not exist. */
export class NotFoundError extends KelpieError {
  readonly code = 'NOT_FOUND';
  readonly kind = 'not-found';
}

/** The state does not allow the operation (e.g. the object changed since the event was sent). */
export class ConflictError extends KelpieError {
  readonly code = 'CONFLICT';
  readonly kind = 'conflict';
}

/**
 * A conditional write found the object not as the writer expected: it exists already
 * (create-if-absent) or has changed since it was read (replace-if-unchanged). Another writer
 * got there first; read again and decide again.
 */
export class PreconditionFailedError extends KelpieError {
  readonly code = 'PRECONDITION_FAILED';
  readonly kind = 'conflict';
}

/** A dependency (store, catalog) did not answer. */
export class DependencyUnavailableError extends KelpieError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  readonly kind = 'unavailable';
}

/** The operation was aborted or its deadline passed. */
export class DeadlineExceededError extends KelpieError {
  readonly code = 'DEADLINE_EXCEEDED';
  readonly kind = 'timeout';
}

/** The STAC catalog did not answer, or answered with a server error, after retries. */
export class CatalogUnavailableError extends KelpieError {
  readonly code = 'CATALOG_UNAVAILABLE';
  readonly kind = 'unavailable';
}

/** The catalog has no scene for the place, dates and cloud limit asked for. */
export class NothingFoundError extends KelpieError {
  readonly code = 'NOTHING_FOUND';
  readonly kind = 'not-found';
}

/** The area of interest does not overlap the scene's pixels. */
export class AoiOutsideSceneError extends KelpieError {
  readonly code = 'AOI_OUTSIDE_SCENE';
  readonly kind = 'unusable';
}

/** An area of interest a monitored site cannot be: crossing itself or the antimeridian, over the size limits. */
export class UnusableAoiError extends KelpieError {
  readonly code = 'UNUSABLE_AOI';
  readonly kind = 'unusable';
}

/** A STAC item lacks an asset (band file) the analysis needs. */
export class MissingAssetError extends KelpieError {
  readonly code = 'MISSING_ASSET';
  readonly kind = 'unusable';
}

/**
 * A STAC asset is only in a requester-pays bucket (`s3://usgs-landsat/…`, where Earth Search's
 * Landsat items point): reading it bills an AWS account, which the analysis does not have.
 */
export class RequesterPaysAssetError extends KelpieError {
  readonly code = 'REQUESTER_PAYS_ASSET';
  readonly kind = 'unusable';
}

/** A URL is not on the outbound allow-list (scheme, host, or a private address not listed). */
export class OutboundBlockedError extends KelpieError {
  readonly code = 'OUTBOUND_BLOCKED';
  readonly kind = 'unusable';
}

/** A remote file could not be read: the host refused, lacks range support, or kept failing. */
export class RemoteReadError extends KelpieError {
  readonly code = 'REMOTE_READ_FAILED';
  readonly kind = 'unusable';
}

/** A remote host kept failing (5xx, resets, timeouts) after retries; trying later may work. */
export class RemoteUnavailableError extends KelpieError {
  readonly code = 'REMOTE_UNAVAILABLE';
  readonly kind = 'unavailable';
}

/** A response was larger than the limit set for it. */
export class ResponseTooLargeError extends KelpieError {
  readonly code = 'RESPONSE_TOO_LARGE';
  readonly kind = 'unusable';
}

/** More scenes than one series request may analyse. */
export class TooManyScenesError extends KelpieError {
  readonly code = 'TOO_MANY_SCENES';
  readonly kind = 'too-large';
}

/** A zip archive that cannot be read: truncated, or its directory or a member is damaged. */
export class CorruptArchiveError extends KelpieError {
  readonly code = 'CORRUPT_ARCHIVE';
  readonly kind = 'unusable';
}

/** An archive whose declared sizes are beyond what is safe to read (a zip bomb), refused before anything is inflated. */
export class UnsafeArchiveError extends KelpieError {
  readonly code = 'UNSAFE_ARCHIVE';
  readonly kind = 'unusable';
}

/** A part of the analysis running on its own (a worker thread) needed more memory than it may use. */
export class AnalysisOutOfMemoryError extends KelpieError {
  readonly code = 'ANALYSIS_OUT_OF_MEMORY';
  readonly kind = 'too-large';
}

/** A part of the analysis running on its own (a worker thread) stopped without an answer; trying again may work. */
export class AnalysisWorkerError extends KelpieError {
  readonly code = 'ANALYSIS_WORKER_FAILED';
  readonly kind = 'unavailable';
}

/** True for errors of our hierarchy; anything else is a bug. */
export function isKelpieError(error: unknown): error is KelpieError {
  return error instanceof KelpieError;
}

/** The method cannot run on the scene's sensor (KD and NDRE need red-edge bands Landsat lacks). */
export class UnsupportedMethodError extends KelpieError {
  readonly code = 'UNSUPPORTED_METHOD';
  readonly kind = 'invalid';
}

/** The product is not surface reflectance the analysis can use (a Landsat Level-1 or Collection 1 product). */
export class NotSurfaceReflectanceError extends KelpieError {
  readonly code = 'NOT_SURFACE_REFLECTANCE';
  readonly kind = 'unusable';
}
