import type { AnalysisResult, Artifact } from '../analysis/result.js';
import { saveAnalysis } from '../analysis/save.js';
import { NotFoundError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import { indexKey, resultKey, resultPrefix } from './result-keys.js';

/**
 * Writes an analysis under `results/<id>/` (artifacts, then `result.json`) and then its
 * newest-first index entry, unless `listed` is false (a monitored site's scene: it is listed
 * under its site, not among the analyses). Two concurrent runs of one analysis may each add an
 * entry; listings drop the repeat.
 */
export async function storeAnalysis(store: BlobStore, analysis: { result: AnalysisResult; artifacts: Artifact[] }, signal?: AbortSignal, options: { listed?: boolean } = {}): Promise<void> {
  await saveAnalysis(store, resultPrefix(analysis.result.id), analysis, signal);
  if (options.listed === false) return;
  await store.put(indexKey(analysis.result), JSON.stringify(summarize(analysis.result)), { contentType: 'application/json', signal });
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
