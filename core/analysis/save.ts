import type { BlobStore } from '../ports/blob-store.js';
import type { AnalysisResult, Artifact } from './result.js';

/**
 * Writes the artifacts under `prefix`, then `result.json` last: a reader that finds
 * `result.json` finds every artifact it lists. Each `put` is atomic in every store.
 *
 * @example
 * ```ts
 * await saveAnalysis(store, `results/${result.id}/`, { result, artifacts });
 * ```
 */
export async function saveAnalysis(
  store: BlobStore,
  prefix: string,
  analysis: { result: AnalysisResult; artifacts: Artifact[] },
  signal?: AbortSignal,
): Promise<string[]> {
  const keys: string[] = [];
  for (const artifact of analysis.artifacts) {
    await store.put(prefix + artifact.name, artifact.bytes, { contentType: artifact.contentType, signal });
    keys.push(prefix + artifact.name);
  }
  await store.put(prefix + 'result.json', JSON.stringify(analysis.result, null, 2), { contentType: 'application/json', signal });
  keys.push(prefix + 'result.json');
  return keys;
}
