import type { BlobStore, PutOptions } from '../ports/blob-store.js';
import type { AnalysisResult, Artifact } from './result.js';

/**
 * Writes the artifacts under `prefix`, then `result.json` last: a reader that finds
 * `result.json` finds every artifact it lists. Each `put` is atomic in every store.
 * `resultOnce` writes `result.json` only where there is none (`PreconditionFailedError`
 * otherwise): the service's results are written once; a CLI's `--out` is overwritten.
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
  resultOnce = false,
): Promise<string[]> {
  const keys: string[] = [];
  for (const artifact of analysis.artifacts) {
    await store.put(prefix + artifact.name, artifact.bytes, { contentType: artifact.contentType, signal });
    keys.push(prefix + artifact.name);
  }
  const once: Pick<PutOptions, 'ifNoneMatch'> = resultOnce ? { ifNoneMatch: '*' } : {};
  await store.put(prefix + 'result.json', JSON.stringify(analysis.result, null, 2), { contentType: 'application/json', signal, ...once });
  keys.push(prefix + 'result.json');
  return keys;
}
