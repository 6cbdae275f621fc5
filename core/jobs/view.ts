import type { BlobStore } from '../ports/blob-store.js';
import { readFinished } from './finished.js';
import { type AnalysisStatus, effectiveStatus, readStatus } from './status.js';

/** What `GET /api/analyses/{id}` shows: the finished analysis, or its status, or nothing. */
export type AnalysisView =
  | { state: 'finished'; document: object }
  | { state: 'pending' | 'failed'; status: AnalysisStatus }
  | { state: 'unknown' };

/** The finished analysis `id` if it is, else its (effective) status. */
export async function viewAnalysis(store: BlobStore, id: string, now: number, staleAfterMs: number, signal?: AbortSignal): Promise<AnalysisView> {
  const document = await readFinished(store, id, signal);
  if (document) return { state: 'finished', document };
  const stored = await readStatus(store, id, { signal });
  if (!stored) return { state: 'unknown' };
  const status = effectiveStatus(stored, now, staleAfterMs);
  return { state: status.status === 'failed' ? 'failed' : 'pending', status };
}
