import { type AnalyzeDeps, analyzeScene } from '../analysis/analyze.js';
import { deriveAnalysisId } from '../analysis/ids.js';
import { type AnalysisOptions, parseAnalysisOptions } from '../analysis/options.js';
import type { AnalysisResult, Artifact } from '../analysis/result.js';
import { saveAnalysis } from '../analysis/save.js';
import { ConflictError, NotFoundError, isKelpieError } from '../errors.js';
import type { BlobInfo, BlobStore } from '../ports/blob-store.js';
import type { Logger } from '../ports/logger.js';
import { blobByteSource, cachedByteSource } from '../raster/byte-source.js';
import { validateKey } from '../storage/keys.js';
import { indexKey, resultKey, resultPrefix } from './result-keys.js';

/** Analyse one object of the imagery store. */
export interface AnalyzeObjectCommand {
  key: string;
  /** Unvalidated options (method, species, …). */
  options?: unknown;
  /** The version an event announced; a different current version means the event is stale. */
  expectedEtag?: string;
  /** The id a queued job was given; a different id here means the API and worker disagree on the store. */
  expectedId?: string;
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
 * Analyses `key` unless the same object version was already analysed with the same options, in
 * which case the stored result is returned: the id derives from the store, key, etag and
 * options, so repeating a request (or re-delivering an event) does no work twice. Artifacts are
 * written first, `result.json` last, then a newest-first index entry.
 *
 * @example
 * ```ts
 * const { result, reused } = await analyzeObject({ key: 'uploads/scene.tif', options: { method: 'kd' } }, deps);
 * ```
 */
export async function analyzeObject(command: AnalyzeObjectCommand, deps: AnalyzeObjectDeps): Promise<AnalyzeObjectOutcome> {
  const key = validateKey(command.key);
  const options = parseAnalysisOptions(command.options);
  const info = await deps.imageStore.head(key, { signal: deps.signal });
  if (!info) throw new NotFoundError(`no object "${key}" in the imagery store; upload it first (POST /api/uploads)`, { key });
  if (command.expectedEtag && info.etag && unquote(command.expectedEtag) !== unquote(info.etag)) {
    throw new ConflictError(`"${key}" has changed since this event (version ${command.expectedEtag}, now ${info.etag}); the newer upload's event analyses it`, { key });
  }
  const id = await objectAnalysisId(deps.imageStoreName, key, info, options);
  if (command.expectedId && command.expectedId !== id) throw idMismatch(command.expectedId, id);
  const existing = await readResult(deps.resultStore, id, deps.signal);
  if (existing) {
    deps.logger.info('analysis already done; reusing it', { id, key });
    return { result: existing, reused: true };
  }
  const source = cachedByteSource(blobByteSource(deps.imageStore, key, info.size));
  const analysis = await analyzeScene(
    { id, input: { kind: 'multiband', source }, options, source: { uri: key, ...(info.etag ? { etag: info.etag } : {}) } },
    deps,
  ).catch((error: unknown) => {
    // Callers that record failures (upload triggers) need the id the failure belongs to.
    if (isKelpieError(error)) Object.assign(error, { details: { ...error.details, analysisId: id } });
    throw error;
  });
  await storeAnalysis(deps.resultStore, analysis, deps.signal);
  return { result: analysis.result, reused: false };
}

/** The id of an analysis of one object version with validated options: the same inputs, the same id. */
export function objectAnalysisId(imageStoreName: string, key: string, info: BlobInfo, options: AnalysisOptions): Promise<string> {
  return deriveAnalysisId([imageStoreName, key, info.etag ?? `${info.size}`, JSON.stringify(options)]);
}

/**
 * Writes an analysis under `results/<id>/` (artifacts, then `result.json`) and then its
 * newest-first index entry. Two concurrent runs of one analysis may each add an entry;
 * listings drop the repeat.
 */
export async function storeAnalysis(store: BlobStore, analysis: { result: AnalysisResult; artifacts: Artifact[] }, signal?: AbortSignal): Promise<void> {
  await saveAnalysis(store, resultPrefix(analysis.result.id), analysis, signal);
  await store.put(indexKey(analysis.result), JSON.stringify(summarize(analysis.result)), { contentType: 'application/json', signal });
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

/** The stored result of `id`, or undefined when there is none yet. */
export async function readResult(store: BlobStore, id: string, signal?: AbortSignal): Promise<AnalysisResult | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(resultKey(id), { signal }))) as AnalysisResult;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * What a listing shows of each analysis: enough to tell two analyses of one image apart (method,
 * area mode, species) and to group them by image (its key or URL, scene id and acquisition
 * time), and where it lies (`bboxWgs84`, so a map can open on the newest one).
 */
export function summarize(result: AnalysisResult) {
  return {
    id: result.id,
    createdAt: result.createdAt,
    source: { uri: result.source.uri, sceneId: result.source.sceneId, acquiredAt: result.source.acquiredAt },
    kelp: { areaHa: result.kelp.areaHa, beds: result.kelp.beds, areaMode: result.kelp.areaMode },
    method: result.method.name,
    species: result.method.species,
    bboxWgs84: result.map?.boundsWgs84 ?? result.grid.bboxWgs84,
  };
}
