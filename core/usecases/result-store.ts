import type { AnalysisResult, Artifact } from '../analysis/result.js';
import { saveAnalysis } from '../analysis/save.js';
import { NotFoundError, PreconditionFailedError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import { indexKey, resultKey, resultPrefix } from './result-keys.js';

/** What {@link storeAnalysis} kept: this run's result, or the one another run of the same analysis stored first. */
export interface Stored {
  result: AnalysisResult;
  /** False when another run had already stored the analysis (its result is returned instead). */
  stored: boolean;
}

/**
 * Writes an analysis under `results/<id>/` (artifacts, then `result.json`, created only where
 * none is) and then its newest-first index entry, once, unless `listed` is false (a monitored
 * site's scene: it is listed under its site, not among the analyses). Two runs of one analysis that race (a
 * redelivered job, a taken-over worker) write the same artifacts; the first `result.json` wins,
 * the other run answers it, and the listing holds one entry.
 *
 * @example
 * ```ts
 * const { result, stored } = await storeAnalysis(store, analysis, signal);
 * ```
 */
export async function storeAnalysis(
  store: BlobStore,
  analysis: { result: AnalysisResult; artifacts: Artifact[] },
  signal?: AbortSignal,
  options: { listed?: boolean } = {},
): Promise<Stored> {
  let stored: Stored = { result: analysis.result, stored: true };
  try {
    await saveAnalysis(store, resultPrefix(analysis.result.id), analysis, signal, true);
  } catch (error) {
    const first = error instanceof PreconditionFailedError ? await readResult(store, analysis.result.id, signal) : undefined;
    if (!first) throw error;
    stored = { result: first, stored: false };
  }
  if (options.listed !== false) await indexOnce(store, stored.result, signal);
  return stored;
}

/** Writes the listing entry of `result` unless it is there (its key derives from the result's id and time). */
export async function indexOnce(store: BlobStore, result: AnalysisResult, signal?: AbortSignal): Promise<void> {
  try {
    await store.put(indexKey(result), JSON.stringify(summarize(result)), { contentType: 'application/json', signal, ifNoneMatch: '*' });
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
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
