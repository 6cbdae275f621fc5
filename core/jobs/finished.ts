import type { AnalysisResult } from '../analysis/result.js';
import { NotFoundError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { SeriesSummary } from '../stac/series.js';
import { resultPrefix } from '../usecases/result-keys.js';
import { readResult } from '../usecases/result-store.js';

/** Where a finished series keeps its summary. */
export const seriesKey = (id: string) => `${resultPrefix(id)}series.json`;

/** The finished analysis `id` as stored: its result, its series summary, or undefined. */
export async function readFinished(store: BlobStore, id: string, signal?: AbortSignal): Promise<AnalysisResult | SeriesSummary | undefined> {
  const result = await readResult(store, id, signal);
  if (result) return result;
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(seriesKey(id), { signal }))) as SeriesSummary;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
