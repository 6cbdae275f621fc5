import type { AnalysisResult } from '../../analysis/result.js';
import { DEFAULT_STALE_AFTER_MS, type AnalysisStatus, analysisLinks, readStatus } from '../../jobs/status.js';
import { type AnalysisView, viewAnalysis } from '../../jobs/view.js';
import { json } from '../json.js';
import type { ApiDeps, ApiResponse } from '../types.js';
import { readRejection } from './rejections.js';

/** Seconds a client should wait before polling a queued or running analysis again. */
const RETRY_AFTER_S = 2;

/** `GET /api/analyses/{id}`: the finished analysis (200), its status while queued or running (202), or its failure (200). */
export function viewResponse(id: string, view: AnalysisView): ApiResponse {
  if (view.state === 'finished') return json(200, view.document, { location: `/api/analyses/${id}` });
  if (view.state === 'unknown') throw new Error(`viewResponse: analysis ${id} is unknown`);
  return statusResponse(view.status);
}

/** A status document: 202 with `Location` and `Retry-After` while pending, 200 once it ended. */
export function statusResponse(status: AnalysisStatus): ApiResponse {
  const pending = status.status === 'queued' || status.status === 'running';
  return json(pending ? 202 : 200, status, pending ? { location: status.links.self, 'retry-after': String(RETRY_AFTER_S) } : {});
}

/** The status of `id`, also for an analysis that ran within its request (synthesised from its result). */
export async function statusOf(id: string, deps: ApiDeps, signal?: AbortSignal): Promise<AnalysisStatus | undefined> {
  const staleAfterMs = deps.config.jobStaleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const view = await viewAnalysis(deps.resultStore, id, deps.clock.now(), staleAfterMs, signal);
  // An upload the trigger could not analyse has its reason (error.json) instead of a result.
  if (view.state === 'unknown') return readRejection(deps.resultStore, id, signal);
  if (view.state !== 'finished') return view.status;
  const stored = await readStatus(deps.resultStore, id, { signal });
  if (stored) return { ...stored, status: 'succeeded' };
  const document = view.document as Partial<AnalysisResult> & { kind?: string };
  const at = document.createdAt ?? new Date(deps.clock.now()).toISOString();
  return {
    schemaVersion: 1,
    id,
    kind: document.kind === 'series' ? 'series' : 'scene',
    status: 'succeeded',
    submittedAt: at,
    updatedAt: at,
    finishedAt: at,
    attempt: 0,
    progress: { step: 'done', done: 1, total: 1, unit: 'steps', percent: 100 },
    source: document.source ? { uri: document.source.uri } : {},
    links: analysisLinks(id),
  };
}

