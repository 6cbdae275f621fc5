import { type AnalyzeDeps, analyzeScene } from '../analysis/analyze.js';
import { deriveAnalysisId } from '../analysis/ids.js';
import type { AnalysisOptions } from '../analysis/options.js';
import type { AnalysisResult } from '../analysis/result.js';
import { ConflictError, NotFoundError, isKelpieError } from '../errors.js';
import type { BlobInfo, BlobStore } from '../ports/blob-store.js';
import type { Logger } from '../ports/logger.js';
import { type ByteSource, blobByteSource, cachedByteSource } from '../raster/byte-source.js';
import { validateKey } from '../storage/keys.js';
import { openObjectScene } from './object-scene.js';
import { readResult, storeAnalysis } from './result-store.js';

/** Analyse one object of the imagery store. */
export interface AnalyzeObjectCommand {
  key: string;
  /** Validated options (`parseAnalysisOptions`, parsed once where they came in). */
  options: AnalysisOptions;
  /** The version an event announced; a different current version means the event is stale. */
  expectedEtag?: string;
  /** The id a queued job was given; a different id here means the API and worker disagree on the store. */
  expectedId?: string;
  /** The object as a plan of this request already opened it ({@link openObject}): not read again. */
  opened?: OpenedObject;
}

/** One object version of the imagery store, looked up once: what it is, its analysis id, and its bytes. */
export interface OpenedObject {
  key: string;
  info: BlobInfo;
  /** The id of its analysis with the command's options. */
  id: string;
  /** Its bytes through a block cache, so the header read to plan the work is not read again to do it. */
  source: ByteSource;
}

/** What every scene analysis of a use case needs: the analysis' own deps, with a logger and a pixel limit always given. */
export interface SceneDeps extends AnalyzeDeps {
  logger: Logger;
  maxImagePixels: number;
}

export interface AnalyzeObjectDeps extends SceneDeps {
  imageStore: BlobStore;
  /** Identifies the image store in analysis ids (e.g. `s3://imagery`). */
  imageStoreName: string;
  resultStore: BlobStore;
}

/** The analysis and whether it was found already done (same object, etag and options). */
export interface AnalyzeObjectOutcome {
  result: AnalysisResult;
  reused: boolean;
}

/**
 * Analyses `key` (a GeoTIFF, a zipped .SAFE, or a folder's manifest: see `openObjectScene`) unless the same object version was already analysed with the same options, in
 * which case the stored result is returned: the id derives from the store, key, etag and
 * options, so repeating a request (or re-delivering an event) does no work twice. Artifacts are
 * written first, `result.json` last, then a newest-first index entry.
 *
 * @example
 * ```ts
 * const { result, reused } = await analyzeObject({ key: 'uploads/scene.tif', options: parseAnalysisOptions({ method: 'kd' }) }, deps);
 * ```
 */
export async function analyzeObject(command: AnalyzeObjectCommand, deps: AnalyzeObjectDeps): Promise<AnalyzeObjectOutcome> {
  const { options } = command;
  const { key, info, id, source } = command.opened ?? (await openObject(command.key, options, deps));
  if (command.expectedEtag && info.etag && unquote(command.expectedEtag) !== unquote(info.etag)) {
    throw new ConflictError(`"${key}" has changed since this event (version ${command.expectedEtag}, now ${info.etag}); the newer upload's event analyses it`, { key });
  }
  if (command.expectedId && command.expectedId !== id) throw idMismatch(command.expectedId, id);
  const existing = await readResult(deps.resultStore, id, deps.signal);
  if (existing) {
    deps.logger.info('analysis already done; reusing it', { id, key });
    return { result: existing, reused: true };
  }
  const analysis = await openObjectScene(key, source, options, deps)
    .then((scene) => analyzeScene({ id, input: scene.input, ...(scene.sensor ? { sensor: scene.sensor } : {}), options, source: { uri: key, ...(info.etag ? { etag: info.etag } : {}), ...scene.source } }, deps))
    .catch((error: unknown) => {
      // Callers that record failures (upload triggers) need the id the failure belongs to.
      if (isKelpieError(error)) Object.assign(error, { details: { ...error.details, analysisId: id } });
      throw error;
    });
  const { result, stored } = await storeAnalysis(deps.resultStore, analysis, deps.signal);
  return { result, reused: !stored };
}

/**
 * Looks `key` up once: its head (`NotFoundError` when there is none), the id of its analysis with
 * `options`, and a cached byte source over it. A plan and the analysis that follows share it.
 *
 * @example
 * ```ts
 * const opened = await openObject('uploads/scene.tif', options, deps);
 * ```
 */
export async function openObject(key: string, options: AnalysisOptions, deps: Pick<AnalyzeObjectDeps, 'imageStore' | 'imageStoreName' | 'signal'>): Promise<OpenedObject> {
  validateKey(key);
  const info = await deps.imageStore.head(key, { signal: deps.signal });
  if (!info) throw new NotFoundError(`no object "${key}" in the imagery store; upload it first (POST /api/uploads)`, { key });
  const id = await objectAnalysisId(deps.imageStoreName, key, info, options);
  return { key, info, id, source: cachedByteSource(blobByteSource(deps.imageStore, key, info.size)) };
}

/** The id of an analysis of one object version with validated options: the same inputs, the same id. */
function objectAnalysisId(imageStoreName: string, key: string, info: BlobInfo, options: AnalysisOptions): Promise<string> {
  return deriveAnalysisId([imageStoreName, key, info.etag ?? `${info.size}`, JSON.stringify(options)]);
}

/** A job whose id is not the one this worker derives: its API and worker are wired to different stores or catalogs. */
export function idMismatch(expected: string, derived: string): ConflictError {
  return new ConflictError(
    `the job is for analysis ${expected}, but this worker derives the id ${derived} for it: the API and the worker must use the same store and catalog settings (KELPIE_STORE, KELPIE_BUCKET, KELPIE_STAC_URL)`,
    { expected, derived },
  );
}

function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}
